import { expect, test } from '@playwright/test';
import { openLane, shot } from './support';

test('the palm scanner shows in the status bar and delivers a verified capture', async ({
  page,
}) => {
  await openLane(page);
  const status = page.getByTestId('scanner-status');
  await expect(status).toHaveAttribute('data-state', 'ready');
  await expect(status).toContainText('Palm scanner: ready');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText('EMU-')).toBeVisible(); // the emulator's serial
  await page.getByRole('button', { name: 'Test palm capture' }).click();
  await expect(page.getByTestId('scanner-guidance')).toHaveText('Hold a palm over the scanner…');
  await page.getByRole('button', { name: 'Present palm' }).click();
  await expect(page.getByTestId('capture-result')).toContainText(
    /Verified capture: (left|right) hand, quality \d+, liveness \d+, counter \d+/,
  );
  await shot(page, 'palm-capture-verified');

  // A failed liveness check is explained, and nothing is delivered.
  await page.getByRole('button', { name: 'Test palm capture' }).click();
  await page.getByLabel('Liveness').fill('10');
  await page.getByRole('button', { name: 'Present palm' }).click();
  await expect(page.getByRole('alert')).toContainText('could not be verified');
});

test('an unplugged scanner is reported within a second and is ready again after replug', async ({
  page,
}) => {
  await openLane(page);
  const status = page.getByTestId('scanner-status');
  await expect(status).toHaveAttribute('data-state', 'ready');
  await page.getByRole('button', { name: 'Unplug scanner' }).click();
  await expect(status).toHaveAttribute('data-state', 'absent', { timeout: 1_500 });
  await shot(page, 'palm-scanner-unplugged');
  await page.getByRole('button', { name: 'Plug scanner in' }).click();
  await expect(status).toHaveAttribute('data-state', 'ready', { timeout: 3_000 });
});
