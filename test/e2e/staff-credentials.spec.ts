import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { DEMO_MANAGER, managerApproval, shot, spawnTsx, type Spawned } from './support';

/**
 * A cashier at the lane tries what only a manager may do: approve a palm scanner's key, change
 * the store, open the Manager view. Each asks for a manager's own passcode in the one credential
 * dialog; five wrong ones lock entry, across a reload.
 *
 * This spec runs its own browser host and embedded cloud (ports E2E_PORT + 24/25) with
 * PALM_EMULATOR_KEY=pending, so the emulated scanner's key waits for approval like a real
 * scanner's. Its tests share one lane (one page, one lane database) and run in order.
 */
const PORT = E2E_PORT + 24;
const CLOUD_PORT = E2E_PORT + 25;
const DATA_DIR = '.e2e-staff-cloud';
const ROOT = resolve(import.meta.dirname, '../..');
const CLOUD = `http://127.0.0.1:${CLOUD_PORT}`;

test.describe.configure({ mode: 'serial' });

let host: Spawned | null = null;
let page: Page;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  host = await spawnTsx(
    'native/browser-host/main.ts',
    {
      PORT: String(PORT),
      HOST_TOKEN: E2E_TOKEN,
      CLOUD_PORT: String(CLOUD_PORT),
      CLOUD_DATA_DIR: DATA_DIR,
      DEMO_SHOPPERS: '0',
      PALM_EMULATOR_KEY: 'pending',
    },
    'Open: ',
  );
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`http://127.0.0.1:${PORT}/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('host-status')).toContainText('connected');
  // Provisioned, and the store's staff list pulled.
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'idle', {
    timeout: 30_000,
  });
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.stop();
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
});

/** Audit rows the lane wrote of one kind, with who approved. */
function auditOf(kind: string) {
  return page.evaluate(
    (k) =>
      new Promise<{ by?: string; byName?: string }[]>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('audit').objectStore('audit').getAll();
          all.onsuccess = () => {
            done(
              (all.result as { kind: string; detail: { by?: string; byName?: string } }[])
                .filter((r) => r.kind === k)
                .map((r) => r.detail),
            );
            req.result.close();
          };
          all.onerror = () => fail(all.error);
        };
      }),
    kind,
  );
}

test('a cashier cannot approve a scanner key: the cloud refuses a wrong passcode and the key stays pending', async () => {
  await page.getByRole('button', { name: 'Settings' }).click();
  const keyLine = page.getByTestId('scanner-key');
  await expect(keyLine).toContainText('awaiting approval');
  // A pending key signs nothing the lane will use.
  await page.getByRole('button', { name: 'Test palm capture' }).click();
  await expect(page.getByRole('alert')).toContainText('A manager must approve this scanner first');

  await page.getByRole('button', { name: 'Approve scanner key' }).click();
  const dialog = page.getByTestId('credential-dialog');
  await expect(dialog).toContainText('store cloud checks the passcode');
  await managerApproval(page, { passcode: '11111111' });
  await expect(dialog.getByTestId('credential-message')).toHaveText(
    'Wrong passcode. 4 tries left before entry locks.',
  );
  await shot(page, 'scanner-approval-refused');
  await dialog.getByTestId('credential-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(keyLine).toContainText('awaiting approval');
  expect(await auditOf('scanner.approved')).toEqual([]);

  // The manager's own passcode: the cloud records the key, then the host pins it.
  await page.getByRole('button', { name: 'Approve scanner key' }).click();
  await managerApproval(page);
  await expect(dialog).toHaveCount(0);
  await expect(keyLine).toContainText('approved');
  await expect(keyLine).not.toContainText('awaiting');
  await expect(page.getByRole('button', { name: 'Approve scanner key' })).toHaveCount(0);
  expect(await auditOf('scanner.approved')).toEqual([
    expect.objectContaining({ by: DEMO_MANAGER.id, byName: DEMO_MANAGER.name }),
  ]);

  // The store's dashboard lists the scanner, approved by Morgan Lee.
  const dash = await page.context().newPage();
  await dash.goto(`${CLOUD}/dashboard/demo-us`);
  await dash.getByLabel('Staff id').fill(DEMO_MANAGER.id);
  await dash.getByLabel('Passcode').fill(DEMO_MANAGER.passcode);
  await dash.getByRole('button', { name: 'Log in' }).click();
  const scanners = dash.locator('table', { hasText: 'Approved palm scanners' });
  await expect(scanners).toContainText('EMU-');
  await expect(scanners).toContainText('Morgan Lee (m1)');
  await dash.close();
});

test('changing the store needs a manager: cancelled, nothing changes; approved, the audit names who', async () => {
  await page.getByRole('button', { name: 'Settings' }).click();
  const store = page.getByLabel('Store');
  await store.selectOption('de');
  const dialog = page.getByTestId('credential-dialog');
  await expect(dialog).toContainText('Change this lane’s store to');
  await dialog.getByTestId('credential-cancel').click();
  await expect(store).toHaveValue('us');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(await auditOf('settings.changed')).toEqual([]);

  await store.selectOption('de');
  await managerApproval(page);
  await expect(page.getByRole('heading', { name: 'Einstellungen' })).toBeVisible();
  expect(await auditOf('settings.changed')).toEqual([
    expect.objectContaining({ by: DEMO_MANAGER.id, byName: DEMO_MANAGER.name }),
  ]);
  await page.getByLabel('Filiale').selectOption('us');
  await managerApproval(page);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
});

test('five wrong passcodes lock credential entry, and a reload keeps it locked', async () => {
  await page.getByRole('button', { name: 'Manager' }).click();
  const dialog = page.getByTestId('credential-dialog');
  const message = dialog.getByTestId('credential-message');
  for (let i = 1; i <= 4; i++) {
    await managerApproval(page, { passcode: `2222222${i}` });
    await expect(message).toContainText(`${5 - i} tr`);
  }
  await managerApproval(page, { passcode: '22222225' });
  await expect(message).toContainText(/Entry is locked for \d+ s/);
  await expect(dialog.getByTestId('credential-passcode')).toBeDisabled();
  await expect(dialog.getByTestId('credential-submit')).toBeDisabled();
  await expect(page.getByTestId('manager-stats')).toHaveCount(0);
  await shot(page, 'credential-locked');

  await page.reload();
  await expect(page.getByTestId('host-status')).toContainText('connected');
  await page.getByRole('button', { name: 'Manager' }).click();
  await expect(message).toContainText(/Entry is locked for \d+ s/);
  await expect(dialog.getByTestId('credential-passcode')).toBeDisabled();
  await expect(page.getByTestId('manager-stats')).toHaveCount(0);
  expect((await auditOf('credential.locked')).length).toBe(1);
});
