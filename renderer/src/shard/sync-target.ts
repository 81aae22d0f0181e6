import type { SignedManifest } from '../../../common/shard/format';
import type { ShardDatabase } from './shard-db';

/** Where the sync engine puts the template-shard parts it downloads. */
export interface ShardSyncTarget {
  /** The lane's ECDH P-256 public key; the cloud wraps the shard key for it. */
  publicKey(): Promise<CryptoKey>;
  storedVersions(): Promise<number[]>;
  storePart(
    version: number,
    kind: 'full' | 'delta' | 'rekey',
    signed: SignedManifest,
    chunks: readonly Uint8Array<ArrayBuffer>[],
  ): Promise<void>;
}

/** The shard database as the sync engine's download target. */
export function shardSyncTarget(sdb: ShardDatabase): ShardSyncTarget {
  return {
    publicKey: async () => (await sdb.terminalKeyPair()).publicKey,
    storedVersions: async () => (await sdb.manifests.toCollection().primaryKeys()) as number[],
    storePart: (version, kind, signed, chunks) => sdb.storePart(version, kind, signed, chunks),
  };
}
