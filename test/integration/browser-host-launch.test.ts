import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_MODE_META } from '../../common/build-mode';
import { fakeBuildDir, freePort, openSocket, ROOT, startHostProcess } from './host-process';

/**
 * `npm run start:browser` and its production launch, as processes: what a launcher sees on
 * stdout/stderr and what a connected page gets from getInfo.
 */
const cleanup: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function buildDir(mode: string | null) {
  const b = fakeBuildDir();
  if (mode)
    writeFileSync(
      path.join(b.dir, 'index.html'),
      `<!doctype html><head><meta name="${BUILD_MODE_META}" content="${mode}"></head>`,
    );
  cleanup.push(b.remove);
  return b.dir;
}

/** Runs the host expecting it to refuse: its exit code, stderr and how long it took. */
function runToExit(env: Record<string, string>, args: string[] = []) {
  const started = performance.now();
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'native/browser-host/main.ts', ...args],
      { cwd: ROOT, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, ms: performance.now() - started });
    });
  });
}

/** The parent's environment without the settings these tests set themselves. */
function cleanEnv(): Record<string, string> {
  const drop =
    /^(NODE_ENV|EMULATOR_CONTROLS|DEMO_SHOPPERS.*|PALM_SCANNER.*|CLOUD_.*|PROVISIONING_CODE|NO_CLOUD|BROWSER_BUILD_DIR)$/;
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !drop.test(e[0]),
    ),
  );
}

describe('the production launch of browser mode refuses demo settings', () => {
  const PROD = { CLOUD_URL: 'https://cloud.example.com', PORT: '1' }; // never reached: refused first
  it.each([
    [{ ...PROD, EMULATOR_CONTROLS: '1' }, 'EMULATOR_CONTROLS is a demo setting'],
    [{ ...PROD, DEMO_SHOPPERS: '2000' }, 'DEMO_SHOPPERS is a demo setting'],
    [{ ...PROD, PALM_SCANNER: 'emulator' }, 'PALM_SCANNER=emulator is a demo setting'],
    [{ PORT: '1' }, 'CLOUD_URL is required in production'],
  ])('%o', async (env, message) => {
    const ways: Array<{ args: string[]; env: Record<string, string> }> = [
      { args: ['--production'], env: {} },
      { args: [], env: { NODE_ENV: 'production' } },
    ];
    for (const how of ways) {
      const r = await runToExit({ ...env, ...how.env }, how.args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
      expect(r.stderr).toMatch(/^Configuration error: /);
      expect(r.ms).toBeLessThan(10_000);
    }
  });

  it('refuses to serve a demo build (the one with the emulator panel) or an unmarked one', async () => {
    for (const mode of ['demo', null]) {
      const r = await runToExit(
        { CLOUD_URL: 'https://cloud.example.com', BROWSER_BUILD_DIR: buildDir(mode) },
        ['--production'],
      );
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^Configuration error: .* is a (demo|unmarked) build, not a production one .*build:browser:production/,
      );
    }
  });

  it('starts with a real store cloud: no emulator controls, and the one code it was given', async () => {
    const host = await startHostProcess(
      {
        ...cleanEnv(),
        CLOUD_URL: 'http://127.0.0.1:9',
        PROVISIONING_CODE: 'K7QM-2D9X-PLW4',
        PALM_SCANNER: 'none',
        BROWSER_BUILD_DIR: buildDir('production'),
      },
      ['--production'],
    );
    cleanup.push(host.stop);
    expect(host.output()).toContain('(browser mode, production)');
    const page = openSocket(host);
    await page.opened;
    const first = await page.call('getInfo');
    expect(first).toMatchObject({
      ok: true,
      result: {
        emulatorControls: false,
        cloud: { url: 'http://127.0.0.1:9', provisioningCode: 'K7QM-2D9X-PLW4' },
      },
    });
    expect(await page.call('getInfo')).toEqual({ ...first, id: 2 });
    expect(await page.call('emulator.presentCard', { pan: '4242424242424242' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
    page.ws.close();
  });
});

describe('codes are minted by the launcher, never by the host', () => {
  it('the embedded demo cloud: getInfo twice gives the one code its CLOUD_READY line carried', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'host-cloud-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const host = await startHostProcess({
      ...cleanEnv(),
      BROWSER_BUILD_DIR: buildDir('demo'),
      CLOUD_PORT: String(await freePort()),
      CLOUD_DATA_DIR: dataDir,
      DEMO_SHOPPERS: '0',
    });
    cleanup.push(host.stop);
    const page = openSocket(host);
    await page.opened;
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const r = (await page.call('getInfo')) as {
        result: { cloud: { provisioningCode: unknown } };
      };
      codes.push(r.result.cloud.provisioningCode);
    }
    expect(codes[0]).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(new Set(codes).size).toBe(1);
    // A second page (another browser profile) gets that same code, not a fresh one.
    const other = openSocket(host);
    await other.opened;
    expect(await other.call('getInfo')).toMatchObject({
      result: { cloud: { provisioningCode: codes[0] } },
    });
    page.ws.close();
    other.ws.close();
    // Nothing printed carries an admin token or a token-bearing dashboard URL.
    expect(host.output()).toMatch(
      /Store cloud \(embedded demo store\) at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(host.output()).not.toMatch(/admin token|\?token=/i);
  }, 90_000);

  it('CLOUD_URL without PROVISIONING_CODE: the code is null, every time', async () => {
    const host = await startHostProcess({
      ...cleanEnv(),
      BROWSER_BUILD_DIR: buildDir('demo'),
      CLOUD_URL: 'http://127.0.0.1:9',
    });
    cleanup.push(host.stop);
    const page = openSocket(host);
    await page.opened;
    for (let i = 0; i < 2; i++)
      expect(await page.call('getInfo')).toMatchObject({
        result: { cloud: { url: 'http://127.0.0.1:9', provisioningCode: null } },
      });
    page.ws.close();
  });
});
