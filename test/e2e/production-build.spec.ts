import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

/** Every JS file a build emitted, concatenated. */
function bundle(dir: string): string {
  const assets = join(dir, 'assets');
  if (!existsSync(assets))
    throw new Error(`${dir} is not built: run npm run build and npm run build:browser first`);
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
}

test('the production renderer carries no emulator panel; the demo build does', () => {
  const root = resolve(import.meta.dirname, '../..');
  expect(bundle(join(root, 'out/renderer'))).not.toContain('emulator-panel');
  expect(bundle(join(root, 'out/browser'))).toContain('emulator-panel');
});
