import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the operator's admin token comes from. It is never printed: CLOUD_ADMIN_TOKEN from the
 * environment, else the `admin-token` file in the cloud's data directory (created on first
 * start with mode 0600, reused after), else (no data directory: tests, in-memory clouds) a
 * random one held only in memory.
 */
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface AdminTokenSource {
  readonly token: string;
  /** The file that holds it, when it lives in one. */
  readonly file: string | null;
  readonly from: 'environment' | 'file' | 'memory';
}

const valid = (t: string): boolean => /^[A-Za-z0-9._~+/=-]{24,256}$/.test(t);

export async function loadAdminToken(
  dataDir: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AdminTokenSource> {
  const fromEnv = env.CLOUD_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (!valid(fromEnv))
      throw new Error('CLOUD_ADMIN_TOKEN must be 24–256 URL-safe or base64 characters');
    return { token: fromEnv, file: null, from: 'environment' };
  }
  if (!dataDir) return { token: randomBytes(32).toString('base64url'), file: null, from: 'memory' };
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (!valid(token))
      throw new Error(`${file} does not hold an admin token; delete it to make a new one`);
    // Someone may have copied it with looser permissions: only the owner may read it.
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { token, file, from: 'file' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, file, from: 'file' };
}
