import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { openDatabase } from '../../cloud/db/open';
import { dropSchema } from '../../cloud/db/postgres';
import type { Database } from '../../cloud/db/types';
import { addProduct, emptyCart } from '../../common/cart';
import type { Product } from '../../common/catalog';
import { storeProfile } from '../../common/store-profile';
import type { Tender } from '../../common/sale';
import { cartTotals } from '../../common/cart';
import { TerminalDatabase } from '../../renderer/src/db/database';
import { completeSale } from '../../renderer/src/db/sales';

/** A lane's database in fake-indexeddb; a new instance on the same name is a page reload. */
export function openLaneDb(name: string): TerminalDatabase {
  return new TerminalDatabase(name, { indexedDB, IDBKeyRange });
}

const US = storeProfile('us');

export const TEST_PRODUCTS: Product[] = [
  {
    id: 'p-juice',
    barcode: '4006381333931',
    name: 'Apple Juice',
    price: 199,
    taxClass: 'reduced',
    minimumAge: 0,
    category: 'Drinks',
  },
  {
    id: 'p-chips',
    barcode: '96385074',
    name: 'Potato Chips',
    price: 349,
    taxClass: 'standard',
    minimumAge: 0,
    category: 'Snacks',
  },
  {
    id: 'p-soap',
    barcode: '5901234123457',
    name: 'Bar Soap',
    price: 575,
    taxClass: 'standard',
    minimumAge: 0,
    category: 'Care',
  },
];

/** Rings up and completes one sale through the lead's completeSale (sale + outbox in one transaction). */
export async function ringSale(
  db: TerminalDatabase,
  deviceId: string,
  n: number,
  rand: () => number,
): Promise<{ id: string; total: number }> {
  let cart = emptyCart(US.currency);
  const lines = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < lines; i++) {
    const product = TEST_PRODUCTS[Math.floor(rand() * TEST_PRODUCTS.length)]!;
    cart = addProduct(cart, product, `line-${n}-${i}`, 1 + Math.floor(rand() * 3));
  }
  const total = cartTotals(cart, US.tax).total;
  const card = rand() < 0.5;
  const tenders: Tender[] = card
    ? [
        {
          kind: 'card',
          amount: total,
          paymentId: `pay-${deviceId}-${n}`,
          authCode: 'A1B2C3',
          brand: 'visa',
          last4: '4242',
        },
      ]
    : [
        {
          kind: 'cash',
          amount: total,
          given: total,
          change: { amount: 0, currency: total.currency },
        },
      ];
  const sale = await completeSale(db, {
    saleId: `${deviceId}-sale-${n}`,
    startedAt: new Date().toISOString(),
    cart,
    tenders,
    ageCheckedFor: 0,
    terminalId: deviceId,
    laneCode: 'L01',
    locale: US.locale,
    tax: US.tax,
  });
  return { id: sale.id, total: sale.totals.total.amount };
}

/**
 * The cloud database for a test process: PGlite in memory, or a throwaway schema in the
 * PostgreSQL named by DATABASE_URL (so .ci can run the suite on both).
 */
export async function openTestCloudDb(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({});
  const schema = `sync_${Math.random().toString(36).slice(2, 10)}`;
  const db = await openDatabase({ databaseUrl: url, schema });
  return {
    ...db,
    async close() {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}
