import { decryptChunk, unwrapShardKey, verifyManifest } from './shard-crypto';
import { decodeChunk } from './chunk';
import { ShardError } from './format';
import type { ShardManifest, ShardRecord, SignedManifest } from './format';
import type { TransformKey } from './transform';

/** One published manifest and its chunk ciphertexts, in manifest order. */
export interface ShardPart {
  readonly signed: SignedManifest;
  readonly chunks: readonly Uint8Array<ArrayBuffer>[];
}

/** What openShard reads: a part whose ciphertexts may still be arriving from storage. */
export interface PendingShardPart {
  readonly signed: SignedManifest;
  readonly chunks: readonly (Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>)[];
}

export interface ShardProgress {
  readonly chunksDone: number;
  readonly chunksTotal: number;
  readonly records: number;
}

export interface OpenedShard {
  readonly store: string;
  readonly version: number;
  readonly keyId: string;
  /** Live records by template id, in the order they were added (templates under `transform`). */
  readonly records: Map<string, ShardRecord>;
  /** The store's template transform the records are under; the matcher applies it to probes. */
  readonly transform: TransformKey;
}

export interface OpenOptions {
  readonly store: string;
  readonly terminalId: string;
  readonly cloudKey: CryptoKey;
  readonly terminalKey: CryptoKey;
  readonly onProgress?: (p: ShardProgress) => void;
}

/**
 * Verifies and decrypts a shard chain (a full or rekey snapshot, then deltas) and applies it.
 * Any bad signature, hash, tag, key or chain link throws a ShardError: the shard is refused
 * whole, never half-loaded.
 */
export async function openShard(
  parts: readonly PendingShardPart[],
  o: OpenOptions,
): Promise<OpenedShard> {
  const manifests: ShardManifest[] = [];
  for (const p of parts) manifests.push(await verifyManifest(p.signed, o.cloudKey));
  checkChain(manifests, o.store);
  const chunksTotal = manifests.reduce((s, m) => s + m.chunks.length, 0);
  let chunksDone = 0;
  let records = new Map<string, ShardRecord>();
  let key: CryptoKey | undefined;
  let keyId = '';
  let transform: TransformKey | undefined;
  for (let i = 0; i < parts.length; i++) {
    const m = manifests[i]!;
    const part = parts[i]!;
    if (m.kind !== 'delta') records = new Map();
    if (m.keyId !== keyId || m.keys.length > 0) {
      const mine = m.keys.find((k) => k.terminalId === o.terminalId);
      if (!mine)
        throw new ShardError(
          'key',
          `manifest ${m.version} wraps no key for terminal ${o.terminalId}`,
        );
      key = await unwrapShardKey(mine, m.keyId, o.terminalKey);
      keyId = m.keyId;
    }
    if (part.chunks.length !== m.chunks.length) {
      throw new ShardError(
        'chunk',
        `manifest ${m.version} lists ${m.chunks.length} chunks, ${part.chunks.length} present`,
      );
    }
    // Start every chunk's hash check and decryption at once: Web Crypto runs them off this
    // thread, so they overlap with decoding, in order, the chunks already decrypted (measured at
    // 100k templates in Chromium: ~1.0 s sequential). The first failure in order still throws.
    const plains = m.chunks.map(async (ref) =>
      decryptChunk(m, ref, await part.chunks[ref.index]!, key!),
    );
    for (const p of plains) p.catch(() => {}); // handled when awaited below
    for (const ref of m.chunks) {
      const body = decodeChunk(await plains[ref.index]!);
      const count =
        body.kind === 'records'
          ? body.records.length
          : body.kind === 'tombstones'
            ? body.templateIds.length
            : 1;
      if (body.kind !== ref.kind || count !== ref.count)
        throw new ShardError('format', `chunk ${ref.index} does not match its manifest entry`);
      if (body.kind === 'records') for (const r of body.records) records.set(r.templateId, r);
      else if (body.kind === 'tombstones') for (const id of body.templateIds) records.delete(id);
      else {
        // parseManifestText put it first in every snapshot, so no record precedes it.
        if (body.transform.generation !== m.transform.generation)
          throw new ShardError(
            'format',
            `manifest ${m.version} names another transform generation`,
          );
        transform = body.transform;
      }
      chunksDone++;
      o.onProgress?.({ chunksDone, chunksTotal, records: records.size });
    }
  }
  const last = manifests[manifests.length - 1]!;
  if (!transform) throw new ShardError('format', 'the shard carries no template transform');
  return { store: last.store, version: last.version, keyId, records, transform };
}

function checkChain(ms: readonly ShardManifest[], store: string): void {
  if (ms.length === 0) throw new ShardError('chain', 'no shard');
  ms.forEach((m, i) => {
    if (m.store !== store)
      throw new ShardError('chain', `manifest ${m.version} is for store ${m.store}, not ${store}`);
    if (i === 0 && m.kind === 'delta')
      throw new ShardError('chain', 'a shard must start with a full snapshot');
    const prev = ms[i - 1];
    if (!prev) return;
    if (m.version <= prev.version)
      throw new ShardError('chain', `version ${m.version} does not follow ${prev.version}`);
    if (m.kind === 'delta' && (m.base !== prev.version || m.keyId !== prev.keyId)) {
      throw new ShardError('chain', `delta ${m.version} does not apply to version ${prev.version}`);
    }
    // A delta's templates are under the chain's transform; a snapshot may only move it forward
    // (an older generation is one whose leaked templates were meant to be revoked).
    const g = m.transform.generation;
    const pg = prev.transform.generation;
    if (m.kind === 'delta' ? g !== pg : g < pg)
      throw new ShardError('chain', `version ${m.version} is under transform ${g} after ${pg}`);
  });
}
