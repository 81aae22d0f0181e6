import { createHash, createPublicKey, randomInt, randomUUID } from 'node:crypto';
import type { ProvisionRequest, ProvisionResponse, StoreSettings } from '../common/sync/protocol';
import { recordAdminAudit } from './admin-audit';
import type { Database, Queryable } from './db/types';
import { HttpError, badRequest, notFound } from './errors';
import { AUTO_APPROVER } from './shard-approval';

/** Crockford-style alphabet without 0/O and 1/I, so a manager can read a code off a screen. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A code is for the lane being set up now: it expires in 15 minutes. */
export const CODE_TTL_MS = 15 * 60_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface IssuedCode {
  readonly code: string;
  readonly expiresAt: string;
}

/**
 * Issues a one-time provisioning code for a store (12 characters, ~60 bits), on a named person's
 * action (`issuedBy`: a manager's name and id, or "operator"). Only its hash is stored, so a
 * database read does not reveal codes still waiting to be used.
 */
export async function issueCode(
  db: Database,
  storeId: string,
  issuedBy: string,
  ttlMs = CODE_TTL_MS,
): Promise<IssuedCode> {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.transaction(async (tx) => {
    const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
    if (store.rows.length === 0) throw notFound(`Store ${storeId}`);
    await tx.query(
      'INSERT INTO provisioning_codes (code_sha256, store_id, expires_at, issued_by) VALUES ($1, $2, $3, $4)',
      [sha256(code), storeId, expiresAt, issuedBy],
    );
    await recordAdminAudit(tx, {
      storeId,
      actor: issuedBy,
      action: 'provisioning-code.issued',
      detail: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/** The code alone, issued by the operator (the back office's own scripts and tests). */
export async function issueProvisioningCode(
  db: Database,
  storeId: string,
  ttlMs = CODE_TTL_MS,
): Promise<string> {
  return (await issueCode(db, storeId, 'operator', ttlMs)).code;
}

/** The terminal's signing key must be a P-256 point: checked before a code is spent on it. */
export function assertP256PublicKey(jwk: ProvisionRequest['publicKey']): void {
  try {
    const key = createPublicKey({
      key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      format: 'jwk',
    });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      throw new Error('not P-256');
  } catch {
    throw badRequest('publicKey: not a P-256 public key (the code was not used)');
  }
}

/**
 * A code that was issued but is used or expired. Still CODE_INVALID to the lane (it drops the
 * code), but not a guess: presenting it again learns nothing, so the attempt limiter does not
 * count it. A browser-mode host hands its one code to every lane that opens; in a store those
 * lanes share an address, and counting their refusals would lock out the next real code.
 */
export class SpentCodeError extends HttpError {
  constructor() {
    super(403, 'CODE_INVALID', 'The provisioning code was already used or has expired');
  }
}

/**
 * Registers a terminal's public key against a one-time code. The key is checked first, so a bad
 * request never spends a code. The code is consumed in the same transaction that creates the
 * terminal, so two lanes racing with one code get one terminal. A store that approves its lanes
 * automatically (the demo store) approves this one as a shard recipient here.
 */
export async function provisionTerminal(
  db: Database,
  req: ProvisionRequest,
): Promise<ProvisionResponse> {
  assertP256PublicKey(req.publicKey);
  return db.transaction(async (tx) => {
    const used = await tx.query<{ store_id: string; issued_by: string | null }>(
      `UPDATE provisioning_codes SET used_at = now()
       WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > now() RETURNING store_id, issued_by`,
      [sha256(req.code)],
    );
    const storeId = used.rows[0]?.store_id;
    if (!storeId) {
      const again = await sameRequestAgain(tx, req);
      if (again) return again;
      const known = await tx.query('SELECT 1 FROM provisioning_codes WHERE code_sha256 = $1', [
        sha256(req.code),
      ]);
      if (known.rows.length > 0) throw new SpentCodeError();
      throw new HttpError(403, 'CODE_INVALID', 'The provisioning code is unknown, used or expired');
    }
    const store = await tx.query<{ name: string; settings: StoreSettings }>(
      'SELECT name, settings FROM stores WHERE id = $1',
      [storeId],
    );
    const auto = store.rows[0]?.settings.autoApproveLanes === true;
    const terminalId = randomUUID();
    const publicKey = {
      kty: req.publicKey.kty,
      crv: req.publicKey.crv,
      x: req.publicKey.x,
      y: req.publicKey.y,
    };
    await tx.query(
      `INSERT INTO terminals (id, store_id, device_id, lane_code, public_key, app_version, last_mutation_id,
                              shard_approved_at, shard_approved_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
      [
        terminalId,
        storeId,
        req.deviceId,
        req.laneCode,
        JSON.stringify(publicKey),
        req.appVersion,
        req.nextMutationId - 1,
        auto ? new Date() : null,
        auto ? AUTO_APPROVER : null,
      ],
    );
    await tx.query('UPDATE provisioning_codes SET terminal_id = $2 WHERE code_sha256 = $1', [
      sha256(req.code),
      terminalId,
    ]);
    // The code's issuer is the authority for this lane.
    await recordAdminAudit(tx, {
      storeId,
      actor: used.rows[0]?.issued_by ?? 'unknown',
      action: 'lane.provisioned',
      subject: terminalId,
      detail: { laneCode: req.laneCode, deviceId: req.deviceId, shardApproved: auto },
    });
    return { terminalId, storeId, storeName: store.rows[0]?.name ?? storeId };
  });
}

/**
 * The answer to a provisioning request whose first answer was lost: the same code presented
 * again with the very key (and device) it was spent on gets the terminal that code made, so a
 * lane whose network dropped the 201 is not left holding a spent code (Stripe's idempotency, with
 * the key pair as the idempotency key). Nothing new is granted: the terminal id is not a secret,
 * and only the holder of the private key can sign as that terminal. Anyone else gets CODE_INVALID.
 */
async function sameRequestAgain(
  tx: Queryable,
  req: ProvisionRequest,
): Promise<ProvisionResponse | null> {
  const r = await tx.query<{ id: string; store_id: string; name: string }>(
    `SELECT t.id, t.store_id, s.name FROM provisioning_codes c
       JOIN terminals t ON t.id = c.terminal_id
       JOIN stores s ON s.id = t.store_id
     WHERE c.code_sha256 = $1 AND t.device_id = $2 AND t.revoked_at IS NULL
       AND t.public_key->>'x' = $3 AND t.public_key->>'y' = $4`,
    [sha256(req.code), req.deviceId, req.publicKey.x, req.publicKey.y],
  );
  const row = r.rows[0];
  return row ? { terminalId: row.id, storeId: row.store_id, storeName: row.name } : null;
}
