import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { utilityCloudLauncher, type UtilityForkLike } from '../../electron/main/cloud-process';
import { startCloudSidecar } from '../../native/cloud-sidecar';
import { E2E_PORT } from '../../playwright.config';

/**
 * The desktop app's embedded cloud as `npm run build` leaves it: out/main/cloud.js, started
 * through the same launcher main uses. Electron's utilityProcess cannot run here, so Node's
 * fork stands in for it (both run a Node module with piped stdout/stderr); what this proves is
 * that the bundle runs from out/main with its external packages resolved, and prints the line
 * the sidecar reads.
 */
const ENTRY = resolve(import.meta.dirname, '../../out/main/cloud.js');

const nodeFork: UtilityForkLike = (modulePath, args, options) =>
  fork(modulePath, args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    cwd: tmpdir(),
  });

test('the bundled cloud entry starts and reports CLOUD_READY', async () => {
  expect(existsSync(ENTRY), 'run `npm run build` first').toBe(true);
  const dataDir = mkdtempSync(join(tmpdir(), 'bundled-cloud-'));
  try {
    const sidecar = await startCloudSidecar({
      launch: utilityCloudLauncher(nodeFork, ENTRY),
      port: E2E_PORT + 30,
      dataDir,
      allowedOrigins: ['app://terminal'],
      env: { DEMO_SHOPPERS: '0' },
      readyTimeoutMs: 45_000,
    });
    try {
      expect(sidecar.url).toBe(`http://127.0.0.1:${E2E_PORT + 30}`);
      expect(sidecar.provisioningCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      // It serves: an admin call without credentials is refused, not dropped.
      const res = await fetch(`${sidecar.url}/v1/admin/stores/${sidecar.storeId}/overview`);
      expect([401, 403]).toContain(res.status);
    } finally {
      await sidecar.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
