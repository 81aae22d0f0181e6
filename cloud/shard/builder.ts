import {
  chunkAad,
  deriveWrapKey,
  SIGN_ALG,
  sha256,
  toBase64,
} from '../../common/shard/shard-crypto';
export { hashPhoneLast4 } from '../../common/shard/shard-crypto';
import { encodeChunk } from '../../common/shard/chunk';
import type { ChunkLayout } from '../../common/shard/chunk';
import { SHARD_FORMAT } from '../../common/shard/format';
import { deriveTransform } from '../../common/shard/transform';
import type { TransformKey } from '../../common/shard/transform';
export { generateTransformKey } from '../../common/shard/transform';
import type {
  ChunkBody,
  ChunkRef,
  ShardManifest,
  ShardRecord,
  WrappedKey,
} from '../../common/shard/format';
import type { ShardPart } from '../../common/shard/open';

/**
 * Cloud side of the template shard: rotates every template with the store's transform
 * (common/shard/transform.ts), chunks, encrypts (AES-256-GCM, fresh 96-bit IV per chunk),
 * wraps the shard key for each terminal (ECDH P-256 + HKDF + AES-KW) and signs the manifest
 * (ECDSA P-256). Web Crypto only, so it runs in the cloud and in tests alike.
 */
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export interface ShardKey {
  readonly id: string;
  /** AES-256-GCM, extractable so it can be wrapped. Kept by the cloud, never by a terminal. */
  readonly key: CryptoKey;
}

export interface TerminalRecipient {
  readonly terminalId: string;
  /** The terminal's ECDH P-256 public key. */
  readonly publicKey: CryptoKey;
}

export interface BuildInput {
  readonly store: string;
  readonly version: number;
  readonly kind: ShardManifest['kind'];
  readonly base?: number;
  readonly shardKey: ShardKey;
  /** Terminals to wrap the key for; may be empty for a delta under an unchanged key. */
  readonly recipients: readonly TerminalRecipient[];
  /**
   * The store's template transform. A snapshot (full, rekey) carries it, encrypted, as chunk 0;
   * a delta must name the chain's. `adds` hold raw templates: the builder rotates them.
   */
  readonly transform: TransformKey;
  readonly adds?: readonly ShardRecord[];
  readonly tombstones?: readonly string[];
  /** Records per chunk (default 1000, about 0.5 MB of templates). */
  readonly chunkRecords?: number;
  /** Chunk metadata layout (default binary; `json` only for measuring the old one). */
  readonly layout?: ChunkLayout;
  readonly signingKey: CryptoKey;
  readonly now?: Date;
}

export async function generateShardKey(id: string): Promise<ShardKey> {
  const key = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ]);
  return { id, key };
}

export async function generateSigningKeyPair(): Promise<CryptoKeyPair> {
  return subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

async function wrapFor(r: TerminalRecipient, k: ShardKey): Promise<WrappedKey> {
  const eph = await subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ]);
  const kek = await deriveWrapKey(eph.privateKey, r.publicKey, k.id);
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', k.key, kek, 'AES-KW'));
  const ephemeral = new Uint8Array(await subtle().exportKey('raw', eph.publicKey));
  return { terminalId: r.terminalId, ephemeral: toBase64(ephemeral), wrapped: toBase64(wrapped) };
}

/** Builds, encrypts and signs one manifest with its chunks. */
export async function buildShardPart(input: BuildInput): Promise<ShardPart> {
  const per = input.chunkRecords ?? 1000;
  if (!Number.isInteger(per) || per < 1) throw new RangeError('chunkRecords must be >= 1');
  if (input.kind === 'delta' && input.base === undefined)
    throw new RangeError('a delta needs a base version');
  if (input.kind !== 'delta' && input.tombstones?.length)
    throw new RangeError('only a delta carries tombstones');
  const bodies: ChunkBody[] = [];
  if (input.kind !== 'delta') bodies.push({ kind: 'transform', transform: input.transform });
  const rotation = await deriveTransform(input.store, input.transform);
  const adds = (input.adds ?? []).map((r) => ({
    ...r,
    templates: r.templates.map((t) => rotation.apply(t)),
  }));
  for (let i = 0; i < adds.length; i += per)
    bodies.push({ kind: 'records', records: adds.slice(i, i + per) });
  if (input.tombstones?.length) bodies.push({ kind: 'tombstones', templateIds: input.tombstones });
  const head = { store: input.store, version: input.version, keyId: input.shardKey.id };
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const refs: ChunkRef[] = [];
  for (const [index, body] of bodies.entries()) {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const ref0 = { index, kind: body.kind };
    const ct = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-GCM', iv, additionalData: chunkAad(head, ref0), tagLength: 128 },
        input.shardKey.key,
        encodeChunk(body, body.kind === 'transform' ? 'binary' : input.layout),
      ),
    );
    chunks.push(ct);
    refs.push({
      ...ref0,
      count:
        body.kind === 'records'
          ? body.records.length
          : body.kind === 'tombstones'
            ? body.templateIds.length
            : 1,
      size: ct.length,
      iv: toBase64(iv),
      sha256: toBase64(await sha256(ct)),
    });
  }
  const manifest: ShardManifest = {
    format: SHARD_FORMAT,
    ...head,
    kind: input.kind,
    base: input.kind === 'delta' ? input.base! : null,
    transform: { generation: input.transform.generation },
    createdAt: (input.now ?? new Date()).toISOString(),
    chunks: refs,
    keys: await Promise.all(input.recipients.map((r) => wrapFor(r, input.shardKey))),
  };
  const text = JSON.stringify(manifest);
  const signature = new Uint8Array(
    await subtle().sign(SIGN_ALG, input.signingKey, new TextEncoder().encode(text)),
  );
  return { signed: { manifest: text, signature: toBase64(signature) }, chunks };
}
