import type { TerminalDatabase } from '../db/database';

/**
 * Throttling of credential entry on a lane (NIST SP 800-63B style): five wrong passcodes lock
 * entry for 30 s, and each further lockout doubles the delay (30 s, 1 min, 2 min … at most 1 h)
 * until a right passcode resets it. Lane-wide, not per person, so trying every manager in turn
 * gains nothing; kept in Dexie settings so a reload does not unlock it. This slows a guesser at
 * the counter; the offline verifier's strength (PBKDF2, common/staff.ts) is what holds against
 * someone who copies the lane's database.
 */
export const THROTTLE_KEY = 'credential-throttle';
export const MAX_FAILURES = 5;
export const BASE_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 60 * 60_000;

export interface ThrottleState {
  /** Wrong passcodes since the last lockout or success. */
  readonly failures: number;
  /** Lockouts since the last success (the delay doubles with each). */
  readonly lockouts: number;
  /** ms since 1970; 0 when not locked. */
  readonly lockedUntil: number;
}

export const OPEN: ThrottleState = { failures: 0, lockouts: 0, lockedUntil: 0 };

const count = (v: unknown): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;

export function readThrottle(value: unknown): ThrottleState {
  const v = (value ?? {}) as Partial<ThrottleState>;
  return {
    failures: count(v.failures),
    lockouts: count(v.lockouts),
    lockedUntil: count(v.lockedUntil),
  };
}

export function lockDelay(lockouts: number): number {
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** Math.max(0, Math.min(lockouts - 1, 20)));
}

/** How long entry stays locked (never more than the longest delay, whatever the clock did). */
export function lockedFor(s: ThrottleState, now: number): number {
  return Math.min(MAX_LOCK_MS, Math.max(0, s.lockedUntil - now));
}

export function triesLeft(s: ThrottleState): number {
  return MAX_FAILURES - s.failures;
}

/** The state after one checked attempt. */
export function afterAttempt(s: ThrottleState, ok: boolean, now: number): ThrottleState {
  if (ok) return OPEN;
  const failures = s.failures + 1;
  if (failures < MAX_FAILURES) return { ...s, failures };
  const lockouts = s.lockouts + 1;
  return { failures: 0, lockouts, lockedUntil: now + lockDelay(lockouts) };
}

export async function loadThrottle(db: TerminalDatabase): Promise<ThrottleState> {
  return readThrottle((await db.settings.get(THROTTLE_KEY))?.value);
}

/** Records an attempt in one transaction (two tabs of one lane count together). */
export async function recordAttempt(
  db: TerminalDatabase,
  ok: boolean,
  now = Date.now(),
): Promise<ThrottleState> {
  return db.transaction('rw', db.settings, async () => {
    const next = afterAttempt(readThrottle((await db.settings.get(THROTTLE_KEY))?.value), ok, now);
    await db.settings.put({ key: THROTTLE_KEY, value: next });
    return next;
  });
}
