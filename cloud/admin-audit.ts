import type { Queryable } from './db/types';

/** One back-office action, naming who did it (a staff id and name, or "operator"). */
export interface AdminAuditEntry {
  readonly storeId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly subject?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export async function recordAdminAudit(tx: Queryable, e: AdminAuditEntry): Promise<void> {
  await tx.query(
    'INSERT INTO admin_audit (store_id, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [e.storeId, e.actor, e.action, e.subject ?? null, JSON.stringify(e.detail ?? {})],
  );
}

export async function adminAudit(db: Queryable, storeId: string, limit = 100) {
  const r = await db.query<{
    at: Date;
    actor: string;
    action: string;
    subject: string | null;
    detail: Record<string, unknown>;
  }>(
    'SELECT at, actor, action, subject, detail FROM admin_audit WHERE store_id = $1 ORDER BY id DESC LIMIT $2',
    [storeId, limit],
  );
  return r.rows.map((a) => ({ ...a, at: a.at.toISOString() }));
}
