import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addProduct, emptyCart, voidLine } from '../../../common/cart';
import { demoCatalog } from '../../../common/demo-catalog';
import { money } from '../../../common/money';
import type { Tender } from '../../../common/sale';
import { storeProfile } from '../../../common/store-profile';
import { productByBarcode, searchProducts, seedCatalog } from './catalog';
import { TerminalDatabase } from './database';
import { SCHEMA_V1 } from './schema';
import { completeSale, loadDraft, recordCardDecline, saveDraft } from './sales';
import { rememberStoreClockOffset, storeClockOffset } from './store-clock';

const us = storeProfile('us');
let n = 0;
const names: string[] = [];
const fresh = () => {
  const name = `test-db-${++n}`;
  names.push(name);
  return name;
};
const opened: Dexie[] = [];
const open = (name: string): TerminalDatabase => {
  const db = new TerminalDatabase(name);
  opened.push(db);
  return db;
};
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const [chips, beer] = [
  demoCatalog(us).find((p) => p.name === 'Potato Chips 8 oz')!,
  demoCatalog(us).find((p) => p.minimumAge > 0)!,
];

function saleInput(db: TerminalDatabase, saleId: string, tenders?: Tender[]) {
  const cart = addProduct(emptyCart('USD'), chips, 'l1', 2);
  const total = 2 * chips.price + Math.round((2 * chips.price * 825) / 10000);
  return {
    db,
    input: {
      saleId,
      startedAt: new Date().toISOString(),
      cart,
      tenders: tenders ?? [
        {
          kind: 'cash' as const,
          amount: money(total, 'USD'),
          given: money(2000, 'USD'),
          change: money(2000 - total, 'USD'),
        },
      ],
      ageCheckedFor: 0,
      terminalId: 't1',
      laneCode: 'L01',
      locale: 'en-US',
      tax: us.tax,
    },
  };
}

describe('terminal database', () => {
  it('uses strict durability for every transaction', () => {
    const db = open(fresh());
    expect(
      (db as unknown as { _options: { chromeTransactionDurability: string } })._options
        .chromeTransactionDurability,
    ).toBe('strict');
  });

  it('migrates a v1 database: catalog gains search words, drafts and the till’s tables appear, data is kept', async () => {
    const name = fresh();
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table('catalog').bulkAdd(demoCatalog(us).slice(0, 5));
    await v1
      .table('sales')
      .add({ id: 's-old', completedAt: '2026-01-01T00:00:00Z', receiptNo: 'L01-000001' });
    v1.close();

    const db = open(name);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.shifts.count()).toBe(0); // v3: the till and post-sale corrections
    expect(await db.refunds.count()).toBe(0);
    const first = await db.catalog.orderBy('id').first();
    expect(first?.words).toEqual(['bananas', '1', 'lb']);
    expect(await db.sales.get('s-old')).toMatchObject({ receiptNo: 'L01-000001' });
    expect((await searchProducts(db, 'apple')).map((p) => p.name)).toEqual(['Gala Apples 3 lb']);
    await saveDraft(db, {
      saleId: 'x',
      startedAt: 'now',
      cart: emptyCart('USD'),
      ageCheckedFor: 0,
    });
    expect((await loadDraft(db))?.saleId).toBe('x');
    db.close();
  });

  it('seeds the demo catalog once per store profile and finds products', async () => {
    const db = open(fresh());
    expect(await seedCatalog(db, us)).toBe(true);
    expect(await seedCatalog(db, us)).toBe(false);
    expect(await db.catalog.count()).toBe(demoCatalog(us).length);
    expect((await productByBarcode(db, chips.barcode)).name).toBe(chips.name);
    await expect(productByBarcode(db, '4006381333931')).rejects.toThrow(/No product with barcode/);
    await expect(productByBarcode(db, '123')).rejects.toThrow(/not a barcode/);
    expect((await searchProducts(db, 'choc bar')).map((p) => p.name)).toEqual([
      'Dark Chocolate Bar',
      'Milk Chocolate Bar',
    ]);
    // Switching to the Korean store re-prices in won.
    await seedCatalog(db, storeProfile('kr'));
    expect((await productByBarcode(db, chips.barcode)).price % 100).toBe(0);
  });

  it('writes the sale, its outbox mutation and audit entry together, numbered in order', async () => {
    const db = open(fresh());
    const a = saleInput(db, 'sale-a');
    await saveDraft(db, { saleId: 'sale-a', startedAt: 'x', cart: a.input.cart, ageCheckedFor: 0 });
    const saleA = await completeSale(db, a.input);
    const saleB = await completeSale(db, saleInput(db, 'sale-b').input);
    expect([saleA.receiptNo, saleB.receiptNo]).toEqual(['L01-000001', 'L01-000002']);
    const outbox = await db.outbox.toArray();
    expect(
      outbox.map((o) => [o.mutationId, 'id' in o.payload ? o.payload.id : null, o.status]),
    ).toEqual([
      [1, 'sale-a', 'pending'],
      [2, 'sale-b', 'pending'],
    ]);
    expect(await db.audit.where('kind').equals('sale.completed').count()).toBe(2);
    expect(await loadDraft(db)).toBeUndefined(); // the finished sale's draft is gone
  });

  it('completing the same sale twice writes it once', async () => {
    const db = open(fresh());
    const { input } = saleInput(db, 'sale-dup');
    const [x, y] = await Promise.all([completeSale(db, input), completeSale(db, input)]);
    expect(x.receiptNo).toBe(y.receiptNo);
    expect(await db.sales.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('bad input writes nothing: empty cart, short cash, tenders that do not add up', async () => {
    const db = open(fresh());
    const { input } = saleInput(db, 'sale-bad');
    await expect(completeSale(db, { ...input, cart: voidLine(input.cart, 'l1') })).rejects.toThrow(
      /no items/,
    );
    const short = { ...input.tenders[0]!, given: money(1, 'USD') } as Tender;
    await expect(completeSale(db, { ...input, tenders: [short] })).rejects.toThrow(
      /less than the amount due/,
    );
    const wrong = {
      ...input.tenders[0]!,
      amount: money(1, 'USD'),
      change: money(1999, 'USD'),
    } as Tender;
    await expect(completeSale(db, { ...input, tenders: [wrong] })).rejects.toThrow(
      /tenders add up to 1, the total is/,
    );
    const miscounted = { ...input.tenders[0]!, change: money(0, 'USD') } as Tender;
    await expect(completeSale(db, { ...input, tenders: [miscounted] })).rejects.toThrow(
      /change is 0; given 2000/,
    );
    const card: Tender = {
      kind: 'card',
      amount: money(input.tenders[0]!.amount.amount, 'EUR'),
      paymentId: 'pay-eur',
      authCode: 'A1',
      brand: 'visa',
      last4: '4242',
    };
    await expect(completeSale(db, { ...input, tenders: [card] })).rejects.toThrow(
      /tender 1 is in EUR; the store sells in USD/,
    );
    expect(await db.sales.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
  });

  it('a sale whose clock stepped back since its first scan still completes, started when it completed', async () => {
    const db = open(fresh());
    const { input } = saleInput(db, 'sale-clock');
    const now = new Date('2026-03-01T12:00:00.000Z');
    const sale = await completeSale(db, {
      ...input,
      startedAt: '2026-03-01T12:00:05.000Z',
      now,
    });
    expect(sale.startedAt).toBe(now.toISOString());
  });

  it('a failure inside the transaction rolls back the sale, the outbox and the counters', async () => {
    const db = open(fresh());
    await db.open();
    // Make the audit write fail after the sale and outbox rows were added.
    db.audit.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(completeSale(db, saleInput(db, 'sale-x').input)).rejects.toThrow(/disk full/);
    expect(await db.sales.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.settings.get('counters')).toBeUndefined();
  });

  it('keeps the age check and card payment in the draft', async () => {
    const db = open(fresh());
    const cart = addProduct(emptyCart('USD'), beer, 'l1');
    await saveDraft(db, {
      saleId: 's',
      startedAt: 't',
      cart,
      ageCheckedFor: 21,
      pendingCardPaymentId: 'pay12345',
    });
    expect(await loadDraft(db)).toMatchObject({
      ageCheckedFor: 21,
      pendingCardPaymentId: 'pay12345',
      cart: { lines: [{ name: beer.name }] },
    });
  });
});

describe('audit events in the outbox', () => {
  it('a declined card is audited and queued for the store, numbered between sales', async () => {
    const db = open(fresh());
    await completeSale(db, saleInput(db, 'sale-1').input);
    await recordCardDecline(db, {
      saleId: 'sale-2',
      paymentId: 'pay-1',
      reason: 'insufficient_funds',
      amount: 500,
      currency: 'USD',
    });
    await completeSale(db, saleInput(db, 'sale-2').input);
    const outbox = await db.outbox.orderBy('mutationId').toArray();
    expect(outbox.map((o) => [o.mutationId, o.kind])).toEqual([
      [1, 'sale.completed'],
      [2, 'audit.event'],
      [3, 'sale.completed'],
    ]);
    expect(outbox[1]?.payload).toMatchObject({
      kind: 'card.declined',
      detail: { reason: 'insufficient_funds', amount: 500 },
    });
    expect(await db.audit.where('kind').equals('card.declined').count()).toBe(1);
    expect(await db.sales.count()).toBe(2);
  });
});

describe('the store clock', () => {
  it('stamps a sale with the store’s time the sync engine learned, not the lane’s own clock', async () => {
    const db = open(fresh());
    const { input } = saleInput(db, 'sale-clock');
    // The cloud is 20 minutes behind this lane: an unadjusted sale would be in its future.
    await rememberStoreClockOffset(db, -20 * 60_000);
    const sale = await completeSale(db, input);
    const drift = Date.parse(sale.completedAt) - (Date.now() - 20 * 60_000);
    expect(Math.abs(drift)).toBeLessThan(5_000);
    // A started time after the (store-clock) completion is clamped, never refused.
    expect(Date.parse(sale.startedAt)).toBeLessThanOrEqual(Date.parse(sale.completedAt));
    // Jitter below a second is not written again.
    await rememberStoreClockOffset(db, -20 * 60_000 + 300);
    expect(await storeClockOffset(db)).toBe(-20 * 60_000);
  });
});
