import { createHash } from 'node:crypto';
import type { Queryable } from './db/types';
import { liveSessionRow } from './sessions';

/**
 * Who may use the attendant console: the store's attendants and managers (their own staff
 * sessions, the same `dashboard_sessions` rows a manager's dashboard login makes), and the
 * operator. An attendant's session opens the console only: the dashboard's own check
 * (sessions.ts) admits managers and the operator alone.
 */
export type ConsoleActor =
  | { readonly kind: 'operator' }
  | {
      readonly kind: 'staff';
      readonly storeId: string;
      readonly staffId: string;
      readonly name: string;
      readonly role: 'manager' | 'attendant';
    };

export const CONSOLE_COOKIE = 'palm_console';

export const mayAttend = (a: ConsoleActor, storeId: string): boolean =>
  a.kind === 'operator' || a.storeId === storeId;

export const consoleActorName = (a: ConsoleActor): string =>
  a.kind === 'operator' ? 'operator' : `${a.name} (${a.staffId})`;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function consoleActor(
  db: Queryable,
  sessionId: string,
  now: number,
): Promise<ConsoleActor | null> {
  const row = await liveSessionRow(db, sessionId, now);
  if (!row) return null;
  if (row.store_id === null) return { kind: 'operator' };
  if (!row.staff_id || !row.name || row.disabled_at) return null;
  if (row.role !== 'manager' && row.role !== 'attendant') return null;
  return {
    kind: 'staff',
    storeId: row.store_id,
    staffId: row.staff_id,
    name: row.name,
    role: row.role,
  };
}

/** A console session for a person whose credential the login just checked (or the operator). */
export async function createConsoleSession(
  db: Queryable,
  who: { storeId: string; staffId: string; name: string } | null,
  id: string,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO dashboard_sessions (id_sha256, store_id, staff_id, actor, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      sha256(id),
      who?.storeId ?? null,
      who?.staffId ?? null,
      who ? `${who.name} (${who.staffId})` : 'operator',
      expiresAt,
    ],
  );
}
