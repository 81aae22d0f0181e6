import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';
import {
  demoPhoneLast4,
  demoPopulation,
  demoShopper,
  demoTemplateId,
  DEMO_POLICY,
} from '../../cloud/demo-shoppers';
import { PT1_DIMS } from '../../common/palm/population';
import { decide, type Decision } from '../../common/shard/policy';
import { E2E_TOKEN } from '../../playwright.config';
import { spawnTsx, type Spawned } from './support';

/**
 * A browser host with its own embedded cloud that enrols the demo shoppers (as `npm run
 * start:browser` does), for the palm-pay specs: the emulator's identity N is demo shopper N. Its
 * emulator starts at capture counter 0 and every capture that yields a result moves it on by
 * one, so a spec that counts its captures knows the probe each next capture will carry — and
 * can pick, from the seed-1 population and the demo policy, a shopper whose next capture the
 * lane will decide as wanted (step-up is a narrow band of scores).
 */
export const SHOPPERS = 2000;
const ROOT = resolve(import.meta.dirname, '../..');

export async function startPalmHost(
  port: number,
  cloudPort: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Spawned> {
  rmSync(resolve(ROOT, dataDir), { recursive: true, force: true });
  const host = await spawnTsx(
    'native/browser-host/main.ts',
    {
      PORT: String(port),
      HOST_TOKEN: E2E_TOKEN,
      CLOUD_PORT: String(cloudPort),
      CLOUD_DATA_DIR: dataDir,
      DEMO_SHOPPERS: String(SHOPPERS),
      CARD_PROCESSING_MS: '250',
      ...env,
    },
    'Open: ',
    90_000,
  );
  return {
    output: host.output,
    stop: async () => {
      await host.stop();
      rmSync(resolve(ROOT, dataDir), { recursive: true, force: true });
    },
  };
}

let gallery: Int8Array | null = null;
const population = demoPopulation();

/** What the lane's matcher decides for subject `identity` captured at `quality`, counter `c`. */
export function laneDecision(identity: number, quality: number, counter: number): Decision {
  if (!gallery) {
    gallery = new Int8Array(SHOPPERS * PT1_DIMS);
    for (let i = 0; i < SHOPPERS; i++)
      population.enrollTemplate(i, gallery.subarray(i * PT1_DIMS, (i + 1) * PT1_DIMS));
  }
  const probe = population.capture(identity, quality, counter);
  let best = -Infinity;
  let second = -Infinity;
  let at = -1;
  for (let r = 0; r < SHOPPERS; r++) {
    let d = 0;
    const o = r * PT1_DIMS;
    for (let k = 0; k < PT1_DIMS; k++) d += probe[k]! * gallery[o + k]!;
    if (d > best) {
      second = best;
      best = d;
      at = r;
    } else if (d > second) second = d;
  }
  return decide(DEMO_POLICY, SHOPPERS, {
    templateId: demoTemplateId(at),
    score: best,
    runnerUpScore: second,
  });
}

export const shopperRecord = (n: number) => demoShopper(population, n);
export const phoneDigits = demoPhoneLast4;

/** The lane at the palm host, driven through the emulator panel; counts its captures. */
export class PalmLane {
  captures = 0;
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    const page = this.page;
    await page.goto(`/#token=${E2E_TOKEN}`);
    await expect(page.getByTestId('host-status')).toContainText('connected');
    const palmPay = page.getByTestId('palm-pay-status');
    await expect(palmPay).toHaveAttribute('data-state', 'ready', { timeout: 45_000 });
  }

  /** Presents demo shopper `n` (or a stranger's identity) at `quality`; one capture follows. */
  async present(n: number, quality = 85): Promise<void> {
    const page = this.page;
    const panel = page.getByRole('group', { name: 'Palm scanner emulator' });
    await panel.getByLabel('Shopper #').fill(String(n));
    // A range input: set it as a hand on the slider would (React listens for `input`).
    await panel.getByLabel('Quality').evaluate((el, v) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      set.call(el, String(v));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, quality);
    await panel.getByRole('button', { name: 'Present palm' }).click();
    this.captures += 1;
  }

  async stranger(): Promise<void> {
    await this.page
      .getByRole('group', { name: 'Palm scanner emulator' })
      .getByRole('button', { name: 'Present a stranger' })
      .click();
    this.captures += 1;
  }

  /**
   * A shopper (from `among`) and quality whose NEXT capture the lane decides as `kind` for that
   * shopper, computed from the population before presenting.
   */
  pick(kind: 'accept' | 'step-up', among: readonly number[]): { shopper: number; quality: number } {
    const counter = this.captures + 1;
    const qualities = kind === 'accept' ? [85, 90, 95] : [70, 66, 74, 62, 78, 58, 82, 55];
    for (const quality of qualities)
      for (const shopper of among) {
        const d = laneDecision(shopper, quality, counter);
        if (d.kind === kind && d.templateId === demoTemplateId(shopper))
          return { shopper, quality };
      }
    throw new Error(
      `no shopper among ${among.join(', ')} is decided ${kind} at counter ${counter}`,
    );
  }

  status() {
    return this.page.getByTestId('palm-status');
  }
}
