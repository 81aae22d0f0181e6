import { z } from 'zod';
import type { TransformKey } from './transform';

/**
 * The encrypted template shard, format `palm-shard/2` (docs/shard-format.md). A shard is a chain
 * of signed manifests: one `full` snapshot, then `delta`s (adds and tombstones) and `rekey`s (a
 * full snapshot under a new shard key). Each manifest lists its AES-256-GCM chunks by hash; a
 * snapshot's first chunk carries the store's template transform key (common/shard/transform.ts).
 * Chunk plaintext layouts: common/shard/chunk.ts.
 */
export const SHARD_FORMAT = 'palm-shard/2';
export const TEMPLATE_BYTES = 512;

/** What the payment flow needs about an enrolled shopper, besides the templates. */
export interface ShardRecord {
  /** Unique per enrolled palm template set; what the matcher reports. */
  readonly templateId: string;
  /** Pseudonymous customer reference: the cloud maps it to the account, the terminal cannot. */
  readonly customerRef: string;
  /**
   * One or more PT1 templates (512 int8 each), e.g. several enrolment captures. In a shard they
   * are under the store's transform: the builder rotates them, a decoded chunk holds them rotated.
   */
  readonly templates: readonly Int8Array[];
  readonly ageVerified: boolean;
  readonly loyaltyId: string | null;
  /** Per-customer limits in minor units of `currency`. */
  readonly limits: {
    readonly currency: string;
    readonly perPayment: number;
    readonly perDay: number;
  };
  /** Salted SHA-256 of the phone number's last four digits, for step-up (base64 both). */
  readonly phoneLast4: { readonly salt: string; readonly hash: string };
}

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const id = z.string().min(1).max(128);

/** A record's metadata in a chunk (the reference; decodeChunk checks it by hand, see below). */
export const recordMetaSchema = z.strictObject({
  templateId: id,
  customerRef: id,
  templates: z.number().int().min(1).max(16),
  ageVerified: z.boolean(),
  loyaltyId: z.string().max(128).nullable(),
  limits: z.strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/),
    perPayment: z.number().int().min(0),
    perDay: z.number().int().min(0),
  }),
  phoneLast4: z.strictObject({ salt: b64, hash: b64 }),
});

/** Chunk contents once decrypted: records to add, template ids to tombstone, or the transform. */
export type ChunkBody =
  | { readonly kind: 'records'; readonly records: readonly ShardRecord[] }
  | { readonly kind: 'tombstones'; readonly templateIds: readonly string[] }
  | { readonly kind: 'transform'; readonly transform: TransformKey };

export const chunkRefSchema = z.strictObject({
  /** Position in this manifest, bound into the chunk's AES-GCM additional data. */
  index: z.number().int().min(0),
  kind: z.enum(['records', 'tombstones', 'transform']),
  /** Records or tombstones inside (1 for the transform), for progress counts before decrypting. */
  count: z.number().int().min(0),
  /** Ciphertext length in bytes (tag included). */
  size: z.number().int().min(17),
  /** 96-bit AES-GCM IV, fresh per chunk (base64). */
  iv: b64.length(16),
  /** SHA-256 of the ciphertext (base64). */
  sha256: b64.length(44),
});
export type ChunkRef = z.infer<typeof chunkRefSchema>;

export const wrappedKeySchema = z.strictObject({
  terminalId: id,
  /** Ephemeral ECDH P-256 public key, raw uncompressed point (base64). */
  ephemeral: b64,
  /** The shard key under AES-KW, with a key derived by ECDH + HKDF-SHA-256 (base64). */
  wrapped: b64,
});
export type WrappedKey = z.infer<typeof wrappedKeySchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(SHARD_FORMAT),
  store: id,
  /** Strictly increasing per store; a delta names the version it applies to. */
  version: z.number().int().min(1),
  kind: z.enum(['full', 'delta', 'rekey']),
  /** For `delta`: the version this applies on top of; null otherwise. */
  base: z.number().int().min(1).nullable(),
  /** Which shard key encrypts the chunks. */
  keyId: id,
  /**
   * The store's template transform generation the records are under. A snapshot carries its key
   * in chunk 0 (kind `transform`); a delta names the generation of the chain it applies to.
   */
  transform: z.strictObject({ generation: z.number().int().min(1).max(0xffffffff) }),
  createdAt: z.string().datetime(),
  chunks: z.array(chunkRefSchema),
  /** The shard key, wrapped for each terminal of the store (absent for a delta under the same key). */
  keys: z.array(wrappedKeySchema),
});
export type ShardManifest = z.infer<typeof manifestSchema>;

/** A manifest as published: its exact JSON text and the cloud's ECDSA P-256 signature over it. */
export const signedManifestSchema = z.strictObject({ manifest: z.string().min(2), signature: b64 });
export type SignedManifest = z.infer<typeof signedManifestSchema>;

export class ShardError extends Error {
  constructor(
    readonly reason: 'signature' | 'format' | 'chunk' | 'key' | 'chain',
    message: string,
  ) {
    super(message);
    this.name = 'ShardError';
  }
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RECORD_KEYS = [
  'templateId',
  'customerRef',
  'templates',
  'ageVerified',
  'loyaltyId',
  'limits',
  'phoneLast4',
];
const LIMIT_KEYS = ['currency', 'perPayment', 'perDay'];
const PHONE_KEYS = ['salt', 'hash'];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function hasExactly(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && own.every((k) => keys.includes(k));
}
const isId = (x: unknown) => typeof x === 'string' && x.length >= 1 && x.length <= 128;
const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;

/** recordMetaSchema's rules by hand; null when the record is valid, else what is wrong. */
export function recordMetaProblem(r: unknown): string | null {
  if (!isObject(r) || !hasExactly(r, RECORD_KEYS))
    return `fields must be ${RECORD_KEYS.join(', ')}`;
  if (!isId(r.templateId)) return 'templateId must be 1–128 characters';
  if (!isId(r.customerRef)) return 'customerRef must be 1–128 characters';
  const t = r.templates;
  if (!Number.isSafeInteger(t) || (t as number) < 1 || (t as number) > 16)
    return 'templates must be an integer 1–16';
  if (typeof r.ageVerified !== 'boolean') return 'ageVerified must be a boolean';
  if (r.loyaltyId !== null && !(typeof r.loyaltyId === 'string' && r.loyaltyId.length <= 128))
    return 'loyaltyId must be null or at most 128 characters';
  const l = r.limits;
  if (!isObject(l) || !hasExactly(l, LIMIT_KEYS))
    return 'limits must be currency, perPayment, perDay';
  if (typeof l.currency !== 'string' || !/^[A-Z]{3}$/.test(l.currency))
    return 'limits.currency must be an ISO 4217 code';
  if (!isCount(l.perPayment) || !isCount(l.perDay)) return 'limits must be non-negative integers';
  const p = r.phoneLast4;
  if (!isObject(p) || !hasExactly(p, PHONE_KEYS)) return 'phoneLast4 must be salt, hash';
  if (
    typeof p.salt !== 'string' ||
    !B64.test(p.salt) ||
    typeof p.hash !== 'string' ||
    !B64.test(p.hash)
  )
    return 'phoneLast4 salt and hash must be base64';
  return null;
}

export function parseManifestText(text: string): ShardManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ShardError('format', 'manifest is not JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new ShardError('format', `manifest: ${parsed.error.message}`);
  const m = parsed.data;
  m.chunks.forEach((c, i) => {
    if (c.index !== i) throw new ShardError('format', `manifest chunk ${i} has index ${c.index}`);
  });
  if ((m.kind === 'delta') !== (m.base !== null))
    throw new ShardError('format', 'only a delta names a base version');
  const transforms = m.chunks.filter((c) => c.kind === 'transform');
  if (m.kind === 'delta' ? transforms.length > 0 : m.chunks[0]?.kind !== 'transform')
    throw new ShardError('format', 'a snapshot carries its transform in chunk 0, a delta none');
  if (transforms.length > 1 || transforms.some((c) => c.count !== 1))
    throw new ShardError('format', 'a snapshot carries exactly one transform');
  return m;
}
