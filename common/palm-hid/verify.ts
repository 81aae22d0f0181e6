import { equalBytes } from './bytes';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './constants';
import { PalmHidError } from './errors';
import { decodeCaptureResult, type CaptureResult } from './messages';

/**
 * Capture verification (spec §5) through Web Crypto — `globalThis.crypto.subtle` exists in
 * Node ≥ 20 and in browsers — ECDSA P-256 over SHA-256, signatures in IEEE P1363 (r ‖ s).
 */

export type CaptureVerdict = 'accept' | 'bad-signature' | 'nonce-mismatch' | 'replay';

export interface VerifyInput {
  /** The CAPTURE_RESULT payload as assembled. */
  readonly payload: Uint8Array;
  /** The key pinned for this scanner: SEC1 uncompressed (65 bytes) or an imported CryptoKey. */
  readonly publicKey: Uint8Array | CryptoKey;
  /** The nonce the host sent in this CAPTURE. */
  readonly hostNonce: Uint8Array;
  /** The last counter accepted from this scanner (−1 or 0 if none yet). */
  readonly lastCounter: number;
}

export interface VerifyOutcome {
  readonly verdict: CaptureVerdict;
  readonly result: CaptureResult;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new PalmHidError('OTHER', 'Web Crypto (crypto.subtle) is not available in this runtime');
  return s;
}

/** Imports a SEC1 uncompressed P-256 public key for verification. */
export async function importAttestationKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== PUBLIC_KEY_BYTES || raw[0] !== 0x04) {
    throw new PalmHidError(
      'MALFORMED',
      `an attestation key is 65 bytes starting 0x04 (got ${raw.length} bytes)`,
    );
  }
  try {
    return await subtle().importKey(
      'raw',
      raw as BufferSource,
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    );
  } catch {
    throw new PalmHidError('MALFORMED', 'the attestation key is not a point on P-256');
  }
}

/**
 * Checks signature, then nonce, then counter, and names the first failure. A payload that does
 * not parse throws PalmHidError('MALFORMED'): it is not a capture at all.
 */
export async function verifyCapture(input: VerifyInput): Promise<VerifyOutcome> {
  const result = decodeCaptureResult(input.payload);
  const key =
    input.publicKey instanceof Uint8Array
      ? await importAttestationKey(input.publicKey)
      : input.publicKey;
  let ok = false;
  if (result.signature.length === SIGNATURE_BYTES) {
    ok = await subtle().verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      result.signature as BufferSource,
      result.signed as BufferSource,
    );
  }
  if (!ok) return { verdict: 'bad-signature', result };
  if (!equalBytes(result.hostNonce, input.hostNonce)) return { verdict: 'nonce-mismatch', result };
  if (!(result.counter > input.lastCounter)) return { verdict: 'replay', result };
  return { verdict: 'accept', result };
}

/** Device side (the emulator): sign bytes with the attestation key, P1363 r ‖ s. */
export async function signCapture(privateKey: CryptoKey, signed: Uint8Array): Promise<Uint8Array> {
  const sig = await subtle().sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    signed as BufferSource,
  );
  return new Uint8Array(sig);
}

/** A fresh attestation key pair and its public half as SEC1 uncompressed bytes. */
export async function generateAttestationKey(): Promise<{
  keyPair: CryptoKeyPair;
  publicKey: Uint8Array;
}> {
  const keyPair = (await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle().exportKey('raw', keyPair.publicKey));
  return { keyPair, publicKey };
}

/** Cryptographically random bytes for nonces (never the seeded PRNG). */
export function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}
