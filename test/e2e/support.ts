import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  addProduct,
  cartTotals,
  emptyCart,
  setQuantity,
  voidLine,
  type Cart,
} from '../../common/cart';
import type { Product } from '../../common/catalog';
import { demoCatalog } from '../../common/demo-catalog';
import { formatMoney, type Money } from '../../common/money';
import { storeProfile } from '../../common/store-profile';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';

export const US = storeProfile('us');
const catalog = demoCatalog(US);

export function product(name: string): Product {
  const p = catalog.find((x) => x.name === name);
  if (!p) throw new Error(`No demo product named ${name}`);
  return p;
}

export const usd = (m: Money | number) =>
  formatMoney(typeof m === 'number' ? { amount: m, currency: 'USD' } : m, US.locale);

/** What the lane should show for a cart built the same way (the test's own oracle). */
export function expectedTotals(build: (c: Cart, ids: string[]) => Cart) {
  const ids = Array.from({ length: 20 }, (_, i) => `l${i}`);
  return cartTotals(build(emptyCart('USD'), ids), US.tax);
}
export { addProduct, setQuantity, voidLine };

export const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function openLane(page: Page): Promise<void> {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('host-status')).toContainText('connected');
  await expect(scanField(page)).toBeFocused();
}

export const scanField = (page: Page) => page.getByRole('combobox', { name: 'Scan or search' });

/** A keyboard-wedge scanner: digits then Enter, back to back, with no pause between codes. */
export async function wedgeScan(page: Page, codes: string[]): Promise<void> {
  await page.keyboard.type(codes.map((c) => `${c}\n`).join(''), { delay: 0 });
}

/** Count rows straight from IndexedDB, to prove what was (not) written. */
export async function countRows(page: Page, table: 'sales' | 'outbox' | 'audit'): Promise<number> {
  return page.evaluate(
    (t) =>
      new Promise<number>((resolveCount, reject) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const r = db.transaction(t).objectStore(t).count();
          r.onsuccess = () => {
            resolveCount(r.result);
            db.close();
          };
          r.onerror = () => reject(r.error);
        };
      }),
    table,
  );
}

export const cartLines = (page: Page) => page.getByTestId('cart-line');

/** The quantities of the saved sale in progress (the lane writes it after every change). */
export async function savedDraftQuantities(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolveDraft, reject) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const r = db.transaction('drafts').objectStore('drafts').get('current');
          r.onsuccess = () => {
            const draft = r.result as { cart?: { lines: { quantity: number }[] } } | undefined;
            resolveDraft(draft?.cart?.lines.map((l) => l.quantity) ?? []);
            db.close();
          };
          r.onerror = () => reject(r.error);
        };
      }),
  );
}

/** The demo store's people (cloud/stores.ts DEMO_STAFF; README). */
export const DEMO_MANAGER = { id: 'm1', name: 'Morgan Lee', passcode: '12345678' } as const;
export const DEMO_ATTENDANT = { id: 'a1', name: 'Alex Kim', passcode: '87654321' } as const;

/**
 * Answers the lane's credential dialog (the one every privileged action asks through) as a
 * manager: the demo store's Morgan Lee unless told otherwise, with their passcode unless another
 * (a wrong one) is given. Language-neutral: it finds the dialog's parts by test id.
 */
export async function managerApproval(
  page: Page,
  o: { id?: string; passcode?: string } = {},
): Promise<void> {
  const dialog = page.getByTestId('credential-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('credential-staff').selectOption(o.id ?? DEMO_MANAGER.id);
  await dialog.getByTestId('credential-passcode').fill(o.passcode ?? DEMO_MANAGER.passcode);
  await dialog.getByTestId('credential-submit').click();
}

/**
 * Connects the page's lane to the shared e2e server's demo cloud as a store would: the back office
 * issues a one-time code (admin API, with the token the cloud keeps in its data directory) and the
 * code is typed in Manager → Connect this lane. Resolves once the store's staff list has arrived,
 * so manager-gated actions work. (The launcher's own code goes to the first lane that opens.)
 */
export async function connectLane(
  page: Page,
  o: { cloudPort?: number; dataDir?: string; storeId?: string } = {},
): Promise<void> {
  const credential = page.getByTestId('credential-dialog').getByTestId('credential-staff');
  const codeField = page.getByLabel('Provisioning code');
  // Settled first: a lane that was the first to open may be provisioning with the launcher's code.
  const sync = page.getByTestId('sync-status');
  await expect(sync).toHaveAttribute('data-phase', /^(unprovisioned|idle|syncing|backoff)$/);
  if ((await sync.getAttribute('data-phase')) !== 'unprovisioned') {
    await page.getByRole('button', { name: 'Manager' }).click();
    await expect(credential).toBeVisible();
    await page.getByTestId('credential-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: /^Sale/ }).click();
    await saleReady(page);
    return;
  }
  await page.getByRole('button', { name: 'Manager' }).click();
  const cloud = `http://127.0.0.1:${o.cloudPort ?? E2E_PORT + 1}`;
  const root = resolve(import.meta.dirname, '../..');
  const token = readFileSync(
    resolve(root, o.dataDir ?? '.e2e-cloud', 'admin-token'),
    'utf8',
  ).trim();
  const res = await fetch(`${cloud}/v1/admin/stores/${o.storeId ?? 'demo-us'}/provisioning-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 201)
    throw new Error(`no provisioning code (${res.status}): ${await res.text()}`);
  const { code } = (await res.json()) as { code: string };
  await codeField.fill(code);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected to' })).toBeVisible();
  // The staff list comes with the first pull: the manager view then asks for a credential —
  // maybe already now, over the page (on a busy machine the pull beats this click).
  const dialog = page.getByTestId('credential-dialog');
  await page.addLocatorHandler(dialog, (d) => d.getByRole('button', { name: 'Cancel' }).click());
  await page.getByRole('button', { name: /^Sale/ }).click();
  await page.removeLocatorHandler(dialog);
  await page.getByRole('button', { name: 'Manager' }).click();
  await expect(credential).toBeVisible();
  await page.getByTestId('credential-dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: /^Sale/ }).click();
  await saleReady(page);
}

/**
 * Back on the sale screen with its scan field focused: what a cashier waits for before scanning
 * (keys typed while the view is still mounting go nowhere, as they would on a real lane).
 */
async function saleReady(page: Page): Promise<void> {
  await expect(page.locator('#scan-input')).toBeFocused();
}

/** Opens the Manager tab with a manager's credential; resolves once the queue shows. */
export async function openManagerView(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Manager' }).click();
  await managerApproval(page);
  await expect(page.getByTestId('manager-stats')).toBeVisible();
}

export interface Spawned {
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <script>` from the project root and resolves once its output
 * contains `readyText`, so a spec can run its own host or cloud beside the shared web server.
 */
export function spawnTsx(
  script: string,
  env: Record<string, string>,
  readyText: string,
  timeoutMs = 60_000,
): Promise<Spawned> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const spawned: Spawned = {
    output: () => out.join(''),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      void spawned.stop();
      fail(new Error(`${script} did not start:\n${out.join('')}`));
    }, timeoutMs);
    const seen = (d: Buffer) => {
      out.push(String(d));
      if (out.join('').includes(readyText)) {
        clearTimeout(timer);
        ready(spawned);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', (d: Buffer) => out.push(String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${script} exited (${code}):\n${out.join('')}`));
    });
  });
}
