import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { BUILD_MODE_META } from '../../common/build-mode';
import { E2E_TOKEN } from '../../playwright.config';
import { ownHost } from './own-host';

const root = resolve(import.meta.dirname, '../..');

/** Every JS file a build emitted, concatenated. */
function bundle(dir: string): string {
  const assets = join(dir, 'assets');
  if (!existsSync(assets))
    throw new Error(
      `${dir} is not built: run npm run build, build:browser and build:browser:production first`,
    );
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
}

const modeOf = (dir: string) =>
  new RegExp(`<meta name="${BUILD_MODE_META}" content="([a-z]+)"`).exec(
    readFileSync(join(dir, 'index.html'), 'utf8'),
  )?.[1];

test('the production renderers carry no emulator panel; the demo build does', () => {
  expect(bundle(join(root, 'out/renderer'))).not.toContain('emulator-panel');
  expect(bundle(join(root, 'out/browser-production'))).not.toContain('emulator-panel');
  expect(bundle(join(root, 'out/browser'))).toContain('emulator-panel');
  // The mark the production host checks before it serves a build.
  expect(modeOf(join(root, 'out/browser-production'))).toBe('production');
  expect(modeOf(join(root, 'out/browser'))).toBe('demo');
});

test.describe('the production launch of browser mode', () => {
  // npm run start:browser:production, with a store cloud that is down: the lane still sells.
  ownHost({
    portOffset: 25,
    args: ['--production'],
    env: { CLOUD_URL: 'http://127.0.0.1:9', PALM_SCANNER: 'none' },
  });

  test('serves a lane with no emulator panel, and the host refuses emulator calls', async ({
    page,
  }) => {
    await page.goto(`/#token=${E2E_TOKEN}`);
    await expect(page.getByTestId('host-status')).toContainText('connected');
    await expect(page.getByRole('combobox', { name: 'Scan or search' })).toBeFocused();
    await expect(page.locator('.emulator-panel')).toHaveCount(0);
    // The page's own token, straight at the host: the emulator is not there to be driven.
    const reply = await page.evaluate(
      (token) =>
        new Promise<unknown>((done, fail) => {
          const ws = new WebSocket(`ws://${location.host}/host`, [
            'palm-host.v1',
            `token.${token}`,
          ]);
          ws.onerror = () => fail(new Error('no connection'));
          ws.onopen = () =>
            ws.send(
              JSON.stringify({
                id: 1,
                method: 'emulator.presentCard',
                args: { pan: '4242424242424242' },
              }),
            );
          ws.onmessage = (m) => {
            const r = JSON.parse(String(m.data)) as { id?: number };
            if (r.id === 1) {
              ws.close();
              done(r);
            }
          };
        }),
      E2E_TOKEN,
    );
    expect(reply).toMatchObject({ id: 1, ok: false, error: { code: 'NOT_ALLOWED' } });
  });
});
