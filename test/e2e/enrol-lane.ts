import { expect, type Page } from '@playwright/test';

/**
 * Driving the lane's Shoppers tab and the device emulator as a shopper and cashier would, for
 * enrolment.spec.ts. `pace` pauses stand for the shopper's own time (reading, tapping, typing,
 * placing a hand), so the lane's own marks (`enrol:start` → `enrol:done`) measure a whole
 * enrolment as the shopper lives it, with the emulator's default device timings.
 */
export const SHOPPER_PACE = {
  readConsentMs: 10_000,
  tapCardMs: 2_000,
  keystrokeMs: 150,
  placePalmMs: 1_000,
  switchHandsMs: 2_000,
  attendantIdCheckMs: 8_000,
} as const;

export const emulator = (page: Page) => page.getByRole('group', { name: 'Palm scanner emulator' });

async function slider(page: Page, label: string, value: number) {
  await emulator(page)
    .getByLabel(label)
    .evaluate((el, v) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      set.call(el, String(v));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
}

/** Presents palm `identity` (an emulator identity: 2000 and up are nobody enrolled yet). */
export async function presentPalm(
  page: Page,
  identity: number,
  o: { quality?: number; liveness?: number } = {},
): Promise<void> {
  await emulator(page).getByLabel('Shopper #').fill(String(identity));
  await slider(page, 'Quality', o.quality ?? 90);
  await slider(page, 'Liveness', o.liveness ?? 95);
  await emulator(page).getByRole('button', { name: 'Present palm' }).click();
}

export const enrolment = (page: Page) => page.getByTestId('enrolment');
export const problem = (page: Page) => page.getByTestId('enrol-problem');

export async function openEnrolment(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Shoppers' }).click();
  await page.getByRole('button', { name: 'Enrol a shopper' }).click();
  await expect(enrolment(page)).toHaveAttribute('data-step', 'consent');
}

/** Captures one palm: three presentations, each once the lane asks for it. */
export async function capturePalm(
  page: Page,
  hand: 'left' | 'right',
  identity: number,
  pace = false,
): Promise<void> {
  const box = page.getByTestId(`enrol-palm-${hand}`);
  await box.getByRole('button', { name: new RegExp(`Capture ${hand} palm|Capture again`) }).click();
  for (let n = 1; n <= 3; n++) {
    await expect(page.getByTestId('enrol-hold')).toContainText(`capture ${n} of 3`);
    if (pace) await page.waitForTimeout(SHOPPER_PACE.placePalmMs);
    await presentPalm(page, identity);
    if (n < 3) await expect(box).toContainText(`${n} of 3 captures`);
  }
  await expect(box).toContainText('Captured ✓');
}

/** The lane's measured enrolment time: its `enrol:start` mark (the last) to `enrol:done`. */
export async function enrolmentMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const start = performance.getEntriesByName('enrol:start').at(-1);
    const done = performance.getEntriesByName('enrol:done').at(-1);
    if (!start || !done) throw new Error('no enrolment marks');
    return done.startTime - start.startTime;
  });
}

/** What a connected lane's Manager → Sync now pulls (the lane's one pull). */
export async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
}
