import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tender } from '../common/sale';
import type { ZReport } from '../common/shift/z-report';
import {
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  ledger,
  startTestCloud,
  testSale,
  testStore,
  type TestCloud,
} from './testing';

/**
 * A till's shift as the cloud records it: opened with a float, pay-ins and pay-outs, closed with
 * a drawer counted by denomination. The Z report is the cloud's own, from the sales, voids and
 * refunds it recorded; the lane sends only facts. From the attacker's side: a lane that closes
 * without a manager, counts coins the currency lacks, pays out alone, touches another lane's
 * till or voids a sale after its till closed.
 */
let cloud: TestCloud;
let lane: TestTerminal;
let other: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'till-store', 'us', { staff: true });
  lane = new TestTerminal('lane-till');
  other = new TestTerminal('lane-till-other');
  await lane.provision(cloud, 'till-store');
  await other.provision(cloud, 'till-store');
}, 60_000);
afterAll(async () => cloud?.close());

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const id = (p: string) => `${p}-${randomBytes(4).toString('hex')}`;
const applied = { status: 'applied' };
const rejected = (reason: RegExp) => ({
  status: 'rejected',
  reason: expect.stringMatching(reason),
});

async function openShift(
  t: TestTerminal,
  float = 10_000,
  openedAt = ago(10 * 60_000),
): Promise<string> {
  const shiftId = id('shift');
  expect(
    await t.pushOne(cloud, 'shift.opened', {
      shiftId,
      float: usd(float),
      openedAt,
      openedBy: TEST_ATTENDANT.id,
    }),
  ).toMatchObject(applied);
  return shiftId;
}

async function sell(t: TestTerminal, amount: number, tenders?: Tender[]) {
  const sale = { ...testSale(t.deviceId, amount), ...(tenders ? { tenders } : {}) };
  expect(await t.pushOne(cloud, 'sale.completed', sale)).toMatchObject(applied);
  return sale;
}

const close = (shiftId: string, over: Record<string, unknown> = {}) => ({
  shiftId,
  closedAt: new Date().toISOString(),
  counted: [
    { value: 10000, count: 1 },
    { value: 1000, count: 1 },
    { value: 100, count: 1 },
    { value: 25, count: 3 },
    { value: 5, count: 1 },
    { value: 1, count: 4 },
  ],
  approvedBy: TEST_MANAGER.id,
  ...over,
});

async function report(shiftId: string) {
  const r = await cloud.db.query<{ report: ZReport; counted_total: number; closed_by: string }>(
    'SELECT report, counted_total, closed_by FROM shifts WHERE shift_id = $1',
    [shiftId],
  );
  return r.rows[0];
}

describe('a till from open to close', () => {
  it('derives the Z report from what it recorded: a drawer 0.50 short', async () => {
    const shiftId = await openShift(lane);
    await sell(lane, 1234); // cash
    await sell(lane, 500, [
      {
        kind: 'card',
        amount: usd(500),
        paymentId: id('p'),
        authCode: 'A1',
        brand: 'Visa',
        last4: '4242',
      },
    ]);
    const voided = await sell(lane, 700);
    expect(
      await lane.pushOne(cloud, 'sale.voided', {
        saleId: voided.id,
        reason: 'rang up twice',
        voidedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
      }),
    ).toMatchObject(applied);
    const refundedSale = await sell(lane, 300);
    expect(
      await lane.pushOne(cloud, 'sale.refunded', {
        refundId: id('r'),
        saleId: refundedSale.id,
        amount: usd(300),
        tender: 'cash',
        reason: 'returned',
        refundedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
      }),
    ).toMatchObject(applied);
    for (const [kind, amount] of [
      ['pay-in', 2000],
      ['pay-out', 2000],
    ] as const) {
      expect(
        await lane.pushOne(cloud, 'shift.cash', {
          entryId: id('c'),
          shiftId,
          kind,
          amount: usd(amount),
          reason: kind === 'pay-in' ? 'change from the bank' : 'window cleaner',
          at: new Date().toISOString(),
          approvedBy: TEST_MANAGER.id,
        }),
      ).toMatchObject(applied);
    }
    // Another lane's sale in the same minutes is not this till's.
    await sell(other, 999);
    expect(await lane.pushOne(cloud, 'shift.closed', close(shiftId))).toMatchObject(applied);
    const row = await report(shiftId);
    expect(row?.closed_by).toBe(TEST_MANAGER.id);
    expect(row?.counted_total).toBe(11_184);
    expect(row?.report).toMatchObject({
      salesCount: 3,
      gross: 1234 + 500 + 300,
      voidsCount: 1,
      voided: 700,
      refundsCount: 1,
      refunded: 300,
      net: 1234 + 500,
      float: 10_000,
      payIns: 2000,
      payOuts: 2000,
      // float + cash sales (1234 + 300) − the cash refund (300)
      expectedCash: 11_234,
      countedCash: 11_184,
      overShort: -50,
    });
    expect(row?.report.tenders.card).toEqual({ sales: 500, refunds: 0, net: 500 });
    // The till is closed: nothing more goes into it, and its sales can only be refunded now.
    await expect(lane.pushOne(cloud, 'shift.closed', close(shiftId))).resolves.toMatchObject(
      rejected(/already closed/),
    );
    const kept = await sell(lane, 100);
    const later = await lane.pushOne(cloud, 'sale.voided', {
      saleId: kept.id,
      reason: 'x',
      voidedAt: new Date().toISOString(),
      approvedBy: TEST_MANAGER.id,
    });
    expect(later).toMatchObject(applied); // sold after the close: in no closed shift
    const before = await ledger(cloud.db, 'till-store');
    const inClosed = await lane.pushOne(cloud, 'sale.voided', {
      saleId: refundedSale.id,
      reason: 'x',
      voidedAt: new Date().toISOString(),
      approvedBy: TEST_MANAGER.id,
    });
    expect(inClosed).toMatchObject(rejected(/has refunds|is closed/));
    const cashSale = (
      await cloud.db.query<{ id: string }>(
        `SELECT id FROM sales WHERE terminal_id = $1 AND total = 1234 AND voided_at IS NULL LIMIT 1`,
        [lane.terminalId],
      )
    ).rows[0]!;
    expect(
      await lane.pushOne(cloud, 'sale.voided', {
        saleId: cashSale.id,
        reason: 'x',
        voidedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
      }),
    ).toMatchObject(rejected(/which is closed; refund it instead/));
    expect(await ledger(cloud.db, 'till-store')).toEqual(before);
  });
});

describe('what a lane cannot do with a till', () => {
  it('close without a manager, count a coin the currency lacks, pay out alone, open twice', async () => {
    // Shifts never overlap: one opened back in the last one's time is refused.
    await expect(
      lane.pushOne(cloud, 'shift.opened', {
        shiftId: id('shift'),
        float: usd(0),
        openedAt: ago(5 * 60_000),
      }),
    ).resolves.toMatchObject(rejected(/before shift .* closed/));
    const shiftId = await openShift(lane, 5000, new Date().toISOString());
    await expect(
      lane.pushOne(cloud, 'shift.opened', {
        shiftId: id('shift'),
        float: usd(0),
        openedAt: new Date().toISOString(),
      }),
    ).resolves.toMatchObject(rejected(/still open on this lane/));
    await expect(
      lane.pushOne(cloud, 'shift.cash', {
        entryId: id('c'),
        shiftId,
        kind: 'pay-out',
        amount: usd(5000),
        reason: 'me',
        at: new Date().toISOString(),
        approvedBy: TEST_ATTENDANT.id,
      }),
    ).resolves.toMatchObject(rejected(/not an active manager/));
    await expect(
      lane.pushOne(cloud, 'shift.closed', close(shiftId, { approvedBy: undefined })),
    ).resolves.toMatchObject(rejected(/needs a manager's approval/));
    await expect(
      lane.pushOne(cloud, 'shift.closed', close(shiftId, { counted: [{ value: 3, count: 1 }] })),
    ).resolves.toMatchObject(rejected(/USD has no 3 note or coin/));
    await expect(
      lane.pushOne(cloud, 'shift.opened', {
        shiftId: id('shift'),
        float: { amount: 100, currency: 'EUR' },
        openedAt: new Date().toISOString(),
      }),
    ).resolves.toMatchObject(rejected(/float in EUR/));
    // Another lane of the same store cannot touch this till.
    await expect(other.pushOne(cloud, 'shift.closed', close(shiftId))).resolves.toMatchObject(
      rejected(/unknown on this lane/),
    );
    const open = await cloud.db.query(
      'SELECT 1 FROM shifts WHERE shift_id = $1 AND closed_at IS NULL',
      [shiftId],
    );
    expect(open.rows).toHaveLength(1);
    expect(await lane.pushOne(cloud, 'shift.closed', close(shiftId))).toMatchObject(applied);
    expect((await report(shiftId))?.report.overShort).toBe(11_184 - 5000);
  });
});
