import { UNSTORABLE_TEXT } from '../../common/sync/protocol';

const UNSTORABLE = new RegExp(UNSTORABLE_TEXT.source, 'g');

/** Text PostgreSQL accepts: NULs and unpaired surrogates become U+FFFD. */
export const storableText = (s: string): string => s.replace(UNSTORABLE, '\uFFFD');

/** Deeper than the body parser lets through: only reachable by calling applyPush directly. */
const MAX_KEPT_DEPTH = 100;

/**
 * A rejected payload as it can be kept in jsonb: any string or key PostgreSQL would refuse is
 * mended (U+FFFD), so keeping what a lane sent can never fail the push and block its queue.
 */
export function storable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_KEPT_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableText(k), storable(v, depth + 1)]),
  );
}
