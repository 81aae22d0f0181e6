import { expect, test } from '@playwright/test';
import {
  DEMO_MANAGER,
  connectLane,
  openLane,
  openManagerView,
  product,
  shot,
  wedgeScan,
} from './support';

test('a manager exports diagnostics for a technician: versions, devices, queue, and no personal data', async ({
  page,
}) => {
  await openLane(page);
  await connectLane(page);
  // A sale waiting in the queue, so there is something to count.
  await wedgeScan(page, [product('Whole Milk 1 gal').barcode]);
  await page.keyboard.press('F8');
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-total')).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();

  await openManagerView(page);
  await page.getByTestId('diagnostics-build').click();
  const pre = page.getByTestId('diagnostics');
  await expect(pre).toContainText('"format": "palm-terminal-diagnostics/1"');
  const d = JSON.parse(await pre.innerText()) as {
    queue: { depth: number };
    host: { devices: { printer: { state: string } }; runtime: { node: string } };
  };
  expect(d.queue.depth).toBeGreaterThanOrEqual(0);
  expect(d.host.runtime.node).toMatch(/^\d+\./);
  expect(d.host.devices.printer.state).toBe('ready');
  const text = await pre.innerText();
  for (const secret of [DEMO_MANAGER.passcode, DEMO_MANAGER.name, 'Whole Milk', 'e2e-token'])
    expect(text, secret).not.toContain(secret);
  await expect(page.getByTestId('diagnostics-download')).toHaveAttribute(
    'download',
    /^diagnostics-L\d+-/,
  );
  await shot(page, 'diagnostics');
});
