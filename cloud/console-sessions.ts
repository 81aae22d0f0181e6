import { createHash } from 'node:crypto';
import type { Queryable } from './db/types';

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
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const r = await db.query<{
    store_id: string | null;
    staff_id: string | null;
    name: string | null;
    role: string | null;
    disabled_at: Date | null;
  }>(
    `SELECT d.store_id, d.staff_id, s.name, s.role, s.disabled_at FROM dashboard_sessions d
     LEFT JOIN staff s ON s.store_id = d.store_id AND s.id = d.staff_id
     WHERE d.id_sha256 = $1 AND d.expires_at > $2`,
    [sha256(sessionId), new Date(now)],
  );
  const row = r.rows[0];
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
