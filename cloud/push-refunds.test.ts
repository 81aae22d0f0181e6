import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale, Tender } from '../common/sale';
import { MAX_CLOCK_SKEW_MS } from '../common/sync/protocol';
import type { StoreOverview } from './dashboard';
import { createStaff } from './staff';
import {
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  laneSale,
  ledger,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Refunds are their own mutation kind referencing the original sale: never more than is left of
 * it, never more in a tender kind than it took in that kind, lines at what they cost; the day's
 * figures show them beside the sales. Voids keep working, and the two never double-count.
 */
let cloud: TestCloud;
let a: TestTerminal;
let b: TestTerminal;
let stranger: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'refund-store', 'us', { staff: true });
  await testStore(cloud.db, 'refund-other', 'us');
  await createStaff(
    cloud.db,
    'refund-other',
    { ...TEST_MANAGER, id: 'boss', name: 'Other Boss' },
    'test',
  );
  a = new TestTerminal('lane-refund-a');
  b = new TestTerminal('lane-refund-b');
  stranger = new TestTerminal('lane-refund-stranger');
  await a.provision(cloud, 'refund-store');
  await b.provision(cloud, 'refund-store');
  await stranger.provision(cloud, 'refund-other');
}, 60_000);
afterAll(async () => cloud?.close());

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const card = (t: Sale['totals']['total']): Tender[] => [
  {
    kind: 'card',
    amount: t,
    paymentId: `pay-${randomBytes(3).toString('hex')}`,
    authCode: 'A',
    brand: 'visa',
    last4: '4242',
  },
];

/** A recorded card sale of 955: two chips (standard rate) and a juice (reduced). */
async function recordedSale(tenders = card): Promise<Sale> {
  const sale = laneSale(
    a.deviceId,
    'us',
    [
      { price: 349, quantity: 2, taxClass: 'standard' },
      { price: 199, quantity: 1, taxClass: 'reduced' },
    ],
    tenders,
  );
  expect(await a.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
  return sale;
}

const refund = (sale: Sale, over: Record<string, unknown> = {}) => ({
  refundId: `ref-${randomBytes(4).toString('hex')}`,
  saleId: sale.id,
  amount: usd(100),
  tender: 'card',
  reason: 'damaged',
  refundedAt: new Date().toISOString(),
  approvedBy: TEST_MANAGER.id,
  ...over,
});

async function refused(t: TestTerminal, payload: unknown, reason: RegExp): Promise<void> {
  const before = await ledger(cloud.db, 'refund-store');
  expect(await t.pushOne(cloud, 'sale.refunded', payload)).toMatchObject({
    status: 'rejected',
    reason: expect.stringMatching(reason),
  });
  expect(await ledger(cloud.db, 'refund-store')).toEqual(before);
}

const overview = async (storeId: string) =>
  (
    await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${storeId}/overview`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    })
  ).json<StoreOverview>();

describe('sale.refunded', () => {
  it('records a refund, and the day shows it beside the sales, never netted into gross', async () => {
    const before = (await overview('refund-store')).today.find((d) => d.currency === 'USD');
    const sale = await recordedSale();
    expect(
      await a.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(300) })),
    ).toMatchObject({ status: 'applied' });
    const today = (await overview('refund-store')).today.find((d) => d.currency === 'USD')!;
    expect(today).toMatchObject({
      salesCount: (before?.salesCount ?? 0) + 1,
      gross: (before?.gross ?? 0) + 955,
      refundsCount: (before?.refundsCount ?? 0) + 1,
      refunded: (before?.refunded ?? 0) + 300,
    });
    expect(today.net).toBe(today.gross - today.refunded);
  });

  it('never refunds more than is left of the sale', async () => {
    const sale = await recordedSale();
    expect(
      await a.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(900) })),
    ).toMatchObject({ status: 'applied' });
    await refused(a, refund(sale, { amount: usd(56) }), /more than the 55 left/);
    expect(
      await a.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(55) })),
    ).toMatchObject({ status: 'applied' });
    await refused(a, refund(sale, { amount: usd(1) }), /more than the 0 left/);
  });

  it('never pays back in cash what was taken by card', async () => {
    const sale = await recordedSale();
    await refused(a, refund(sale, { tender: 'cash' }), /more than the 0 sale .* took in cash/);
  });

  it('refunds lines at what they cost under the store’s rules, never more of a line than was sold', async () => {
    const sale = await recordedSale();
    const chips = [{ lineId: 'l1', quantity: 1 }];
    await refused(a, refund(sale, { amount: usd(349), lines: chips }), /they cost 378/); // 349 + 8.25 %
    expect(
      await a.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(378), lines: chips })),
    ).toMatchObject({ status: 'applied' });
    await refused(
      a,
      refund(sale, { amount: usd(378), lines: [{ lineId: 'l1', quantity: 2 }] }),
      /3 refunded of 2 sold/,
    );
    await refused(
      a,
      refund(sale, { amount: usd(1), lines: [{ lineId: 'l9', quantity: 1 }] }),
      /has no line l9/,
    );
  });

  it('refuses zero, negative, another currency, a date ahead of the clock, and the same refund twice', async () => {
    const sale = await recordedSale();
    await refused(a, refund(sale, { amount: usd(0) }), /positive amount/);
    await refused(a, refund(sale, { amount: usd(-100) }), /positive amount/);
    await refused(a, refund(sale, { amount: { amount: 100, currency: 'EUR' } }), /refund in EUR/);
    const late = new Date(Date.now() + MAX_CLOCK_SKEW_MS + 60_000).toISOString();
    await refused(a, refund(sale, { refundedAt: late }), /later than the cloud's clock allows/);
    const once = refund(sale);
    expect(await a.pushOne(cloud, 'sale.refunded', once)).toMatchObject({ status: 'applied' });
    await refused(b, once, /already recorded/);
  });

  it('any lane of the store may refund a sale; a lane of another store cannot see it', async () => {
    const sale = await recordedSale();
    expect(await b.pushOne(cloud, 'sale.refunded', refund(sale))).toMatchObject({
      status: 'applied',
    });
    const other = await ledger(cloud.db, 'refund-other');
    expect(
      await stranger.pushOne(cloud, 'sale.refunded', refund(sale, { approvedBy: 'boss' })),
    ).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/is unknown/),
    });
    expect(await ledger(cloud.db, 'refund-other')).toEqual(other);
  });

  it('two lanes refunding one sale at once: the sale row lock lets only what is left through', async () => {
    const sale = await recordedSale();
    const [x, y] = await Promise.all([
      a.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(600) })),
      b.pushOne(cloud, 'sale.refunded', refund(sale, { amount: usd(600) })),
    ]);
    expect([x.status, y.status].sort()).toEqual(['applied', 'rejected']);
    const sum = await cloud.db.query<{ n: number }>(
      'SELECT sum(amount)::int AS n FROM sale_refunds WHERE sale_id = $1',
      [sale.id],
    );
    expect(sum.rows[0]?.n).toBe(600);
  });
});

describe('voids beside refunds', () => {
  it('a void takes the sale out of the day once; a voided sale cannot be refunded', async () => {
    const sale = await recordedSale();
    const before = await ledger(cloud.db, 'refund-store');
    const voided = {
      saleId: sale.id,
      reason: 'wrong customer',
      voidedAt: new Date().toISOString(),
      approvedBy: TEST_MANAGER.id,
    };
    expect(await a.pushOne(cloud, 'sale.voided', voided)).toMatchObject({ status: 'applied' });
    const after = await ledger(cloud.db, 'refund-store');
    expect(after.voided).toBe(Number(before.voided) + 1);
    await refused(a, refund(sale), /is voided; nothing is left to refund/);
    expect(await a.pushOne(cloud, 'sale.voided', voided)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/already voided/),
    });
  });

  it('a refunded sale cannot then be voided (that would count the refund twice)', async () => {
    const sale = await recordedSale();
    await a.pushOne(cloud, 'sale.refunded', refund(sale));
    const before = await ledger(cloud.db, 'refund-store');
    expect(
      await a.pushOne(cloud, 'sale.voided', {
        saleId: sale.id,
        reason: 'x',
        voidedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
      }),
    ).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/has refunds; refund what is left/),
    });
    expect(await ledger(cloud.db, 'refund-store')).toEqual(before);
  });
});

describe('who may take money back', () => {
  it('a refund or a void with no manager, an attendant, a stranger or another store’s manager counts nowhere', async () => {
    const sale = await recordedSale();
    await refused(a, refund(sale, { approvedBy: undefined }), /needs a manager's approval/);
    for (const who of [TEST_ATTENDANT.id, 'nobody', 'boss']) {
      await refused(a, refund(sale, { approvedBy: who }), /is not an active manager of this store/);
      const before = await ledger(cloud.db, 'refund-store');
      expect(
        await a.pushOne(cloud, 'sale.voided', {
          saleId: sale.id,
          reason: 'x',
          voidedAt: new Date().toISOString(),
          approvedBy: who,
        }),
      ).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/not an active manager/),
      });
      expect(await ledger(cloud.db, 'refund-store')).toEqual(before);
    }
    const approved = await cloud.db.query<{ approved_by: string }>(
      'SELECT approved_by FROM sale_refunds WHERE sale_id = $1',
      [sale.id],
    );
    expect(approved.rows).toEqual([]);
  });

  it('the same refund sent twice by a lane pays once; the manager who approved it is kept', async () => {
    const sale = await recordedSale();
    const once = refund(sale, { amount: usd(955), processorRef: 'RF-1' });
    expect(await a.pushOne(cloud, 'sale.refunded', once)).toMatchObject({ status: 'applied' });
    await refused(a, once, /already recorded/);
    await refused(a, refund(sale, { amount: usd(1) }), /more than the 0 left/);
    const row = await cloud.db.query<{ approved_by: string; processor_ref: string }>(
      'SELECT approved_by, processor_ref FROM sale_refunds WHERE sale_id = $1',
      [sale.id],
    );
    expect(row.rows).toEqual([{ approved_by: TEST_MANAGER.id, processor_ref: 'RF-1' }]);
  });

  it('only the lane that made a sale may void it; another lane refunds it', async () => {
    const sale = await recordedSale();
    const before = await ledger(cloud.db, 'refund-store');
    expect(
      await b.pushOne(cloud, 'sale.voided', {
        saleId: sale.id,
        reason: 'x',
        voidedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
      }),
    ).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/another lane; refund/) });
    expect(await ledger(cloud.db, 'refund-store')).toEqual(before);
  });
});
