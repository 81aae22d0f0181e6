import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { demoShoppersEnrol, startEmbeddedCloud, type EmbeddedCloudOptions } from './embedded';
import { demoTemplateId } from './demo-shoppers';
import type { Database } from './db/types';
import { LocalKeyVault, type KeyVault } from './payments/key-vault';
import { ShopperStore } from './payments/shoppers';

/** Each cloud here in its own schema under PostgreSQL: they count the demo store's shoppers. */
const schemas: string[] = [];
const isolated = (o: EmbeddedCloudOptions) => {
  const schema = `seed_${randomBytes(6).toString('hex')}`;
  if (process.env.DATABASE_URL) schemas.push(schema);
  return startEmbeddedCloud({ ...o, schema });
};
afterAll(async () => {
  const { dropSchema } = await import('./db/postgres');
  for (const s of schemas) await dropSchema(process.env.DATABASE_URL!, s);
});

const count = async (db: Database, storeId: string) =>
  Number(
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM shoppers WHERE store_id = $1', [
        storeId,
      ])
    ).rows[0]!.n,
  );

describe('DEMO_SHOPPERS_ENROL', () => {
  it('reads first-payment (the default) and at-start, and refuses anything else', () => {
    expect(demoShoppersEnrol(undefined)).toBe('first-payment');
    expect(demoShoppersEnrol(' ')).toBe('first-payment');
    expect(demoShoppersEnrol('at-start')).toBe('at-start');
    expect(() => demoShoppersEnrol('upfront')).toThrow(
      'DEMO_SHOPPERS_ENROL must be first-payment or at-start (got “upfront”)',
    );
  });
});

describe('demo shoppers enrolled at start', () => {
  it('enrols every demo shopper in the background and says so; the gallery counts them', async () => {
    const lines: string[] = [];
    const cloud = await isolated({
      demoShoppers: 1100, // three batches of 500, the last one short
      demoShoppersEnrol: 'at-start',
      logger: false,
      log: (l) => lines.push(l),
    });
    try {
      expect(await cloud.demoSeeded).toBe(1100);
      expect(await count(cloud.db, cloud.demoStoreId)).toBe(1100);
      const g = await cloud.db.query<{ n: number }>(
        'SELECT templates::int AS n FROM store_galleries WHERE store_id = $1',
        [cloud.demoStoreId],
      );
      expect(g.rows[0]!.n).toBe(1100);
      expect(lines).toContainEqual(
        expect.stringMatching(/^demo shoppers enrolled at start: 1100 new in \d+ ms$/),
      );
    } finally {
      await cloud.close();
    }
  });

  it('closes while it is still enrolling: it stops after the batch in flight, with no error', async () => {
    const lines: string[] = [];
    const cloud = await isolated({
      demoShoppers: 20_000,
      demoShoppersEnrol: 'at-start',
      logger: false,
      log: (l) => lines.push(l),
    });
    await cloud.close();
    expect(await cloud.demoSeeded).toBeLessThan(20_000);
    expect(lines.filter((l) => l.startsWith('demo shoppers'))).toEqual([]);
  });
});

describe('ShopperStore.seedDemo', () => {
  it('skips the batches already enrolled, never re-enrols a deleted shopper, and stops when asked', async () => {
    // By default the cloud leaves the demo shoppers to their first payment.
    const cloud = await isolated({ demoShoppers: 50, logger: false });
    try {
      const { db, demoStoreId: storeId } = cloud;
      expect(await cloud.demoSeeded).toBe(0);
      expect(await count(db, storeId)).toBe(0);

      const vault = new LocalKeyVault(new Uint8Array(32).fill(3));
      let sealed = 0;
      const counting: KeyVault = {
        wrap: (key, context) => {
          sealed++;
          return vault.wrap(key, context);
        },
        unwrap: (key, context) => vault.unwrap(key, context),
      };
      const store = new ShopperStore(counting, { storeId, count: 120 });
      expect(await store.seedDemo(db, 50)).toBe(120);
      expect(sealed).toBe(120);

      // A restart: every batch is counted, none derived or sealed again.
      expect(await store.seedDemo(db, 50)).toBe(0);
      expect(sealed).toBe(120);

      // One shopper deleted (their tombstone kept): their batch is redone, they stay deleted.
      await db.query('DELETE FROM shoppers WHERE store_id = $1 AND template_id = $2', [
        storeId,
        demoTemplateId(60),
      ]);
      await db.query(
        `INSERT INTO shopper_deletions (store_id, template_id, customer_ref, via, requested_by, requested_at, not_before, completed_at)
         VALUES ($1, $2, 'cus_x', 'dashboard', 'test', now(), now(), now())`,
        [storeId, demoTemplateId(60)],
      );
      expect(await store.seedDemo(db, 50)).toBe(0);
      expect(await count(db, storeId)).toBe(119);

      const stopped = new ShopperStore(vault, { storeId: 'other', count: 100 });
      const abort = new AbortController();
      abort.abort();
      expect(await stopped.seedDemo(db, 50, abort.signal)).toBe(0);
    } finally {
      await cloud.close();
    }
  });
});
