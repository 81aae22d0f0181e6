import { parseManifestText } from '../common/shard/format';
import type { ShardPart } from '../common/shard/open';
import type { JsonWebKeyLike, ShardFeed, ShardFeedPart } from '../common/sync/protocol';
import type { Database } from './db/types';
import { HttpError, notFound } from './errors';
import type { ShardSource } from './pull';
import type { TerminalRecipient } from './shard/builder';

/**
 * Publication of the template shard built by cloud/shard/builder.ts: stores each signed manifest
 * and its chunk ciphertexts, lists the store's lanes as key recipients, and serves the chain to
 * lanes through pull (manifests) and a chunk endpoint (ciphertexts).
 */

/**
 * The lanes the builder wraps the shard key for: those of the store that registered an ECDH key,
 * that a manager approved as recipients (shard-approval.ts), and that are not revoked.
 */
export async function shardRecipients(db: Database, storeId: string): Promise<TerminalRecipient[]> {
  const r = await db.query<{ id: string; shard_key: JsonWebKey }>(
    `SELECT id, shard_key FROM terminals
     WHERE store_id = $1 AND shard_key IS NOT NULL AND shard_approved_at IS NOT NULL
       AND revoked_at IS NULL
     ORDER BY id`,
    [storeId],
  );
  return Promise.all(
    r.rows.map(async (row) => ({
      terminalId: row.id,
      publicKey: await crypto.subtle.importKey(
        'jwk',
        row.shard_key,
        { name: 'ECDH', namedCurve: 'P-256' },
        true,
        [],
      ),
    })),
  );
}

/** Records a lane's ECDH public key (signed request from that lane). */
export async function registerShardKey(
  db: Database,
  terminalId: string,
  jwk: JsonWebKeyLike,
): Promise<void> {
  // Refuse anything that is not a valid P-256 point before storing it.
  await crypto.subtle
    .importKey(
      'jwk',
      { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      { name: 'ECDH', namedCurve: 'P-256' },
      true,
      [],
    )
    .catch(() => {
      throw new HttpError(400, 'BAD_REQUEST', 'publicKey is not a P-256 public key');
    });
  await db.query('UPDATE terminals SET shard_key = $2::jsonb WHERE id = $1', [
    terminalId,
    JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }),
  ]);
}

/**
 * Stores one built part. The manifest must be for this store and newer than every stored part;
 * `verifyKey` (the signing key's public half) is recorded for the store so lanes can check it.
 */
export async function publishShardPart(
  db: Database,
  storeId: string,
  part: ShardPart,
  verifyKey: CryptoKey,
): Promise<number> {
  const m = parseManifestText(part.signed.manifest);
  if (m.store !== storeId)
    throw new HttpError(400, 'BAD_REQUEST', `manifest is for store ${m.store}`);
  if (part.chunks.length !== m.chunks.length)
    throw new HttpError(400, 'BAD_REQUEST', 'chunk count does not match the manifest');
  const jwk = await crypto.subtle.exportKey('jwk', verifyKey);
  await db.transaction(async (tx) => {
    const store = await tx.query('SELECT 1 FROM stores WHERE id = $1 FOR UPDATE', [storeId]);
    if (store.rows.length === 0) throw notFound(`Store ${storeId}`);
    const latest = await tx.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM shard_parts WHERE store_id = $1',
      [storeId],
    );
    const v = latest.rows[0]?.v ?? 0;
    if (m.version <= v)
      throw new HttpError(409, 'SHARD_VERSION', `shard version ${m.version} is not above ${v}`);
    await tx.query(
      `INSERT INTO shard_parts (store_id, version, kind, base, manifest, signature, chunk_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        storeId,
        m.version,
        m.kind,
        m.base,
        part.signed.manifest,
        part.signed.signature,
        part.chunks.length,
      ],
    );
    for (const [idx, bytes] of part.chunks.entries()) {
      await tx.query(
        'INSERT INTO shard_chunks (store_id, version, idx, bytes) VALUES ($1, $2, $3, $4)',
        [storeId, m.version, idx, bytes],
      );
    }
    await tx.query('UPDATE stores SET shard_verify_key = $2::jsonb WHERE id = $1', [
      storeId,
      JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }),
    ]);
  });
  return m.version;
}

/** The pull feed: the chain from the latest full or rekey snapshot on, manifests inline. */
export function databaseShardSource(db: Database): ShardSource {
  return {
    async feed(storeId: string): Promise<ShardFeed | null> {
      const r = await db.query<{
        version: number;
        kind: ShardFeedPart['kind'];
        manifest: string;
        signature: string;
        chunk_count: number;
      }>(
        `SELECT version, kind, manifest, signature, chunk_count FROM shard_parts
         WHERE store_id = $1 AND version >= COALESCE(
           (SELECT max(version) FROM shard_parts WHERE store_id = $1 AND kind <> 'delta'), 0)
         ORDER BY version`,
        [storeId],
      );
      if (r.rows.length === 0) return null;
      const key = await db.query<{ shard_verify_key: JsonWebKeyLike | null }>(
        'SELECT shard_verify_key FROM stores WHERE id = $1',
        [storeId],
      );
      return {
        verifyKey: key.rows[0]?.shard_verify_key ?? null,
        parts: r.rows.map((p) => ({
          version: p.version,
          kind: p.kind,
          signed: { manifest: p.manifest, signature: p.signature },
          chunkCount: p.chunk_count,
        })),
      };
    },
  };
}

/** One chunk's ciphertext, for a lane of the chunk's own store only. */
export async function shardChunk(
  db: Database,
  storeId: string,
  version: number,
  index: number,
): Promise<Uint8Array> {
  const r = await db.query<{ bytes: Uint8Array }>(
    'SELECT bytes FROM shard_chunks WHERE store_id = $1 AND version = $2 AND idx = $3',
    [storeId, version, index],
  );
  const row = r.rows[0];
  if (!row) throw notFound('Shard chunk');
  return row.bytes;
}
