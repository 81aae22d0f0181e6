/**
 * Per-person staff credentials (managers and attendants). The store cloud keeps each person's
 * PBKDF2 verifier and sends the active ones to its lanes in the store settings, so a lane can
 * check a passcode offline. The passcode itself never leaves the person typing it, except to the
 * cloud for an online check (scanner approval, the dashboard login).
 *
 * Strength: 8–12 digits and PBKDF2-HMAC-SHA256 at 600 000 iterations (OWASP 2023). One guess costs
 * ~160 ms on one core, so the 10^8 eight-digit passcodes take about half a year on one core
 * (docs/cloud.md, "Staff credentials"). A GPU farm is faster: the verifiers on a lane are
 * protected data, not public data.
 */

export const STAFF_ROLES = ['manager', 'attendant'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PASSCODE_PATTERN = /^\d{8,12}$/;
export const PASSCODE_RULE = 'a passcode is 8–12 digits';
export const PBKDF2_ALG = 'PBKDF2-SHA256';
export const PBKDF2_ITERATIONS = 600_000;
export const PBKDF2_SALT_BYTES = 16;
export const PBKDF2_HASH_BYTES = 32;
export const STAFF_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface StaffVerifier {
  readonly alg: typeof PBKDF2_ALG;
  readonly iterations: number;
  /** base64url, 16 bytes */
  readonly salt: string;
  /** base64url, 32 bytes */
  readonly hash: string;
}

export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly verifier: StaffVerifier;
}

/** Who approved something, as audits and requests name them (never the verifier). */
export interface StaffRef {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
}

export const staffRef = (m: StaffRef): StaffRef => ({ id: m.id, name: m.name, role: m.role });

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** PBKDF2-HMAC-SHA256 through Web Crypto (browsers, workers and Node all have it). */
export async function derivePasscodeHash(
  passcode: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', new TextEncoder().encode(passcode), 'PBKDF2', false, [
    'deriveBits',
  ]);
  return new Uint8Array(
    await subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
      key,
      PBKDF2_HASH_BYTES * 8,
    ),
  );
}

/**
 * Checks a passcode against a verifier. A verifier weaker than this build's minimum (fewer
 * iterations, another algorithm, a short salt) is refused outright rather than checked: a
 * downgraded copy on a lane must not become the easy one.
 */
export async function checkPasscode(verifier: StaffVerifier, passcode: string): Promise<boolean> {
  if (!PASSCODE_PATTERN.test(passcode)) return false;
  if (
    verifier.alg !== PBKDF2_ALG ||
    !Number.isSafeInteger(verifier.iterations) ||
    verifier.iterations < PBKDF2_ITERATIONS
  )
    return false;
  const salt = fromBase64Url(verifier.salt);
  const expected = fromBase64Url(verifier.hash);
  if (salt.length < PBKDF2_SALT_BYTES || expected.length !== PBKDF2_HASH_BYTES) return false;
  const actual = await derivePasscodeHash(passcode, salt, verifier.iterations);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ actual[i]!;
  return diff === 0;
}
