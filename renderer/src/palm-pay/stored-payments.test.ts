import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addProduct, cartTotals, emptyCart } from '../../../common/cart';
import { CAPTURE, CHIPS, US } from '../../../common/checkout/testing';
import type { PalmTender } from '../../../common/sale';
import { TerminalDatabase } from '../db/database';
import { recordPalmAudit } from '../db/palm-audit';
import { completeSale, type StoredPaymentInput } from '../db/sales';
import { laneUnsettled, shopperStoredSince, storedSummary } from './stored-payments';

let n = 0;
const opened: TerminalDatabase[] = [];
const open = () => {
  const db = new TerminalDatabase(`stored-payments-${++n}`);
  opened.push(db);
  return db;
};
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const cart = addProduct(emptyCart('USD'), CHIPS, 'l1', 2);
const total = cartTotals(cart, US.tax).total;

function palmSale(saleId: string, paymentId: string, customerRef = 'cus_17', now?: Date) {
  const tender: PalmTender = {
    kind: 'palm',
    amount: total,
    paymentId,
    customerRef,
    loyaltyId: 'LOY-17',
    card: null,
    authCode: null,
    stored: true,
  };
  const stored: StoredPaymentInput = {
    paymentId,
    method: 'palm',
    amount: total,
    palm: {
      templateId: 'demo-palm-17',
      customerRef,
      capture: { signed: CAPTURE.signed, scannerSerial: CAPTURE.scannerSerial },
      steppedUp: false,
    },
  };
  return {
    saleId,
    startedAt: '2030-01-01T10:00:00.000Z',
    cart,
    tenders: [tender],
    ageCheckedFor: 0,
    palmAgeVerifiedFor: 21,
    terminalId: 't1',
    laneCode: 'L01',
    locale: 'en-US',
    tax: US.tax,
    storedPayments: [stored],
    ...(now ? { now } : {}),
  };
}

describe('a palm payment stored offline', () => {
  it('commits with its sale in one transaction: the sale, then payment.stored with the capture', async () => {
    const db = open();
    const sale = await completeSale(db, palmSale('s1', 'lane-p1'));
    const rows = await db.outbox.orderBy('mutationId').toArray();
    expect(rows.map((r) => r.kind)).toEqual(['sale.completed', 'payment.stored']);
    expect(rows[1]!.payload).toEqual({
      paymentId: 'lane-p1',
      saleId: 's1',
      method: 'palm',
      amount: total,
      storedAt: sale.completedAt,
      palm: {
        templateId: 'demo-palm-17',
        customerRef: 'cus_17',
        capture: { signed: CAPTURE.signed, scannerSerial: CAPTURE.scannerSerial },
        steppedUp: false,
      },
    });
    const audit = await db.audit.where('kind').equals('sale.completed').first();
    expect(audit?.detail).toMatchObject({
      palmCustomerRef: 'cus_17',
      palmStored: true,
      palmAgeVerifiedFor: 21,
      loyaltyId: 'LOY-17',
    });
    // Completing it again (a double tap) writes nothing more.
    await completeSale(db, palmSale('s1', 'lane-p1'));
    expect(await db.outbox.count()).toBe(2);
  });

  it('a stored payment that is not a tender of the sale is refused, and nothing is written', async () => {
    const db = open();
    const input = palmSale('s1', 'lane-p1');
    const wrong = {
      ...input,
      storedPayments: [{ ...input.storedPayments[0]!, paymentId: 'other' }],
    };
    await expect(completeSale(db, wrong)).rejects.toThrow('not a tender');
    expect(await db.sales.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('counts what the lane holds unsettled, and each shopper’s last 24 hours', async () => {
    const db = open();
    const now = Date.parse('2030-01-02T12:00:00.000Z');
    await completeSale(db, palmSale('s1', 'p1', 'cus_17', new Date(now - 25 * 3_600_000)));
    await completeSale(db, palmSale('s2', 'p2', 'cus_17', new Date(now - 3_600_000)));
    await completeSale(db, palmSale('s3', 'p3', 'cus_99', new Date(now - 60_000)));
    expect(await laneUnsettled(db)).toBe(3 * total.amount);
    expect(await shopperStoredSince(db, 'cus_17', now)).toBe(total.amount);
    expect(await shopperStoredSince(db, 'cus_99', now)).toBe(total.amount);
    // Synced ones are settled: no longer held.
    await db.outbox.where('mutationId').equals(2).modify({ status: 'synced' });
    expect(await laneUnsettled(db)).toBe(2 * total.amount);
    const summary = await storedSummary(db, now, 24);
    expect(summary).toMatchObject({ waiting: 2, expired: 0 });
    expect((await storedSummary(db, now + 23.5 * 3_600_000, 24)).expired).toBe(1);
  });

  it('palm decisions are audited on the lane and queued for the store together', async () => {
    const db = open();
    await recordPalmAudit(db, [
      { kind: 'palm.no-match', detail: { saleId: 's1', failures: 1 } },
      { kind: 'palm.paused', detail: { saleId: 's1', failures: 5, pauses: 1 } },
    ]);
    expect((await db.audit.toArray()).map((a) => a.kind)).toEqual(['palm.no-match', 'palm.paused']);
    const rows = await db.outbox.toArray();
    expect(rows.map((r) => r.kind === 'audit.event' && r.payload.kind)).toEqual([
      'palm.no-match',
      'palm.paused',
    ]);
  });
});
