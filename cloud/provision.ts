import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { ProvisionRequest, ProvisionResponse } from '../common/sync/protocol';
import type { Database } from './db/types';
import { HttpError, notFound } from './errors';

/** Crockford-style alphabet without 0/O and 1/I, so a manager can read a code off a screen. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_TTL_MS = 24 * 60 * 60_000;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Issues a one-time provisioning code for a store (12 characters, ~60 bits). Only its hash is
 * stored, so a database read does not reveal codes still waiting to be used.
 */
export async function issueProvisioningCode(
  db: Database,
  storeId: string,
  ttlMs = CODE_TTL_MS,
): Promise<string> {
  const store = await db.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
  if (store.rows.length === 0) throw notFound(`Store ${storeId}`);
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  await db.query(
    'INSERT INTO provisioning_codes (code_sha256, store_id, expires_at) VALUES ($1, $2, $3)',
    [sha256(code), storeId, new Date(Date.now() + ttlMs)],
  );
  return code;
}

/**
 * Registers a terminal's public key against a one-time code. The code is consumed in the same
 * transaction that creates the terminal, so two lanes racing with one code get one terminal.
 */
export async function provisionTerminal(
  db: Database,
  req: ProvisionRequest,
): Promise<ProvisionResponse> {
  return db.transaction(async (tx) => {
    const used = await tx.query<{ store_id: string }>(
      `UPDATE provisioning_codes SET used_at = now()
       WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > now() RETURNING store_id`,
      [sha256(req.code)],
    );
    const storeId = used.rows[0]?.store_id;
    if (!storeId)
      throw new HttpError(403, 'CODE_INVALID', 'The provisioning code is unknown, used or expired');
    const terminalId = randomUUID();
    const publicKey = {
      kty: req.publicKey.kty,
      crv: req.publicKey.crv,
      x: req.publicKey.x,
      y: req.publicKey.y,
    };
    await tx.query(
      `INSERT INTO terminals (id, store_id, device_id, lane_code, public_key, app_version, last_mutation_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [
        terminalId,
        storeId,
        req.deviceId,
        req.laneCode,
        JSON.stringify(publicKey),
        req.appVersion,
        req.nextMutationId - 1,
      ],
    );
    await tx.query('UPDATE provisioning_codes SET terminal_id = $2 WHERE code_sha256 = $1', [
      sha256(req.code),
      terminalId,
    ]);
    const store = await tx.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [
      storeId,
    ]);
    return { terminalId, storeId, storeName: store.rows[0]?.name ?? storeId };
  });
}
