import { ShardError } from '../../../common/shard/format';
import { openShard } from '../../../common/shard/open';
import type { OpenedShard, ShardPart, ShardProgress } from '../../../common/shard/open';
import type { ShardDatabase } from './shard-db';

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
  const parts: ShardPart[] = [];
  for (const m of manifests) {
    const chunks = await db.chunks.where('version').equals(m.version).sortBy('index');
    parts.push({ signed: m.signed, chunks: chunks.map((c) => c.ciphertext) });
  }
  const { privateKey } = await db.terminalKeyPair();
  return openShard(parts, { ...o, terminalKey: privateKey });
}
