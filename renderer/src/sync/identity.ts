import type { ProvisionResponse } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';

export const IDENTITY_KEY = 'sync-identity';

/**
 * What a provisioned lane knows about itself. The private key is a non-extractable Web Crypto
 * key: IndexedDB stores it by structured clone, and no script (ours included) can read its bytes.
 */
export interface SyncIdentity {
  readonly cloudUrl: string;
  readonly terminalId: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly deviceId: string;
  readonly laneCode: string;
  readonly privateKey: CryptoKey;
  readonly provisionedAt: string;
}

export async function loadIdentity(db: TerminalDatabase): Promise<SyncIdentity | null> {
  const row = await db.settings.get(IDENTITY_KEY);
  const v = row?.value as SyncIdentity | undefined;
  return v && typeof v.terminalId === 'string' && v.privateKey ? v : null;
}

export async function forgetIdentity(db: TerminalDatabase): Promise<void> {
  await db.settings.delete(IDENTITY_KEY);
}

/** A fresh P-256 key pair: private non-extractable (signing only), public exported as JWK. */
export async function generateTerminalKeys(): Promise<{
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
}> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk };
}

export function storeIdentity(db: TerminalDatabase, identity: SyncIdentity): Promise<unknown> {
  return db.settings.put({ key: IDENTITY_KEY, value: identity });
}

export function identityFrom(
  res: ProvisionResponse,
  input: { cloudUrl: string; deviceId: string; laneCode: string; privateKey: CryptoKey },
): SyncIdentity {
  return {
    cloudUrl: input.cloudUrl,
    terminalId: res.terminalId,
    storeId: res.storeId,
    storeName: res.storeName,
    deviceId: input.deviceId,
    laneCode: input.laneCode,
    privateKey: input.privateKey,
    provisionedAt: new Date().toISOString(),
  };
}
