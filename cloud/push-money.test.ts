import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale, Tender } from '../common/sale';
import { MAX_CLOCK_SKEW_MS } from '../common/sync/protocol';
import {
  TestTerminal,
  laneSale,
  ledger,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * A compromised or buggy lane reports money: every sale below is signed by a real, provisioned
 * lane, so only the cloud's own re-derivation (common/sale-check.ts under the store's rules)
 * stands between it and the day's figures. Each is rejected for good (processed, with its
 * reason, so the queue moves on) and counted nowhere.
 */
const NOW = Date.now();
let cloud: TestCloud;
let us: TestTerminal;
let de: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud({ now: () => NOW });
  await testStore(cloud.db, 'money-us', 'us');
  await testStore(cloud.db, 'money-de', 'de');
  us = new TestTerminal('lane-money-us');
  de = new TestTerminal('lane-money-de');
  await us.provision(cloud, 'money-us');
  await de.provision(cloud, 'money-de');
}, 60_000);
afterAll(async () => cloud?.close());

const usSale = (tenders?: (t: Sale['totals']['total']) => Tender[]): Sale =>
  laneSale(
    us.deviceId,
    'us',
    [
      { price: 349, quantity: 2, taxClass: 'standard' },
      { price: 199, quantity: 1, taxClass: 'reduced' },
    ],
    tenders,
  );

async function expectRefused(
  t: TestTerminal,
  storeId: string,
  kind: string,
  payload: unknown,
  reason: RegExp,
): Promise<void> {
  const before = await ledger(cloud.db, storeId);
  const id = t.nextMutationId;
  const outcome = await t.pushOne(cloud, kind, payload);
  expect(outcome).toMatchObject({
    mutationId: id,
    status: 'rejected',
    reason: expect.stringMatching(reason),
  });
  expect(await ledger(cloud.db, storeId)).toEqual(before);
  const kept = await cloud.db.query<{ status: string; reason: string }>(
    'SELECT status, reason FROM mutations WHERE terminal_id = $1 AND mutation_id = $2',
    [t.terminalId, id],
  );
  expect(kept.rows[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
}

describe('the cloud re-derives every sale under the store’s own rules', () => {
  it('counts an honest sale: sales, tenders and the day’s figures', async () => {
    const sale = usSale();
    const before = await ledger(cloud.db, 'money-us');
    expect(await us.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    const after = await ledger(cloud.db, 'money-us');
    expect(after.sales).toBe(Number(before.sales) + 1);
    expect(after.tenders).toBe(Number(before.tenders) + 1);
    expect(after.daily).toEqual([[new Date(NOW).toISOString().slice(0, 10), 'USD', 1, 955, 0, 0]]);
  });

  it('refuses a negative total', async () => {
    const s = laneSale(us.deviceId, 'us', [{ price: -500, quantity: 1, taxClass: 'exempt' }]);
    await expectRefused(us, 'money-us', 'sale.completed', s, /negative price/);
    const flipped = usSale();
    const total = { ...flipped.totals.total, amount: -955 };
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...flipped, totals: { ...flipped.totals, total } },
      /the total is negative/,
    );
  });

  it('refuses lines that do not add up to the subtotal', async () => {
    const s = usSale();
    const lines = s.lines.map((l, i) => (i === 0 ? { ...l, quantity: 1 } : l));
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...s, lines },
      /the lines add up to 548, the sale says subtotal 897/,
    );
  });

  it('refuses subtotal + tax ≠ total, even with tenders that pay the claimed total', async () => {
    const cheap = { amount: 900, currency: 'USD' as const };
    const s = usSale(() => [
      { kind: 'cash', amount: cheap, given: cheap, change: { amount: 0, currency: 'USD' } },
    ]);
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...s, totals: { ...s.totals, total: cheap } },
      /the total is 900, subtotal \+ tax is 955/,
    );
  });

  it("refuses tax that is not the store's rate for the line's tax class", async () => {
    // The lane claims the reduced (0 %) rate's breakdown for a standard-rate line, with the
    // tax and total that would follow: self-consistent, wrong for this store.
    const s = usSale();
    const breakdown = s.totals.breakdown.map((b) =>
      b.taxClass === 'standard' ? { ...b, rateBasisPoints: 0, tax: { ...b.tax, amount: 0 } } : b,
    );
    const zero = { amount: 0, currency: 'USD' as const };
    const total = { amount: 897, currency: 'USD' as const };
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      {
        ...s,
        totals: { ...s.totals, breakdown, tax: zero, total },
        tenders: [{ kind: 'cash', amount: total, given: total, change: zero }],
      },
      /standard tax at 0 basis points; the store's rate is 825/,
    );
  });

  it("refuses another currency than the store's: the store's profile decides, never the sale", async () => {
    // A perfectly consistent US-dollar sale, pushed by the lane of a euro store.
    const dollars = laneSale(de.deviceId, 'us', [
      { price: 1000, quantity: 1, taxClass: 'standard' },
    ]);
    await expectRefused(
      de,
      'money-de',
      'sale.completed',
      dollars,
      /the sale is in USD; the store sells in EUR/,
    );
    // And a euro sale computed with US sales tax (net prices) in the euro store.
    const euros = laneSale(de.deviceId, 'de', [{ price: 1190, quantity: 1, taxClass: 'standard' }]);
    expect(await de.pushOne(cloud, 'sale.completed', euros)).toMatchObject({ status: 'applied' });
    const wrongTax = {
      ...euros,
      id: `${euros.id}-x`,
      totals: { ...euros.totals, total: { amount: 1416, currency: 'EUR' as const } },
    };
    await expectRefused(
      de,
      'money-de',
      'sale.completed',
      wrongTax,
      /the total is 1416, the subtotal \(prices include tax\) is 1190/,
    );
  });

  it('refuses cash change below zero, or change other than given − amount', async () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' as const });
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      usSale((t) => [{ kind: 'cash', amount: t, given: usd(900), change: usd(-55) }]),
      /cash given \(900\) is less than the amount due \(955\)/,
    );
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      usSale((t) => [{ kind: 'cash', amount: t, given: usd(2000), change: usd(1500) }]),
      /change is 1500; given 2000 − amount 955 is 1045/,
    );
  });

  it('refuses tenders that do not cover the total, and tenders that are not positive', async () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' as const });
    const card = (amount: number): Tender => ({
      kind: 'card',
      amount: usd(amount),
      paymentId: `p${amount}`,
      authCode: 'A',
      brand: 'visa',
      last4: '4242',
    });
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      usSale(() => [card(500)]),
      /tenders add up to 500, the total is 955/,
    );
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      usSale(() => [card(1055), card(-100)]),
      /tender 2 is not a positive amount/,
    );
  });

  it('refuses a completion beyond the cloud clock plus the skew, and a start after the completion', async () => {
    const late = {
      ...usSale(),
      completedAt: new Date(NOW + MAX_CLOCK_SKEW_MS + 1000).toISOString(),
    };
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      late,
      /later than the checker's clock allows/,
    );
    const s = usSale();
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      {
        ...s,
        startedAt: new Date(NOW + 1000).toISOString(),
        completedAt: new Date(NOW).toISOString(),
      },
      /started after it was completed/,
    );
    // Within the skew is a lane clock a little ahead, not an attack.
    const ahead = {
      ...usSale(),
      completedAt: new Date(NOW + MAX_CLOCK_SKEW_MS - 1000).toISOString(),
    };
    expect(await us.pushOne(cloud, 'sale.completed', ahead)).toMatchObject({ status: 'applied' });
  });

  it('a string PostgreSQL cannot store is a rejection, not a 500 that blocks the queue', async () => {
    const s = usSale();
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...s, receiptNo: 'L01-\u0000' },
      /receiptNo: contains a NUL/,
    );
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...s, lines: s.lines.map((l) => ({ ...l, name: 'half \ud800 pair' })) },
      /unpaired surrogate/,
    );
    await expectRefused(
      us,
      'money-us',
      'sale.completed',
      { ...s, completedAt: '0000-01-01T00:00:00Z' },
      /before 1970/,
    );
    await expectRefused(
      us,
      'money-us',
      'no.such.kind\u0000',
      { junk: 'a\u0000b', ['k\ud800']: 1 },
      /unknown mutation kind/,
    );
    const kept = await cloud.db.query<{ payload: { junk: string } }>(
      'SELECT payload FROM mutations WHERE terminal_id = $1 AND mutation_id = $2',
      [us.terminalId, us.nextMutationId - 1],
    );
    expect(kept.rows[0]?.payload.junk).toBe('a\uFFFDb'); // kept, mended only where it must be
    expect(await us.pushOne(cloud, 'sale.completed', usSale())).toMatchObject({
      status: 'applied',
    });
  });
});
