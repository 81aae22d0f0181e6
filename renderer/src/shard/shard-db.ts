import Dexie from 'dexie';
import type { EntityTable, Table } from 'dexie';
import type { SignedManifest } from '../../../common/shard/format';

/**
 * The shard's own IndexedDB database, separate from the terminal database so the two schemas
 * version independently. Everything here is ciphertext, a signed manifest, or a key pair whose
 * private half is not extractable: nothing in it reveals a template.
 */
export const SHARD_DB_NAME = 'palm-shard';

export interface ManifestRow {
  readonly version: number;
  readonly signed: SignedManifest;
}
export interface ChunkRow {
  readonly version: number;
  readonly index: number;
  readonly ciphertext: Uint8Array<ArrayBuffer>;
}
export interface TerminalKeyRow {
  readonly id: 'terminal';
  /** ECDH P-256; the private key was generated non-extractable and stays a CryptoKey. */
  readonly keyPair: CryptoKeyPair;
}

export class ShardDatabase extends Dexie {
  manifests!: EntityTable<ManifestRow, 'version'>;
  chunks!: Table<ChunkRow, [number, number]>;
  terminalKey!: EntityTable<TerminalKeyRow, 'id'>;

  constructor(options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
    super(SHARD_DB_NAME, options);
    this.version(1).stores({
      manifests: 'version',
      chunks: '[version+index], version',
      terminalKey: 'id',
    });
  }

  /** The terminal's key pair, created on first use with a non-extractable private key. */
  async terminalKeyPair(): Promise<CryptoKeyPair> {
    const row = await this.terminalKey.get('terminal');
    if (row) return row.keyPair;
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
      'deriveBits',
    ]);
    await this.terminalKey.put({ id: 'terminal', keyPair });
    return keyPair;
  }

  /** Stores one published part (manifest + chunk ciphertexts); a snapshot drops older parts. */
  async storePart(
    version: number,
    kind: 'full' | 'delta' | 'rekey',
    signed: SignedManifest,
    chunks: readonly Uint8Array<ArrayBuffer>[],
  ): Promise<void> {
    await this.transaction('rw', [this.manifests, this.chunks], async () => {
      if (kind !== 'delta') {
        await this.manifests.clear();
        await this.chunks.clear();
      }
      await this.manifests.put({ version, signed });
      await this.chunks.bulkPut(
        chunks.map((ciphertext, index) => ({ version, index, ciphertext })),
      );
    });
  }
}
