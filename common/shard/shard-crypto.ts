import { parseManifestText, ShardError } from './format';
import type { ChunkRef, ShardManifest, SignedManifest, WrappedKey } from './format';

/**
 * Web Crypto pieces both ends of the shard share (the cloud builder and the terminal). Only
 * `globalThis.crypto.subtle`: present in browsers, workers and Node 20+.
 */
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const enc = new TextEncoder();

export const SIGN_ALG: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const HKDF_INFO = enc.encode('palm-shard/1 key wrap');

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/**
 * AES-GCM additional data: binds a chunk to its store, manifest version, key and position, so a
 * valid chunk cannot be moved to another shard, version or slot.
 */
export function chunkAad(
  m: Pick<ShardManifest, 'store' | 'version' | 'keyId'>,
  ref: Pick<ChunkRef, 'index' | 'kind'>,
): Uint8Array<ArrayBuffer> {
  return enc.encode(`palm-shard/1|${m.store}|${m.version}|${m.keyId}|${ref.index}|${ref.kind}`);
}

/** Verifies the cloud's signature over the manifest's exact text, then parses it. */
export async function verifyManifest(
  signed: SignedManifest,
  cloudKey: CryptoKey,
): Promise<ShardManifest> {
  let ok = false;
  try {
    ok = await subtle().verify(
      SIGN_ALG,
      cloudKey,
      fromBase64(signed.signature),
      enc.encode(signed.manifest),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new ShardError('signature', 'manifest signature does not verify');
  return parseManifestText(signed.manifest);
}

/** Checks a chunk's hash and size against the manifest, then decrypts and authenticates it. */
export async function decryptChunk(
  m: ShardManifest,
  ref: ChunkRef,
  ciphertext: Uint8Array<ArrayBuffer>,
  shardKey: CryptoKey,
): Promise<Uint8Array<ArrayBuffer>> {
  if (ciphertext.length !== ref.size)
    throw new ShardError(
      'chunk',
      `chunk ${ref.index} is ${ciphertext.length} bytes, manifest says ${ref.size}`,
    );
  if (toBase64(await sha256(ciphertext)) !== ref.sha256)
    throw new ShardError('chunk', `chunk ${ref.index} hash mismatch`);
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: fromBase64(ref.iv), additionalData: chunkAad(m, ref), tagLength: 128 },
      shardKey,
      ciphertext,
    );
    return new Uint8Array(plain);
  } catch {
    throw new ShardError('key', `chunk ${ref.index} does not decrypt under key ${m.keyId}`);
  }
}

/** The AES-KW key both sides derive: HKDF-SHA-256 over the ECDH secret, salted with the key id. */
export async function deriveWrapKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  keyId: string,
): Promise<CryptoKey> {
  const secret = await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const hkdf = await subtle().importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode(keyId), info: HKDF_INFO },
    hkdf,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** Terminal side: unwraps the shard key with the terminal's own (non-extractable) ECDH key. */
export async function unwrapShardKey(
  w: WrappedKey,
  keyId: string,
  terminalPrivateKey: CryptoKey,
): Promise<CryptoKey> {
  try {
    const ephemeral = await subtle().importKey(
      'raw',
      fromBase64(w.ephemeral),
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    const kek = await deriveWrapKey(terminalPrivateKey, ephemeral, keyId);
    return await subtle().unwrapKey('raw', fromBase64(w.wrapped), kek, 'AES-KW', 'AES-GCM', false, [
      'decrypt',
    ]);
  } catch {
    throw new ShardError('key', `shard key ${keyId} does not unwrap with this terminal's key`);
  }
}

/**
 * Salted SHA-256 of the last four phone digits, as a record carries it. Four digits are only
 * 10 000 guesses: the salt stops cross-record tables, the shard's encryption is the protection.
 */
export async function hashPhoneLast4(
  last4: string,
  salt: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(16)),
) {
  if (!/^\d{4}$/.test(last4)) throw new RangeError('last four phone digits must be four digits');
  const input = new Uint8Array([...salt, ...enc.encode(last4)]);
  return { salt: toBase64(salt), hash: toBase64(await sha256(input)) };
}

/** Step-up check on the terminal: does `last4` match the record's salted hash? */
export async function checkPhoneLast4(
  last4: string,
  stored: { salt: string; hash: string },
): Promise<boolean> {
  if (!/^\d{4}$/.test(last4)) return false;
  return (await hashPhoneLast4(last4, fromBase64(stored.salt))).hash === stored.hash;
}
