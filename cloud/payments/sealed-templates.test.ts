import { describe, expect, it } from 'vitest';
import { KeyVaultError, LocalKeyVault, loadMasterKey } from './key-vault';
import { openTemplates, sealTemplates } from './sealed-templates';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const template = (seed: number) =>
  Int8Array.from({ length: 512 }, (_, i) => ((i * seed) % 255) - 127);

describe('envelope encryption of shopper templates', () => {
  const vault = new LocalKeyVault(randomBytes(32));

  it('round-trips and never stores the plaintext', async () => {
    const t = [template(3), template(5)];
    const s = await sealTemplates(vault, 'st', 'demo-palm-1', t);
    const bytes = Buffer.from(s.sealed, 'base64');
    expect(bytes.includes(Buffer.from(t[0]!.buffer).subarray(0, 32))).toBe(false);
    expect(JSON.stringify(s)).not.toContain(
      Buffer.from(t[0]!.buffer).toString('base64').slice(0, 40),
    );
    const back = await openTemplates(vault, 'st', 'demo-palm-1', s);
    expect(back.map((b) => Array.from(b))).toEqual(t.map((x) => Array.from(x)));
  });

  it('a sealed value moved to another shopper or store does not open', async () => {
    const s = await sealTemplates(vault, 'st', 'demo-palm-1', [template(3)]);
    await expect(openTemplates(vault, 'st', 'demo-palm-2', s)).rejects.toThrow(KeyVaultError);
    await expect(openTemplates(vault, 'other', 'demo-palm-1', s)).rejects.toThrow(KeyVaultError);
  });

  it('does not open under another master key', async () => {
    const s = await sealTemplates(vault, 'st', 'demo-palm-1', [template(3)]);
    const other = new LocalKeyVault(randomBytes(32));
    await expect(openTemplates(other, 'st', 'demo-palm-1', s)).rejects.toThrow(KeyVaultError);
  });

  it('a tampered ciphertext is refused', async () => {
    const s = await sealTemplates(vault, 'st', 'demo-palm-1', [template(3)]);
    const b = Buffer.from(s.sealed, 'base64');
    b[20]! ^= 1;
    await expect(
      openTemplates(vault, 'st', 'demo-palm-1', { ...s, sealed: b.toString('base64') }),
    ).rejects.toThrow();
  });
});

describe('loadMasterKey', () => {
  it('takes CLOUD_MASTER_KEY, refuses a wrong length, and keeps a 0600 file otherwise', async () => {
    const k = randomBytes(32).toString('base64');
    expect((await loadMasterKey(undefined, { CLOUD_MASTER_KEY: k })).from).toBe('environment');
    await expect(loadMasterKey(undefined, { CLOUD_MASTER_KEY: 'c2hvcnQ=' })).rejects.toThrow(
      /32 bytes/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'mk-'));
    const first = await loadMasterKey(dir, {});
    const again = await loadMasterKey(dir, {});
    expect(first.from).toBe('file');
    expect(Buffer.from(again.key).equals(Buffer.from(first.key))).toBe(true);
    expect((await stat(join(dir, 'master-key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'master-key'), 'utf8')).trim()).toHaveLength(44);
  });
});
