import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from './db/types';

/**
 * Dashboard sessions and the operator's one-time login links. The browser holds a random
 * session id in an HttpOnly, SameSite=Strict cookie; the database holds only its SHA-256, so a
 * database read opens no session. The per-session CSRF token is derived from the id (nothing
 * more to store or leak).
 */
export const SESSION_COOKIE = 'palm_session';
export const SESSION_TTL_MS = 4 * 60 * 60_000;
export const LOGIN_LINK_TTL_MS = 10 * 60_000;

export type DashboardActor =
  | { readonly kind: 'operator' }
  | {
      readonly kind: 'manager';
      readonly storeId: string;
      readonly staffId: string;
      readonly name: string;
    };

/** How audits and the page name the person: "Morgan Lee (m1)" or "operator". */
export const actorName = (a: DashboardActor): string =>
  a.kind === 'operator' ? 'operator' : `${a.name} (${a.staffId})`;

/** The operator sees every store; a manager only their own. */
export const mayManage = (a: DashboardActor, storeId: string): boolean =>
  a.kind === 'operator' || a.storeId === storeId;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const secret = (): string => randomBytes(32).toString('base64url');

export function csrfToken(sessionId: string): string {
  return createHash('sha256').update(`palm-csrf\n${sessionId}`).digest('base64url');
}

export async function createSession(
  db: Queryable,
  actor: DashboardActor,
  now = Date.now(),
): Promise<{ id: string; expiresAt: Date }> {
  const id = secret();
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await db.query(
    `INSERT INTO dashboard_sessions (id_sha256, store_id, staff_id, actor, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      sha256(id),
      actor.kind === 'manager' ? actor.storeId : null,
      actor.kind === 'manager' ? actor.staffId : null,
      actorName(actor),
      expiresAt,
    ],
  );
  return { id, expiresAt };
}

export interface SessionRow {
  readonly store_id: string | null;
  readonly staff_id: string | null;
  readonly name: string | null;
  readonly role: string | null;
  readonly disabled_at: Date | null;
}

/** A live session's row with its staff member (both dashboard and console sessions), or null. */
export async function liveSessionRow(
  db: Queryable,
  sessionId: string,
  now: number,
): Promise<SessionRow | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const r = await db.query<SessionRow>(
    `SELECT d.store_id, d.staff_id, s.name, s.role, s.disabled_at FROM dashboard_sessions d
     LEFT JOIN staff s ON s.store_id = d.store_id AND s.id = d.staff_id
     WHERE d.id_sha256 = $1 AND d.expires_at > $2`,
    [sha256(sessionId), new Date(now)],
  );
  return r.rows[0] ?? null;
}

/** The session's person, if the session is live and (for a manager) still an active manager. */
export async function sessionActor(
  db: Queryable,
  sessionId: string,
  now = Date.now(),
): Promise<DashboardActor | null> {
  const row = await liveSessionRow(db, sessionId, now);
  if (!row) return null;
  if (row.store_id === null) return { kind: 'operator' };
  if (!row.staff_id || !row.name || row.role !== 'manager' || row.disabled_at) return null;
  return { kind: 'manager', storeId: row.store_id, staffId: row.staff_id, name: row.name };
}

export async function endSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM dashboard_sessions WHERE id_sha256 = $1', [sha256(sessionId)]);
}

/** A one-time link for the operator (printed at start, or from the admin API). */
export async function issueLoginLink(
  db: Queryable,
  storeId: string | null,
  ttlMs = LOGIN_LINK_TTL_MS,
  now = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = secret();
  const expiresAt = new Date(now + ttlMs);
  await db.query(
    'INSERT INTO login_links (token_sha256, store_id, expires_at) VALUES ($1, $2, $3)',
    [sha256(token), storeId, expiresAt],
  );
  return { token, expiresAt };
}

/** Spends a link: once, before it expires. Returns the store it lands on (null: none named). */
export async function consumeLoginLink(
  db: Queryable,
  token: string,
  now = Date.now(),
): Promise<{ storeId: string | null } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const r = await db.query<{ store_id: string | null }>(
    `UPDATE login_links SET used_at = $2
     WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2 RETURNING store_id`,
    [sha256(token), new Date(now)],
  );
  const row = r.rows[0];
  return row ? { storeId: row.store_id } : null;
}

export async function pruneSessions(db: Database, now = Date.now()): Promise<void> {
  await db.query('DELETE FROM dashboard_sessions WHERE expires_at < $1', [new Date(now)]);
  await db.query('DELETE FROM login_links WHERE expires_at < $1', [new Date(now - 86_400_000)]);
}
