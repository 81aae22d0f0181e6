import type { ScannerKeyApproval, ScannerKeyRequest } from '../common/sync/protocol';
import { recordAdminAudit } from './admin-audit';
import type { AuthenticatedTerminal } from './auth';
import type { Database, Queryable } from './db/types';
import { HttpError, badRequest, notFound } from './errors';
import type { StaffMember } from '../common/staff';

/**
 * The store's approved palm-scanner attestation keys (`scanner_keys`): the cloud's record of
 * which scanners may sign captures for the store. A manager approves one at the lane with their
 * own credential, checked here; the lane's host pins the key only after this answers. Payment
 * authorization verifies capture signatures against `activeScannerKey`.
 */

export async function assertP256Point(hex: string): Promise<void> {
  const bytes = Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  await crypto.subtle
    .importKey('raw', bytes, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify'])
    .catch(() => {
      throw badRequest('publicKey is not a point on P-256');
    });
}

export interface Row {
  serial: string;
  public_key: string;
  model: string;
  approved_by: string;
  approved_by_name: string;
  approved_at: Date;
}

export const view = (r: Row): ScannerKeyApproval => ({
  serial: r.serial,
  publicKey: r.public_key,
  model: r.model,
  approvedBy: { id: r.approved_by, name: r.approved_by_name },
  approvedAt: r.approved_at.toISOString(),
});

/**
 * Records `req`'s key as the store's approved key for its serial, by `manager` (whose passcode
 * the caller checked). The same key again answers the first approval; another key for a serial
 * with an active one is a conflict (revoke the old key first).
 */
export async function approveScannerKey(
  db: Database,
  terminal: AuthenticatedTerminal,
  req: ScannerKeyRequest,
  manager: StaffMember,
): Promise<{ approval: ScannerKeyApproval; created: boolean }> {
  await assertP256Point(req.publicKey);
  return db.transaction(async (tx) => {
    const current = await tx.query<Row>(
      `SELECT serial, public_key, model, approved_by, approved_by_name, approved_at FROM scanner_keys
       WHERE store_id = $1 AND serial = $2 AND revoked_at IS NULL FOR UPDATE`,
      [terminal.storeId, req.serial],
    );
    const active = current.rows[0];
    if (active && active.public_key === req.publicKey)
      return { approval: view(active), created: false };
    if (active)
      throw new HttpError(
        409,
        'SCANNER_KEY_CONFLICT',
        `Scanner ${req.serial} already has another approved key; the back office must revoke it first`,
      );
    const inserted = await tx.query<Row>(
      `INSERT INTO scanner_keys (store_id, serial, public_key, model, approved_by, approved_by_name, approved_via)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (store_id, serial, public_key) DO UPDATE SET
         revoked_at = NULL, revoked_by = NULL, model = EXCLUDED.model, approved_by = EXCLUDED.approved_by,
         approved_by_name = EXCLUDED.approved_by_name, approved_at = now(), approved_via = EXCLUDED.approved_via
       RETURNING serial, public_key, model, approved_by, approved_by_name, approved_at`,
      [
        terminal.storeId,
        req.serial,
        req.publicKey,
        req.model,
        manager.id,
        manager.name,
        terminal.terminalId,
      ],
    );
    await recordAdminAudit(tx, {
      storeId: terminal.storeId,
      actor: `${manager.name} (${manager.id})`,
      action: 'scanner-key.approved',
      subject: req.serial,
      detail: { model: req.model, publicKey: req.publicKey, lane: terminal.laneCode },
    });
    return { approval: view(inserted.rows[0]!), created: true };
  });
}

/** The key a store has approved for a scanner serial, or null. */
export async function activeScannerKey(
  db: Queryable,
  storeId: string,
  serial: string,
): Promise<ScannerKeyApproval | null> {
  const r = await db.query<Row>(
    `SELECT serial, public_key, model, approved_by, approved_by_name, approved_at FROM scanner_keys
     WHERE store_id = $1 AND serial = $2 AND revoked_at IS NULL`,
    [storeId, serial],
  );
  return r.rows[0] ? view(r.rows[0]) : null;
}

export async function listScannerKeys(db: Queryable, storeId: string) {
  const r = await db.query<Row & { revoked_at: Date | null; revoked_by: string | null }>(
    `SELECT serial, public_key, model, approved_by, approved_by_name, approved_at, revoked_at, revoked_by
     FROM scanner_keys WHERE store_id = $1 ORDER BY serial, approved_at`,
    [storeId],
  );
  return r.rows.map((row) => ({
    ...view(row),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
  }));
}

export async function revokeScannerKey(
  db: Database,
  storeId: string,
  serial: string,
  actor: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE scanner_keys SET revoked_at = now(), revoked_by = $3
       WHERE store_id = $1 AND serial = $2 AND revoked_at IS NULL`,
      [storeId, serial, actor],
    );
    if (r.affected === 0) {
      const known = await tx.query(
        'SELECT 1 FROM scanner_keys WHERE store_id = $1 AND serial = $2',
        [storeId, serial],
      );
      if (known.rows.length === 0) throw notFound(`Scanner ${serial} in ${storeId}`);
      return false;
    }
    await recordAdminAudit(tx, { storeId, actor, action: 'scanner-key.revoked', subject: serial });
    return true;
  });
}
