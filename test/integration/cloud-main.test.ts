import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run cloud` as an operator (and a shoulder-surfer, and a log collector) sees it: the
 * banner and the request log on stdout, the CLOUD_READY line launchers read. None of them may
 * carry the admin token, which lives only in the data directory's 0600 file.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'palm-cloud-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('cloud/main.ts', () => {
  it('prints no admin token anywhere, keeps it in a 0600 file, and logs requests', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: '0',
      CLOUD_DATA_DIR: dataDir,
      DEMO_SHOPPERS: '0',
      CLOUD_LOG: 'stdout',
    };
    delete env.CLOUD_ADMIN_TOKEN;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'cloud/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (out += String(d)));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      const readyLine = await new Promise<string>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`no CLOUD_READY:\n${out}`)), 90_000);
        child.stdout.on('data', () => {
          const line = out.split('\n').find((l) => l.startsWith('CLOUD_READY '));
          if (line) {
            clearTimeout(timer);
            ready(line);
          }
        });
        child.once('exit', (code) => fail(new Error(`cloud exited (${code}):\n${out}`)));
      });
      const ready = JSON.parse(readyLine.slice('CLOUD_READY '.length)) as Record<string, unknown>;
      expect(Object.keys(ready).sort()).toEqual(['loginUrl', 'provisioningCode', 'storeId', 'url']);
      expect(ready.loginUrl).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/dashboard\/link\/[A-Za-z0-9_-]{43}$/,
      );
      expect(ready.provisioningCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

      const file = join(dataDir, 'admin-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const token = readFileSync(file, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(out).toContain(`in ${file} (mode 0600)`);

      const base = String(ready.url);
      const ok = await fetch(`${base}/v1/admin/stores/demo-us/overview`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${base}/v1/admin/stores/demo-us/overview?token=${token}`)).status).toBe(
        401,
      );
      await new Promise((r) => setTimeout(r, 300)); // let the log lines arrive
      expect(out).toMatch(/"url":"\/v1\/admin\/stores\/demo-us\/overview"/);
      expect(out).not.toContain(token);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(out).not.toContain(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim());
  }, 120_000);
});
