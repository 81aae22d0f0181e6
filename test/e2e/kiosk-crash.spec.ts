import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { countRows, product, shot } from './support';
import { KIOSK_VIEWPORT, kioskScan, light, openKiosk } from './kiosk-support';

test.use(KIOSK_VIEWPORT);

/**
 * The kiosk's page dies (a renderer crash; Chromium's own Page.crash, as an out-of-memory kill
 * would) while a shopper waits for an ID check. The Electron shell reloads it
 * (electron/main/kiosk-mode.ts recoverLostPage, unit-tested there); here the reload is the test's,
 * into the same browser profile. The shopper is back in the same basket, and the crash did not
 * clear the check they were waiting on.
 */
test('a renderer crash mid-sale reloads into the same basket, with the pending ID check still pending', async ({
  page,
  context,
}) => {
  await openKiosk(page);
  await kioskScan(page, product('Cola 12 pk').barcode);
  await kioskScan(page, product('IPA 6 pk').barcode);
  await page.getByRole('button', { name: 'Pay', exact: true }).tap();
  await page.getByRole('button', { name: 'Pay by card' }).tap();
  await expect(page.getByTestId('kiosk-intervention')).toHaveText('ID check for IPA 6 pk');
  await expect(light(page)).toHaveAttribute('data-state', 'red');

  const crashed = page.waitForEvent('crash');
  const cdp = await context.newCDPSession(page);
  // The renderer dies before it can answer, so the command itself never resolves cleanly.
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;

  // Playwright's crashed page cannot navigate; a new page of the same profile is what the shell's
  // reload gives: a fresh renderer over the same IndexedDB. (A new tab has no sessionStorage, so
  // it is handed the host token again, as the launcher hands it to a browser-mode kiosk.)
  await page.close();
  const again = await context.newPage();
  await again.goto(`/?lane=self#token=${E2E_TOKEN}`);
  await expect(again.getByTestId('kiosk-intervention')).toHaveText('ID check for IPA 6 pk');
  await expect(again.getByTestId('kiosk-welcome')).toHaveCount(0);
  await expect(light(again)).toHaveAttribute('data-state', 'red');
  await shot(again, 'kiosk-after-crash');
  await expect(again.getByTestId('kiosk-line')).toHaveCount(2);
  await expect(again.getByTestId('kiosk-line').first()).toContainText('Cola 12 pk');
  expect(await countRows(again, 'sales')).toBe(0);
});
