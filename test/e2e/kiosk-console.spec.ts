import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config';
import { DEMO_ATTENDANT, countRows, product, shot } from './support';
import { KIOSK_VIEWPORT, expectAccessible, kioskScan, light, openKiosk } from './kiosk-support';

const CONSOLE = `http://127.0.0.1:${E2E_PORT + 1}/console`;

test.use(KIOSK_VIEWPORT);

/** The attendant's console on their own page (a tablet on the floor), logged in as Alex Kim. */
async function openConsole(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(CONSOLE);
  await page.getByLabel('Store').fill('demo-us');
  await page.getByLabel('Staff id').fill(DEMO_ATTENDANT.id);
  await page.getByLabel('Passcode').fill(DEMO_ATTENDANT.passcode);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: /Attendant console/ })).toBeVisible();
  await expect(page.getByTestId('console-live')).toHaveAttribute('data-state', 'live');
  return page;
}

/** The console's card for a kiosk page (found by the lane's terminal id). */
async function cardFor(consolePage: Page, kiosk: Page) {
  const terminalId = await kiosk.evaluate(
    () =>
      new Promise<string>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('settings').objectStore('settings').get('sync-identity');
          r.onsuccess = () =>
            done((r.result as { value: { terminalId: string } }).value.terminalId);
        };
      }),
  );
  return consolePage.locator(`[data-testid="console-kiosk"][data-terminal="${terminalId}"]`);
}

test('a beer at a kiosk, approved by an attendant from the console on another page, then paid', async ({
  page,
  browser,
}) => {
  await openKiosk(page);
  await kioskScan(page, product('IPA 6 pk').barcode);
  await page.getByRole('button', { name: 'Pay', exact: true }).tap();
  await page.getByRole('button', { name: 'Pay by card' }).tap();
  await expect(light(page)).toHaveAttribute('data-state', 'red');
  const console = await openConsole(browser);
  const card = await cardFor(console, page);
  await expect(card).toHaveAttribute('data-light', 'red');
  await expect(card.getByTestId('console-intervention')).toContainText('ID check for IPA 6 pk');
  await expect(card.getByTestId('console-intervention')).toContainText(/waiting \d+ s/);
  await expectAccessible(console, 'console');
  await shot(console, 'console-beer-pending');

  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(light(page)).toHaveAttribute('data-state', 'green', { timeout: 10_000 });
  await expect(page.getByTestId('kiosk-wait')).toHaveCount(0);
  await expect(card).toHaveAttribute('data-light', 'green', { timeout: 10_000 });
  await expect(card.getByTestId('console-intervention')).toHaveCount(0);
  await shot(console, 'console-beer-approved');

  await page.getByRole('button', { name: 'Pay by card' }).tap();
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByTestId('kiosk-receipt')).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  await shot(page, 'kiosk-beer-paid-after-console');
  await console.context().close();
});

test('"need help" reaches the console, flashing, and the attendant clears it there', async ({
  page,
  browser,
}) => {
  await openKiosk(page);
  await page.getByTestId('kiosk-need-help').tap();
  await expect(light(page)).toHaveAttribute('data-state', 'flashing');
  await expect(page.getByText('An attendant is on the way.')).toBeVisible();
  await shot(page, 'kiosk-need-help');
  const console = await openConsole(browser);
  const card = await cardFor(console, page);
  await expect(card).toHaveAttribute('data-light', 'flashing');
  await expect(card.getByTestId('console-intervention')).toHaveAttribute('data-kind', 'help');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(light(page)).toHaveAttribute('data-state', 'green', { timeout: 10_000 });
  await console.context().close();
});

test('three kiosks on one console at once, and one that goes offline is shown as such', async ({
  browser,
}) => {
  const kiosks: Page[] = [];
  const items = ['Cola 12 pk', 'Bananas 1 lb', 'IPA 6 pk'];
  for (const name of items) {
    const context = await browser.newContext(KIOSK_VIEWPORT);
    const k = await context.newPage();
    await openKiosk(k);
    await kioskScan(k, product(name).barcode);
    if (name === 'IPA 6 pk') {
      await k.getByRole('button', { name: 'Pay', exact: true }).tap();
      await k.getByRole('button', { name: 'Pay by card' }).tap();
    }
    kiosks.push(k);
  }
  const console = await openConsole(browser);
  const cards = await Promise.all(kiosks.map((k) => cardFor(console, k)));
  await expect(cards[0]!).toHaveAttribute('data-light', 'green');
  await expect(cards[1]!).toHaveAttribute('data-light', 'green');
  await expect(cards[2]!).toHaveAttribute('data-light', 'red');
  await expect(cards[0]!.getByTestId('console-basket')).toContainText('USD');
  await expect(cards[2]!.getByTestId('console-intervention')).toContainText('ID check');
  await shot(console, 'console-three-kiosks');

  await kiosks[1]!.context().close();
  await expect(cards[1]!).toHaveAttribute('data-online', 'false', { timeout: 20_000 });
  await expect(cards[1]!.getByTestId('console-offline')).toBeVisible();
  await expect(cards[0]!).toHaveAttribute('data-online', 'true');
  await shot(console, 'console-one-offline');
  for (const k of [kiosks[0]!, kiosks[2]!]) await k.context().close();
  await console.context().close();
});
