import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from '@playwright/test';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Gives the spec file that calls it its own browser-mode host (`native/browser-host/main.ts`,
 * as `npm run start:browser` runs it) on E2E_PORT + portOffset, started before its tests and
 * stopped after. For specs that need a lane of their own: the embedded demo cloud hands out one
 * provisioning code per start, which the first lane to open the shared server's page spends.
 */
export function ownHost(o: {
  portOffset: number;
  /** The embedded cloud's data directory, emptied before and after (omit with CLOUD_URL). */
  dataDir?: string;
  env?: Record<string, string>;
  args?: string[];
}): void {
  const port = E2E_PORT + o.portOffset;
  let child: ChildProcess | null = null;
  const clean = () =>
    o.dataDir && rmSync(resolve(ROOT, o.dataDir), { recursive: true, force: true });
  test.use({ baseURL: `http://127.0.0.1:${port}` });
  test.beforeAll(async () => {
    test.setTimeout(120_000); // the embedded cloud may take its whole start-up allowance (60 s)
    clean();
    const c = spawn(
      process.execPath,
      ['--import', 'tsx', 'native/browser-host/main.ts', ...(o.args ?? [])],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST_TOKEN: E2E_TOKEN,
          CLOUD_PORT: String(port + 1),
          ...(o.dataDir ? { CLOUD_DATA_DIR: o.dataDir } : {}),
          ...o.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    const output: string[] = [];
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`the browser host did not start:\n${output.join('')}`)),
        100_000,
      );
      c.stdout?.on('data', (d: Buffer) => {
        output.push(String(d));
        if (output.join('').includes('Open: ')) {
          clearTimeout(timer);
          ready();
        }
      });
      c.stderr?.on('data', (d: Buffer) => output.push(String(d)));
      c.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the browser host exited (${code}):\n${output.join('')}`));
      });
    });
  });
  test.afterAll(async () => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      await new Promise<void>((done) => {
        c.once('exit', () => done());
        c.kill('SIGTERM');
      });
    }
    clean();
  });
}
