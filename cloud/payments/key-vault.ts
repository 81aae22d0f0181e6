import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the shoppers' data keys are wrapped. The database holds only wrapped keys; the key that
 * unwraps them lives elsewhere: in configuration here (LocalKeyVault), in a KMS in production
 * (AWS KMS Encrypt/Decrypt or GCP Cloud KMS with the same `context` as encryption context /
 * additional authenticated data implement this interface unchanged).
 */
export interface WrappedKey {
  /** Which master key wrapped it (rotation: a vault may hold old keys to unwrap with). */
  readonly keyId: string;
  /** base64 of IV ‖ ciphertext ‖ tag. */
  readonly wrapped: string;
}

export interface KeyVault {
  /** Wraps a data key, bound to `context` (a wrapped key only unwraps under the same context). */
  wrap(dataKey: Uint8Array, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Uint8Array>;
}

export class KeyVaultError extends Error {}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM under a 32-byte master key held in memory (from configuration). */
export class LocalKeyVault implements KeyVault {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new KeyVaultError('the master key must be 32 bytes');
    this.key = Buffer.from(masterKey);
    // A name for the key that reveals nothing about it.
    this.keyId = `local-${createHash('sha256').update('palm-kv-id').update(this.key).digest('hex').slice(0, 12)}`;
  }

  async wrap(dataKey: Uint8Array, context: string): Promise<WrappedKey> {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(`wrap|${context}`, 'utf8'));
    const body = Buffer.concat([c.update(dataKey), c.final(), c.getAuthTag()]);
    return { keyId: this.keyId, wrapped: Buffer.concat([iv, body]).toString('base64') };
  }

  async unwrap(key: WrappedKey, context: string): Promise<Uint8Array> {
    if (key.keyId !== this.keyId)
      throw new KeyVaultError(`data key wrapped by ${key.keyId}, this vault holds ${this.keyId}`);
    const all = Buffer.from(key.wrapped, 'base64');
    if (all.length < IV_BYTES + TAG_BYTES) throw new KeyVaultError('wrapped key is too short');
    const d = createDecipheriv('aes-256-gcm', this.key, all.subarray(0, IV_BYTES));
    d.setAAD(Buffer.from(`wrap|${context}`, 'utf8'));
    d.setAuthTag(all.subarray(all.length - TAG_BYTES));
    try {
      return new Uint8Array(
        Buffer.concat([d.update(all.subarray(IV_BYTES, all.length - TAG_BYTES)), d.final()]),
      );
    } catch {
      throw new KeyVaultError('the wrapped key does not open under this master key and context');
    }
  }
}

export const MASTER_KEY_FILE = 'master-key';

/**
 * The master key from configuration: CLOUD_MASTER_KEY (32 bytes, base64 or base64url), else
 * the `master-key` file in the cloud's data directory (made on first start, mode 0600), else a
 * random key in memory (an in-memory cloud, whose database dies with it). Never printed.
 */
export async function loadMasterKey(
  dataDir: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ key: Uint8Array; from: 'environment' | 'file' | 'memory' }> {
  const parse = (text: string, where: string): Uint8Array => {
    const b = Buffer.from(text.trim(), 'base64');
    if (b.length !== 32) throw new KeyVaultError(`${where} must hold 32 bytes in base64`);
    return new Uint8Array(b);
  };
  const fromEnv = env.CLOUD_MASTER_KEY?.trim();
  if (fromEnv) return { key: parse(fromEnv, 'CLOUD_MASTER_KEY'), from: 'environment' };
  if (!dataDir) return { key: new Uint8Array(randomBytes(32)), from: 'memory' };
  const file = join(dataDir, MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    const key = parse(await readFile(file, 'utf8'), file);
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { key, from: 'file' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key: new Uint8Array(key), from: 'file' };
}
