import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale } from '../common/sale';
import { changeSettings } from './stores';
import {
  TestTerminal,
  laneSale,
  ledger,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Offline (store-and-forward) payments: a lane may hold money the store has not yet collected,
 * within the store's limits as they stood when each payment was taken (per payment, the lane's
 * total unsettled, age on arrival). A stored payment that breaks one is rejected for good and
 * counted nowhere; the sale it belongs to is judged on its own.
 */
const HOUR = 3_600_000;
let offset = 0; // the cloud's clock runs this far ahead of the machine's
const clock = () => Date.now() + offset;
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ now: clock });
}, 60_000);
afterAll(async () => cloud?.close());

let storeSeq = 0;
async function lane(limits?: {
  perPaymentLimit: number;
  totalStoredCap: number;
  maxAgeHours: number;
}) {
  const storeId = `offline-${++storeSeq}`;
  await testStore(cloud.db, storeId, 'us'); // defaults: 10 000 a payment, 50 000 in total, 24 h
  if (limits) await changeSettings(cloud.db, storeId, { offline: limits });
  const t = new TestTerminal(`lane-${storeId}`);
  await t.provision(cloud, storeId);
  return { t, storeId };
}

/**
 * A card sale taken with the card network down, its payment stored at `at`, and that payment.
 * By default a moment from now, so after any settings change the test just made.
 */
function offline(t: TestTerminal, amount: number, at = clock() + 2_000) {
  const paymentId = `pay-${randomBytes(4).toString('hex')}`;
  const sale: Sale = {
    ...laneSale(t.deviceId, 'us', [{ price: amount, quantity: 1, taxClass: 'exempt' }], (total) => [
      { kind: 'card', amount: total, paymentId, authCode: 'OFFLINE', brand: 'visa', last4: '4242' },
    ]),
    startedAt: new Date(at - 60_000).toISOString(),
    completedAt: new Date(at + 1_000).toISOString(),
  };
  const payment = {
    paymentId,
    saleId: sale.id,
    method: 'card',
    amount: { amount, currency: 'USD' },
    storedAt: new Date(at).toISOString(),
  };
  return { sale, payment };
}

async function storedThenRefused(
  t: TestTerminal,
  storeId: string,
  payment: unknown,
  reason: RegExp,
): Promise<void> {
  const before = await ledger(cloud.db, storeId);
  expect(await t.pushOne(cloud, 'payment.stored', payment)).toMatchObject({
    status: 'rejected',
    reason: expect.stringMatching(reason),
  });
  expect(await ledger(cloud.db, storeId)).toEqual(before);
}

describe('stored offline payments keep to the store’s limits', () => {
  it('records one within every limit, once', async () => {
    const { t, storeId } = await lane();
    const { sale, payment } = offline(t, 4000);
    expect(await t.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    expect(await t.pushOne(cloud, 'payment.stored', payment)).toMatchObject({ status: 'applied' });
    expect((await ledger(cloud.db, storeId)).storedPayments).toBe(1);
    await storedThenRefused(t, storeId, payment, /already recorded/);
  });

  it("refuses one over the store's per-payment limit", async () => {
    const { t, storeId } = await lane();
    const { sale, payment } = offline(t, 10_001);
    await t.pushOne(cloud, 'sale.completed', sale);
    await storedThenRefused(
      t,
      storeId,
      payment,
      /over the store's offline limit of 10000 a payment/,
    );
  });

  it("refuses one that would push the lane's unsettled total over the store's cap; settling frees it", async () => {
    const { t, storeId } = await lane({
      perPaymentLimit: 5000,
      totalStoredCap: 12_000,
      maxAgeHours: 72,
    });
    const payments = [];
    for (const amount of [5000, 5000, 5000]) {
      const { sale, payment } = offline(t, amount);
      await t.pushOne(cloud, 'sale.completed', sale);
      payments.push(payment);
    }
    expect(await t.pushOne(cloud, 'payment.stored', payments[0])).toMatchObject({
      status: 'applied',
    });
    expect(await t.pushOne(cloud, 'payment.stored', payments[1])).toMatchObject({
      status: 'applied',
    });
    await storedThenRefused(
      t,
      storeId,
      payments[2],
      /would hold 15000 in stored payments; the store's cap is 12000/,
    );
    // Once the store has collected one, the lane may hold another.
    await cloud.db.query('UPDATE stored_payments SET settled_at = now() WHERE payment_id = $1', [
      payments[0]!.paymentId,
    ]);
    const again = offline(t, 5000);
    await t.pushOne(cloud, 'sale.completed', again.sale);
    expect(await t.pushOne(cloud, 'payment.stored', again.payment)).toMatchObject({
      status: 'applied',
    });
  });

  it("refuses one older than the store's max age when it arrives", async () => {
    const { t, storeId } = await lane();
    const { sale, payment } = offline(t, 1000, Date.now() - 25 * HOUR);
    expect(await t.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    await storedThenRefused(t, storeId, payment, /25.0 h old; the store accepts at most 24 h/);
  });

  it('refuses negative, zero and foreign-currency amounts, and a date ahead of the clock', async () => {
    const { t, storeId } = await lane();
    const { sale, payment } = offline(t, 1000);
    await t.pushOne(cloud, 'sale.completed', sale);
    for (const amount of [-1000, 0]) {
      await storedThenRefused(
        t,
        storeId,
        { ...payment, amount: { amount, currency: 'USD' } },
        /positive amount/,
      );
    }
    await storedThenRefused(
      t,
      storeId,
      { ...payment, amount: { amount: 1000, currency: 'EUR' } },
      /in EUR; the store takes USD/,
    );
    const future = new Date(Date.now() + 2 * HOUR).toISOString();
    await storedThenRefused(
      t,
      storeId,
      { ...payment, storedAt: future },
      /later than the cloud's clock allows/,
    );
  });

  it('refuses one for a sale the cloud does not have, of another lane, or that does not carry it', async () => {
    const { t, storeId } = await lane();
    const other = new TestTerminal(`${t.deviceId}-2`);
    await other.provision(cloud, storeId);
    const mine = offline(t, 1000);
    await storedThenRefused(t, storeId, mine.payment, /is not recorded for this lane/);
    const theirs = offline(other, 1000);
    await other.pushOne(cloud, 'sale.completed', theirs.sale);
    await storedThenRefused(t, storeId, theirs.payment, /is not recorded for this lane/);
    await t.pushOne(cloud, 'sale.completed', mine.sale);
    await storedThenRefused(
      t,
      storeId,
      { ...mine.payment, amount: { amount: 999, currency: 'USD' } },
      /took 1000 for payment .*, not 999/,
    );
    await storedThenRefused(t, storeId, { ...mine.payment, method: 'palm' }, /has no palm tender/);
    await storedThenRefused(
      t,
      storeId,
      { ...mine.payment, paymentId: 'pay-invented' },
      /no card tender for payment pay-invented/,
    );
  });
});

describe('limits as they stood when the payment was taken', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function versions(storeId: string): Promise<number[]> {
    const r = await cloud.db.query<{ valid_from: Date }>(
      'SELECT valid_from FROM store_settings_history WHERE store_id = $1 ORDER BY version',
      [storeId],
    );
    return r.rows.map((row) => row.valid_from.getTime());
  }

  it('a limit lowered while the lane was offline does not refuse what the old one allowed, nor after', async () => {
    const { t, storeId } = await lane({
      perPaymentLimit: 5000,
      totalStoredCap: 50_000,
      maxAgeHours: 72,
    });
    await sleep(50);
    await changeSettings(cloud.db, storeId, {
      offline: { perPaymentLimit: 2000, totalStoredCap: 50_000, maxAgeHours: 72 },
    });
    const [, before, after] = await versions(storeId);
    const taken = offline(t, 4000, (before! + after!) / 2);
    await t.pushOne(cloud, 'sale.completed', taken.sale);
    expect(await t.pushOne(cloud, 'payment.stored', taken.payment)).toMatchObject({
      status: 'applied',
    });
    const later = offline(t, 4000);
    await t.pushOne(cloud, 'sale.completed', later.sale);
    await storedThenRefused(t, storeId, later.payment, /over the store's offline limit of 2000/);
  });

  it('a limit raised later does not excuse a payment that broke the one in force', async () => {
    const { t, storeId } = await lane({
      perPaymentLimit: 2000,
      totalStoredCap: 50_000,
      maxAgeHours: 72,
    });
    await sleep(50);
    await changeSettings(cloud.db, storeId, {
      offline: { perPaymentLimit: 9000, totalStoredCap: 50_000, maxAgeHours: 72 },
    });
    const [, before, after] = await versions(storeId);
    const taken = offline(t, 4000, (before! + after!) / 2);
    await t.pushOne(cloud, 'sale.completed', taken.sale);
    await storedThenRefused(t, storeId, taken.payment, /over the store's offline limit of 2000/);
  });

  it('keeps every settings version, credentials left out', async () => {
    const { storeId } = await lane({ perPaymentLimit: 100, totalStoredCap: 1000, maxAgeHours: 1 });
    const r = await cloud.db.query<{ version: number; settings: Record<string, unknown> }>(
      'SELECT version, settings FROM store_settings_history WHERE store_id = $1 ORDER BY version',
      [storeId],
    );
    expect(r.rows.map((row) => row.settings.offline)).toEqual([
      { perPaymentLimit: 10_000, totalStoredCap: 50_000, maxAgeHours: 24 },
      { perPaymentLimit: 100, totalStoredCap: 1000, maxAgeHours: 1 },
    ]);
    expect(
      r.rows.every((row) => Object.keys(row.settings).sort().join() === 'offline,profileId'),
    ).toBe(true);
  });

  it('a store with no history (written by hand) is judged by its current settings', async () => {
    const { t, storeId } = await lane({
      perPaymentLimit: 3000,
      totalStoredCap: 50_000,
      maxAgeHours: 72,
    });
    await cloud.db.query('DELETE FROM store_settings_history WHERE store_id = $1', [storeId]);
    const { sale, payment } = offline(t, 3001);
    expect(await t.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    await storedThenRefused(t, storeId, payment, /over the store's offline limit of 3000/);
  });

  it('an age limit is measured on the cloud’s clock at arrival', async () => {
    const { t, storeId } = await lane({
      perPaymentLimit: 5000,
      totalStoredCap: 50_000,
      maxAgeHours: 2,
    });
    const { sale, payment } = offline(t, 1000, clock());
    await t.pushOne(cloud, 'sale.completed', sale);
    offset = 3 * HOUR; // the lane comes back online three hours later
    try {
      await storedThenRefused(t, storeId, payment, /3\.0 h old; the store accepts at most 2 h/);
    } finally {
      offset = 0;
    }
  });
});
