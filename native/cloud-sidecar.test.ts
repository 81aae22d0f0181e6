import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCloudReady, startCloudSidecar, type CloudLauncher } from './cloud-sidecar';

/** A launcher whose "process" the test drives: what it printed, when it ended, how it was killed. */
function fakeLauncher() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const exitListeners: Array<(code: number | null) => void> = [];
  const kills: boolean[] = [];
  let env: Record<string, string> = {};
  const exit = (code: number | null) => exitListeners.splice(0).forEach((l) => l(code));
  const launch: CloudLauncher = (e) => {
    env = e;
    return {
      stdout,
      stderr,
      onExit: (l) => void exitListeners.push(l),
      kill: (force) => {
        kills.push(Boolean(force));
        setImmediate(() => exit(null));
      },
    };
  };
  return { launch, stdout, stderr, exit, kills, env: () => env };
}

const opts = {
  port: 8787,
  dataDir: '/data',
  allowedOrigins: ['http://127.0.0.1:5174', 'app://terminal'],
};
const READY = {
  url: 'http://127.0.0.1:8787',
  storeId: 'demo-us',
  provisioningCode: 'K7QM-2D9X-PLW4',
  loginUrl: 'http://127.0.0.1:8787/dashboard/login/one-time-secret',
};

describe('the embedded cloud sidecar', () => {
  it('passes the cloud its settings and no admin token, and reads its CLOUD_READY line', async () => {
    const f = fakeLauncher();
    const started = startCloudSidecar({ ...opts, launch: f.launch });
    f.stdout.write('Store cloud listening…\n');
    f.stdout.write(`CLOUD_READY ${JSON.stringify(READY)}\n`);
    const sidecar = await started;
    expect(f.env()).toEqual({
      PORT: '8787',
      HOST: '127.0.0.1',
      CLOUD_DATA_DIR: '/data',
      CLOUD_ALLOWED_ORIGINS: 'http://127.0.0.1:5174,app://terminal',
      CLOUD_LOG: 'file',
    });
    expect(sidecar).toMatchObject(READY);
    expect(Object.keys(sidecar).sort()).toEqual(
      ['loginUrl', 'provisioningCode', 'stop', 'storeId', 'url'].sort(),
    );
    await sidecar.stop();
    expect(f.kills).toEqual([false]);
  });

  it('drops anything else the line carries (an old cloud’s token-bearing dashboard URL)', () => {
    const r = parseCloudReady(
      `CLOUD_READY ${JSON.stringify({ ...READY, dashboardUrl: 'http://x/?token=hunter2', adminToken: 'hunter2' })}`,
    );
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.provisioningCode).toBe('K7QM-2D9X-PLW4');
  });

  it('accepts a cloud with no code to hand out', () => {
    expect(
      parseCloudReady(`CLOUD_READY ${JSON.stringify({ ...READY, provisioningCode: null })}`),
    ).toMatchObject({ provisioningCode: null });
  });

  it('carries the demo scanner the cloud approved, and where its counter resumes', () => {
    const demoScanner = { serial: 'EMU-0001', nextCounter: 17 };
    expect(
      parseCloudReady(`CLOUD_READY ${JSON.stringify({ ...READY, demoScanner })}`),
    ).toMatchObject({ demoScanner });
  });

  it.each([
    [
      `CLOUD_READY ${JSON.stringify({ ...READY, demoScanner: { serial: 'EMU-0001', nextCounter: -1 } })}`,
      /demoScanner/,
    ],
    ['CLOUD_READY {not json', /not JSON/],
    [`CLOUD_READY ${JSON.stringify({ ...READY, url: 'javascript:alert(1)' })}`, /malformed \(url/],
    [`CLOUD_READY ${JSON.stringify({ ...READY, storeId: '' })}`, /malformed \(storeId/],
    [`CLOUD_READY ${JSON.stringify({ ...READY, provisioningCode: 42 })}`, /provisioningCode/],
    [`CLOUD_READY ${JSON.stringify({ ...READY, loginUrl: undefined })}`, /loginUrl/],
  ])('refuses a bad ready line %s, and stops the cloud', async (line, message) => {
    const f = fakeLauncher();
    const started = startCloudSidecar({ ...opts, launch: f.launch });
    f.stdout.write(`${line}\n`);
    await expect(started).rejects.toThrow(message);
    expect(f.kills).toEqual([false]);
  });

  it('reports a cloud that exits before it is ready, with the end of its stderr', async () => {
    const f = fakeLauncher();
    const started = startCloudSidecar({ ...opts, launch: f.launch });
    f.stderr.write('Node.js v22\nError: listen EADDRINUSE 127.0.0.1:8787\n');
    await new Promise((r) => setImmediate(r));
    f.exit(1);
    await expect(started).rejects.toThrow(
      'the store cloud exited (1): Error: listen EADDRINUSE 127.0.0.1:8787',
    );
  });

  it('gives up on a cloud that never gets ready, and stops it', async () => {
    const f = fakeLauncher();
    const started = startCloudSidecar({ ...opts, launch: f.launch, readyTimeoutMs: 50 });
    await expect(started).rejects.toThrow('the store cloud did not start within 50 ms');
    expect(f.kills[0]).toBe(false);
  });
});
