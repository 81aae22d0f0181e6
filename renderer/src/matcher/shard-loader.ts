import { ShardError } from '../../../common/shard/format';
import { openShard } from '../../../common/shard/open';
import type { OpenedShard, PendingShardPart, ShardProgress } from '../../../common/shard/open';
import type { ShardDatabase } from '../shard/shard-db';

export interface LoadOptions {
  readonly store: string;
  readonly terminalId: string;
  /** The cloud's ECDSA P-256 verification key. */
  readonly cloudKey: CryptoKey;
  readonly onProgress?: (p: ShardProgress) => void;
}

/** Reads every stored part from Dexie and opens the chain: all or nothing. */
export async function loadShard(db: ShardDatabase, o: LoadOptions): Promise<OpenedShard> {
  const manifests = await db.manifests.orderBy('version').toArray();
  if (manifests.length === 0) throw new ShardError('chain', 'no shard stored yet');
  const parts: PendingShardPart[] = [];
  for (const m of manifests) {
    // One read per chunk, all issued now: each ciphertext is handed to decryption as it arrives
    // instead of after the whole shard (~80 MB at 100k) has been read.
    const keys = await db.chunks.where('version').equals(m.version).primaryKeys();
    const chunks = keys
      .sort((a, b) => a[1] - b[1])
      .map(async (key, i) => {
        const row = await db.chunks.get(key);
        if (!row || key[1] !== i)
          throw new ShardError('chunk', `chunk ${i} of ${m.version} is missing`);
        return row.ciphertext;
      });
    for (const c of chunks) c.catch(() => {}); // awaited by openShard; a failure throws there
    parts.push({ signed: m.signed, chunks });
  }
  const { privateKey } = await db.terminalKeyPair();
  return openShard(parts, { ...o, terminalKey: privateKey });
}
