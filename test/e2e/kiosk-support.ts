import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { DEMO_ATTENDANT, openLane } from './support';

/** A touch kiosk's screen (a 1024×768 panel), touched rather than clicked. */
export const KIOSK_VIEWPORT = { viewport: { width: 1024, height: 768 }, hasTouch: true } as const;

/**
 * Connects the page's lane to the store cloud (so it has the staff list) as a cashier's lane,
 * then opens it as a kiosk: the `?lane=self` launch option on the same origin and database.
 */
export async function openKiosk(page: Page, query = ''): Promise<void> {
  await openLane(page);
  await connectForStaff(page);
  await page.goto(`/?lane=self${query}#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
}

export const kioskScan = async (page: Page, barcode: string) => {
  const field = page.getByTestId('kiosk-scan');
  await field.fill(barcode);
  await field.press('Enter');
};

export const light = (page: Page) => page.getByTestId('lane-light');

/** The attendant signs in at the kiosk with their own credential. */
export async function attendantSignIn(page: Page, passcode: string = DEMO_ATTENDANT.passcode) {
  const dialog = page.getByTestId('credential-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('credential-staff').selectOption(DEMO_ATTENDANT.id);
  await dialog.getByTestId('credential-passcode').fill(passcode);
  await dialog.getByTestId('credential-submit').tap();
}

/** axe-core on the whole screen, colour contrast included: no violations. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('[data-testid="emulator-panel"]')
    .analyze();
  expect(
    results.violations.map(
      (v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** The kiosk's audit rows of a kind, straight from IndexedDB. */
export async function auditRows(page: Page, kind: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    (k) =>
      new Promise<Record<string, unknown>[]>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const r = db.transaction('audit').objectStore('audit').getAll();
          r.onsuccess = () => {
            const rows = r.result as { kind: string; detail: Record<string, unknown> }[];
            done(rows.filter((x) => x.kind === k).map((x) => x.detail));
            db.close();
          };
          r.onerror = () => fail(r.error);
        };
      }),
    kind,
  );
}

/** Whether the lane has pulled the store's staff list (what an attendant's sign-in checks). */
async function hasStaff(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const r = db.transaction('settings').objectStore('settings').get('store-settings');
          r.onsuccess = () => {
            const v = r.result as { value?: { staff?: unknown[] } } | undefined;
            done(Array.isArray(v?.value?.staff) && v.value.staff.length > 0);
            db.close();
          };
          r.onerror = () => fail(r.error);
        };
      }),
  );
}

/**
 * Connects the lane with a back-office code unless it is already connected (the first lane gets
 * the launcher's code), and waits for the staff list to arrive with the first pull.
 */
export async function connectForStaff(page: Page, storeId = 'demo-us'): Promise<void> {
  const sync = page.getByTestId('sync-status');
  await expect(sync).toHaveAttribute('data-phase', /^(unprovisioned|idle|syncing|backoff)$/);
  if ((await sync.getAttribute('data-phase')) === 'unprovisioned') {
    const root = resolve(import.meta.dirname, '../..');
    const token = readFileSync(resolve(root, '.e2e-cloud', 'admin-token'), 'utf8').trim();
    const res = await fetch(
      `http://127.0.0.1:${E2E_PORT + 1}/v1/admin/stores/${storeId}/provisioning-codes`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 201) throw new Error(`no provisioning code (${res.status})`);
    const { code } = (await res.json()) as { code: string };
    await page.getByRole('button', { name: 'Manager' }).click();
    await page.getByLabel('Provisioning code').fill(code);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Connected to' })).toBeVisible();
  }
  await expect.poll(() => hasStaff(page), { timeout: 20_000 }).toBe(true);
}
