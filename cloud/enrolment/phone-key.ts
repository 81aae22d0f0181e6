import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/types';
import type { KeyVault, WrappedKey } from '../payments/key-vault';

/**
 * The keyed hash of a shopper's E.164 phone number, for look-up ("is this number enrolled?",
 * a manager finding a shopper on request) without keeping the number: HMAC-SHA-256 under a
 * per-store secret that the KeyVault wraps. A plain or salted hash of a phone number falls to
 * enumerating the ~10^10 numbers of a country; without the secret there is nothing to enumerate.
 */
const context = (storeId: string) => `phone-lookup|${storeId}`;

export async function storePhoneSecret(
  tx: Queryable,
  vault: KeyVault,
  storeId: string,
): Promise<Uint8Array> {
  const r = await tx.query<{ phone_key: WrappedKey }>(
    'SELECT phone_key FROM store_secrets WHERE store_id = $1',
    [storeId],
  );
  if (r.rows[0]) return vault.unwrap(r.rows[0].phone_key, context(storeId));
  const secret = randomBytes(32);
  const wrapped = await vault.wrap(secret, context(storeId));
  // Two first enrolments at once: the first insert wins and both use its secret.
  await tx.query(
    'INSERT INTO store_secrets (store_id, phone_key) VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING',
    [storeId, JSON.stringify(wrapped)],
  );
  return storePhoneSecret(tx, vault, storeId);
}

/** The store's phone-lookup secret if it has one (no enrolment yet: none), never creating it. */
export async function existingPhoneSecret(
  db: Queryable,
  vault: KeyVault,
  storeId: string,
): Promise<Uint8Array | null> {
  const r = await db.query<{ phone_key: WrappedKey }>(
    'SELECT phone_key FROM store_secrets WHERE store_id = $1',
    [storeId],
  );
  return r.rows[0] ? vault.unwrap(r.rows[0].phone_key, context(storeId)) : null;
}

export function phoneKey(secret: Uint8Array, e164: string): string {
  return createHmac('sha256', secret).update(e164, 'utf8').digest('base64url');
}
