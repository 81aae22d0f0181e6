import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Chromium comes from CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own
 * download if one exists. Nothing is ever downloaded here.
 */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return undefined; // fall back to Playwright's bundled browser, if installed
}

export const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn(
    'No system Chromium found (set CHROMIUM_PATH or `apt-get install chromium`); trying Playwright’s own browser.',
  );
}
const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const E2E_PORT = Number(process.env.E2E_PORT ?? 5199);
export const E2E_TOKEN = 'e2e-token-0123456789abcdef';

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  fullyParallel: false,
  workers: 1, // one emulated card terminal is shared by every test
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM,
      // Chromium's sandbox cannot start as root (CI containers); only then is it disabled.
      args: [
        ...(runningAsRoot ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // A fresh embedded store cloud per run, beside the terminal, as `npm run start:browser` has.
    command: `node -e "require('fs').rmSync('.e2e-cloud',{recursive:true,force:true})" && npx tsx native/browser-host/main.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    // The embedded cloud's PGlite starts in ~3 s idle, and several times that on a busy machine.
    timeout: 90_000,
    env: {
      PORT: String(E2E_PORT),
      HOST_TOKEN: E2E_TOKEN,
      CARD_PROCESSING_MS: '250',
      DEVICE_ACK_TIMEOUT_MS: '1500',
      DRAWER_LEFT_OPEN_MS: '60000',
      CLOUD_PORT: String(E2E_PORT + 1),
      CLOUD_DATA_DIR: '.e2e-cloud',
      // Specs that install their own shard need a store without the demo shoppers' shard;
      // palm-identify.spec.ts starts its own host and cloud with them.
      DEMO_SHOPPERS: '0',
    },
  },
});
