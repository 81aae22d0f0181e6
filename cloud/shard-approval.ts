import type { PalmPayAccess, ShardFeed, StoreSettings } from '../common/sync/protocol';
import { recordAdminAudit } from './admin-audit';
import type { Database, Queryable } from './db/types';
import { HttpError, notFound } from './errors';
import type { ShardSource } from './pull';

/**
 * Which lanes may receive the template shard: a provisioning code lets a lane sell at once, but
 * the shard key is wrapped only for lanes a manager approved (or, for the demo store only, its
 * own setting approved at provisioning). shardRecipients (shard-feed.ts) lists approved,
 * unrevoked lanes; pull and the chunk endpoint serve nothing to the others.
 */

/** Who `shard_approved_by` names for a lane its store approved by itself. */
export const AUTO_APPROVER = 'automatic (demo store)';

export type ApprovalOutcome = 'approved' | 'already-approved';

/** A manager (or the operator) approves a lane of their store as a shard recipient. */
export async function approveShardRecipient(
  db: Database,
  storeId: string,
  terminalId: string,
  actor: string,
): Promise<ApprovalOutcome> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{ shard_approved_at: Date | null; revoked_at: Date | null }>(
      'SELECT shard_approved_at, revoked_at FROM terminals WHERE id = $1 AND store_id = $2 FOR UPDATE',
      [terminalId, storeId],
    );
    const row = r.rows[0];
    if (!row) throw notFound(`Lane ${terminalId} in ${storeId}`);
    if (row.revoked_at)
      throw new HttpError(409, 'TERMINAL_REVOKED', 'A revoked lane cannot be approved');
    if (row.shard_approved_at) return 'already-approved';
    await tx.query(
      'UPDATE terminals SET shard_approved_at = now(), shard_approved_by = $2 WHERE id = $1',
      [terminalId, actor],
    );
    await recordAdminAudit(tx, {
      storeId,
      actor,
      action: 'lane.shard-approved',
      subject: terminalId,
    });
    return 'approved';
  });
}

export async function isShardApproved(db: Queryable, terminalId: string): Promise<boolean> {
  const r = await db.query<{ ok: boolean }>(
    'SELECT shard_approved_at IS NOT NULL AND revoked_at IS NULL AS ok FROM terminals WHERE id = $1',
    [terminalId],
  );
  return r.rows[0]?.ok === true;
}

/** The lane's own approval, for its pull (so it can say why palm pay waits). */
export async function palmPayAccess(db: Queryable, terminalId: string): Promise<PalmPayAccess> {
  const r = await db.query<{
    shard_approved_at: Date | null;
    shard_approved_by: string | null;
    settings: StoreSettings;
  }>(
    `SELECT t.shard_approved_at, t.shard_approved_by, s.settings
     FROM terminals t JOIN stores s ON s.id = t.store_id WHERE t.id = $1`,
    [terminalId],
  );
  const row = r.rows[0];
  return {
    approved: !!row?.shard_approved_at,
    approvedBy: row?.shard_approved_by ?? null,
    approvedAt: row?.shard_approved_at?.toISOString() ?? null,
    automatic: row?.settings.autoApproveLanes === true,
  };
}

/** A shard source that serves nothing to a lane that is not an approved recipient. */
export function approvedLanesOnly(db: Queryable, source: ShardSource): ShardSource {
  return {
    async feed(storeId: string, terminalId: string): Promise<ShardFeed | null> {
      return (await isShardApproved(db, terminalId)) ? source.feed(storeId, terminalId) : null;
    },
  };
}
