import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addProduct, emptyCart } from '../../../common/cart';
import { demoCatalog } from '../../../common/demo-catalog';
import { money } from '../../../common/money';
import type { Tender } from '../../../common/sale';
import type { StaffRef } from '../../../common/staff';
import { storeProfile } from '../../../common/store-profile';
import { TerminalDatabase } from './database';
import { recordRefund, recordVoid, refundTender, whyNotVoidable } from './post-sale';
import { completeSale } from './sales';
import { addCashEntry, closeShift, currentShift, openShift } from './shift';

const us = storeProfile('us');
const usd = (n: number) => money(n, 'USD');
const manager: StaffRef = { id: 'm1', name: 'Morgan Lee', role: 'manager' };
const attendant: StaffRef = { id: 'a1', name: 'Alex Kim', role: 'attendant' };
const chips = demoCatalog(us).find((p) => p.name === 'Potato Chips 8 oz')!;
let n = 0;
const dbs: TerminalDatabase[] = [];
const fresh = () => {
  const db = new TerminalDatabase(`shift-db-${++n}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function sell(db: TerminalDatabase, id: string, tenders: (total: number) => Tender[]) {
  const cart = addProduct(emptyCart('USD'), chips, 'l1', 2);
  const total = 2 * chips.price + Math.round((2 * chips.price * 825) / 10000);
  return completeSale(db, {
    saleId: id,
    startedAt: new Date().toISOString(),
    cart,
    tenders: tenders(total),
    ageCheckedFor: 0,
    terminalId: 'dev-1',
    laneCode: 'L01',
    locale: 'en-US',
    tax: us.tax,
  });
}
const cash = (t: number): Tender[] => [
  { kind: 'cash', amount: usd(t), given: usd(t), change: usd(0) },
];
const card = (t: number): Tender[] => [
  { kind: 'card', amount: usd(t), paymentId: 'pay-1', authCode: 'A', brand: 'Visa', last4: '4242' },
];
const kinds = async (db: TerminalDatabase) => (await db.outbox.toArray()).map((o) => o.kind);

describe('the lane’s till', () => {
  it('opens, takes cash in and out, and closes with a Z report that counts voids and refunds', async () => {
    const db = fresh();
    await openShift(db, { float: usd(10_000), by: attendant });
    await expect(openShift(db, { float: usd(0), by: null })).rejects.toThrow(/already open/);
    const a = await sell(db, 's-a', cash);
    const b = await sell(db, 's-b', card);
    const c = await sell(db, 's-c', cash);
    await recordVoid(db, { sale: c, reason: 'twice', by: manager, processorRef: null });
    await recordRefund(db, {
      refundId: 'r-1',
      sale: a,
      amount: usd(300),
      tender: 'cash',
      reason: 'dented',
      by: manager,
      processorRef: null,
      tax: us.tax,
    });
    await addCashEntry(db, { kind: 'pay-in', amount: usd(2000), reason: 'coins', by: attendant });
    await expect(
      addCashEntry(db, { kind: 'pay-out', amount: usd(500), reason: 'x', by: attendant }),
    ).rejects.toThrow(/needs a manager/);
    await addCashEntry(db, { kind: 'pay-out', amount: usd(500), reason: 'milk', by: manager });
    const closed = await closeShift(db, {
      counted: [
        { value: 10000, count: 1 },
        { value: 2000, count: 1 },
      ],
      by: manager,
    });
    const t = a.totals.total.amount;
    expect(closed.report).toMatchObject({
      salesCount: 2,
      gross: 2 * t,
      voidsCount: 1,
      voided: t,
      refunded: 300,
      expectedCash: 10_000 + t - 300 + 2000 - 500,
      countedCash: 12_000,
      overShort: 12_000 - (10_000 + t - 300 + 2000 - 500),
    });
    expect(closed.report?.tenders.card.sales).toBe(b.totals.total.amount);
    expect(await currentShift(db)).toBeNull();
    expect(await kinds(db)).toEqual([
      'shift.opened',
      'sale.completed',
      'sale.completed',
      'sale.completed',
      'sale.voided',
      'sale.refunded',
      'shift.cash',
      'shift.cash',
      'shift.closed',
    ]);
    // After the close the batch is shut: the rest can only be refunded.
    expect(await whyNotVoidable(db, b)).toBe('batch-closed');
  });

  it('refuses a close without a manager and a coin the currency lacks, writing nothing', async () => {
    const db = fresh();
    await openShift(db, { float: usd(0), by: null });
    const before = await db.outbox.count();
    await expect(closeShift(db, { counted: [], by: attendant })).rejects.toThrow(/needs a manager/);
    await expect(
      closeShift(db, { counted: [{ value: 3, count: 1 }], by: manager }),
    ).rejects.toThrow(/no 3 note or coin/);
    expect(await db.outbox.count()).toBe(before);
    expect(await currentShift(db)).not.toBeNull();
  });
});

describe('post-sale corrections on the lane', () => {
  it('a void needs the sale in the open till, a manager, and no refund; a refund never exceeds what is left', async () => {
    const db = fresh();
    const before = await sell(db, 's-0', cash); // sold with the till closed
    expect(await whyNotVoidable(db, before)).toBe('batch-closed');
    await openShift(db, { float: usd(0), by: null });
    const sale = await sell(db, 's-1', card);
    expect(await whyNotVoidable(db, sale)).toBeNull();
    await expect(
      recordVoid(db, { sale, reason: 'x', by: attendant, processorRef: null }),
    ).rejects.toThrow(/needs a manager/);
    const refund = (refundId: string, amount: number, tender: 'cash' | 'card') =>
      recordRefund(db, {
        refundId,
        sale,
        amount: usd(amount),
        tender,
        reason: 'r',
        by: manager,
        processorRef: 'RF1',
        tax: us.tax,
      });
    await expect(refund('r-cash', 100, 'cash')).rejects.toThrow(/took in cash/);
    await refund('r-1', 100, 'card');
    await refund('r-1', 100, 'card'); // a double tap writes once
    expect(await db.refunds.count()).toBe(1);
    await expect(refund('r-2', sale.totals.total.amount, 'card')).rejects.toThrow(/left of sale/);
    expect(await whyNotVoidable(db, sale)).toBe('refunded');
  });

  it('sends a refund back to the card first, to cash only for what cash paid', () => {
    const split = {
      tenders: [
        { kind: 'cash', amount: usd(500), given: usd(500), change: usd(0) },
        {
          kind: 'card',
          amount: usd(700),
          paymentId: 'p',
          authCode: 'A',
          brand: 'Visa',
          last4: '1',
        },
      ],
    } as unknown as Parameters<typeof refundTender>[0];
    expect(refundTender(split, 600, [])?.kind).toBe('card');
    expect(refundTender(split, 500, [{ tender: 'card', amount: usd(600) }])?.kind).toBe('cash');
    expect(refundTender(split, 800, [])).toBeNull();
  });

  it('a palm payment is refunded to the palm tender, a wallet one never as cash', () => {
    const sale = (tenders: unknown[]) =>
      ({ tenders }) as unknown as Parameters<typeof refundTender>[0];
    const palm = { kind: 'palm', amount: usd(900), paymentId: 'pp', stored: false };
    const wallet = { kind: 'wallet', amount: usd(900), paymentId: 'wp' };
    const cash = { kind: 'cash', amount: usd(300), given: usd(300), change: usd(0) };
    expect(refundTender(sale([cash, palm]), 500, [])?.kind).toBe('palm');
    expect(
      refundTender(sale([cash, palm]), 200, [{ tender: 'palm', amount: usd(800) }])?.kind,
    ).toBe('cash');
    expect(refundTender(sale([wallet]), 100, [])).toBeNull();
    expect(refundTender(sale([cash, wallet]), 400, [])).toBeNull();
  });
});
