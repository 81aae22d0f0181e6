import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Attestation keys pinned per scanner serial (trust on first use, then a manager's approval),
 * with the last capture counter accepted from that scanner so replays are refused across
 * restarts too.
 */
export interface PinnedKey {
  readonly serial: string;
  /** SEC1 uncompressed P-256 public key, hex. */
  readonly publicKey: string;
  readonly state: 'pending' | 'approved';
  readonly firstSeen: string;
  readonly approvedAt: string | null;
  /** −1 until a capture has been accepted. */
  readonly lastCounter: number;
}

export interface KeyPinStore {
  get(serial: string): Promise<PinnedKey | null>;
  put(rec: PinnedKey): Promise<void>;
  list(): Promise<PinnedKey[]>;
}

export class MemoryKeyPinStore implements KeyPinStore {
  private readonly map = new Map<string, PinnedKey>();
  async get(serial: string): Promise<PinnedKey | null> {
    return this.map.get(serial) ?? null;
  }
  async put(rec: PinnedKey): Promise<void> {
    this.map.set(rec.serial, rec);
  }
  async list(): Promise<PinnedKey[]> {
    return [...this.map.values()];
  }
}

/**
 * A JSON file of pinned keys, written atomically (temp file + rename) so a power cut never
 * leaves half a file. Used by the host and by palmctl, which share the same path.
 */
export class FileKeyPinStore implements KeyPinStore {
  private cache: Map<string, PinnedKey> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async get(serial: string): Promise<PinnedKey | null> {
    return (await this.load()).get(serial) ?? null;
  }

  async put(rec: PinnedKey): Promise<void> {
    const m = await this.load();
    m.set(rec.serial, rec);
    const text = JSON.stringify({ version: 1, keys: [...m.values()] }, null, 2) + '\n';
    this.writing = this.writing.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    await this.writing;
  }

  async list(): Promise<PinnedKey[]> {
    return [...(await this.load()).values()];
  }

  private async load(): Promise<Map<string, PinnedKey>> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = new Map());
      throw e;
    }
    const parsed = JSON.parse(text) as { version?: number; keys?: PinnedKey[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.keys))
      throw new Error(`${this.file} is not a scanner key file (version 1)`);
    this.cache = new Map(parsed.keys.map((k) => [k.serial, k]));
    return this.cache;
  }
}
