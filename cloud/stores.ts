import { createHash, randomBytes } from 'node:crypto';
import type { Product } from '../common/catalog';
import { demoCatalog } from '../common/demo-catalog';
import { storeProfile } from '../common/store-profile';
import { productSchema, storeSettingsSchema, type StoreSettings } from '../common/sync/protocol';
import type { Database, Queryable } from './db/types';
import { HttpError, notFound } from './errors';
import { recordSettingsVersion } from './settings-history';

export const DEMO_STORE_ID = 'demo-us';
export const DEMO_MANAGER_PIN = '1234';

export function pinHash(
  pin: string,
  salt = randomBytes(12).toString('hex'),
): StoreSettings['managerPin'] {
  return { salt, sha256: createHash('sha256').update(`${salt}:${pin}`).digest('hex') };
}

export function defaultSettings(
  name: string,
  profileId: string,
  managerPin: string,
): StoreSettings {
  const profile = storeProfile(profileId);
  const unit = 10 ** (profile.currency === 'KRW' || profile.currency === 'JPY' ? 0 : 2);
  const scale = profile.currency === 'KRW' ? 1300 : 1;
  return {
    storeName: name,
    profileId,
    // Square-like defaults: $50 a payment, $500 in total, 72 hours.
    offline: {
      perPaymentLimit: 50 * unit * scale,
      totalStoredCap: 500 * unit * scale,
      maxAgeHours: 72,
    },
    matcher: { scoreThreshold: 0.82, minMargin: 0.06 },
    managerPin: pinHash(managerPin),
  };
}

/** Takes the store's row lock and the next change version (see the migration's comment). */
async function nextVersion(tx: Queryable, storeId: string): Promise<number> {
  const r = await tx.query<{ change_seq: number }>(
    'UPDATE stores SET change_seq = change_seq + 1 WHERE id = $1 RETURNING change_seq',
    [storeId],
  );
  const row = r.rows[0];
  if (!row) throw notFound(`Store ${storeId}`);
  return row.change_seq;
}

export async function createStore(
  db: Database,
  input: {
    id: string;
    name: string;
    profileId: string;
    managerPin: string;
    products?: readonly Product[];
  },
): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.id)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'store ids are 2–63 lower-case letters, digits and dashes',
    );
  }
  const settings = storeSettingsSchema.parse(
    defaultSettings(input.name, input.profileId, input.managerPin),
  );
  await db.transaction(async (tx) => {
    const created = await tx.query(
      `INSERT INTO stores (id, name, settings, settings_version, change_seq) VALUES ($1, $2, $3::jsonb, 1, 1)
       ON CONFLICT (id) DO NOTHING`,
      [input.id, input.name, JSON.stringify(settings)],
    );
    if (created.affected === 0)
      throw new HttpError(409, 'STORE_EXISTS', `Store ${input.id} exists`);
    await recordSettingsVersion(tx, input.id, 1, settings);
  });
  if (input.products?.length)
    await changeCatalog(db, input.id, { upserts: input.products, deletes: [] });
}

/** Seeds the demo store (US profile, the demo catalog) unless it exists. Idempotent. */
export async function ensureDemoStore(db: Database): Promise<string> {
  const exists = await db.query('SELECT 1 FROM stores WHERE id = $1', [DEMO_STORE_ID]);
  if (exists.rows.length === 0) {
    await createStore(db, {
      id: DEMO_STORE_ID,
      name: storeProfile('us').name,
      profileId: 'us',
      managerPin: DEMO_MANAGER_PIN,
      products: demoCatalog(storeProfile('us')),
    }).catch((e: unknown) => {
      if (!(e instanceof HttpError && e.code === 'STORE_EXISTS')) throw e; // another instance won
    });
  }
  return DEMO_STORE_ID;
}

/** Upserts and deletes products; each change gets the next store version so lanes pull it. */
export async function changeCatalog(
  db: Database,
  storeId: string,
  change: { upserts: readonly unknown[]; deletes: readonly string[] },
): Promise<number> {
  const upserts = change.upserts.map((p, i) => {
    const r = productSchema.safeParse(p);
    if (!r.success)
      throw new HttpError(400, 'BAD_REQUEST', `upserts.${i}: ${r.error.issues[0]?.message}`);
    return r.data;
  });
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, storeId);
    // One statement per batch keeps a 200-product seed fast on PGlite.
    if (upserts.length > 0) {
      await tx.query(
        `INSERT INTO catalog_items (store_id, product_id, body, deleted, version)
         SELECT $1, p->>'id', p, false, $2 FROM jsonb_array_elements($3::jsonb) AS p
         ON CONFLICT (store_id, product_id) DO UPDATE SET body = EXCLUDED.body, deleted = false, version = EXCLUDED.version`,
        [storeId, version, JSON.stringify(upserts)],
      );
    }
    for (const productId of change.deletes) {
      await tx.query(
        `INSERT INTO catalog_items (store_id, product_id, body, deleted, version) VALUES ($1, $2, NULL, true, $3)
         ON CONFLICT (store_id, product_id) DO UPDATE SET body = NULL, deleted = true, version = EXCLUDED.version`,
        [storeId, productId, version],
      );
    }
    return version;
  });
}

export async function storeSettings(db: Queryable, storeId: string): Promise<StoreSettings> {
  const r = await db.query<{ settings: StoreSettings }>(
    'SELECT settings FROM stores WHERE id = $1',
    [storeId],
  );
  const row = r.rows[0];
  if (!row) throw notFound(`Store ${storeId}`);
  return row.settings;
}

/** Replaces parts of a store's settings (limits, thresholds, PIN) and bumps their version. */
export async function changeSettings(
  db: Database,
  storeId: string,
  patch: { offline?: unknown; matcher?: unknown; managerPin?: string; storeName?: string },
): Promise<StoreSettings> {
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, storeId);
    const current = await storeSettings(tx, storeId);
    const candidate = {
      ...current,
      ...(patch.storeName !== undefined ? { storeName: patch.storeName } : {}),
      ...(patch.offline !== undefined ? { offline: patch.offline } : {}),
      ...(patch.matcher !== undefined ? { matcher: patch.matcher } : {}),
      ...(patch.managerPin !== undefined ? { managerPin: pinHash(patch.managerPin) } : {}),
    };
    const parsed = storeSettingsSchema.safeParse(candidate);
    if (!parsed.success)
      throw new HttpError(400, 'BAD_REQUEST', parsed.error.issues[0]?.message ?? 'bad settings');
    await tx.query('UPDATE stores SET settings = $2::jsonb, settings_version = $3 WHERE id = $1', [
      storeId,
      JSON.stringify(parsed.data),
      version,
    ]);
    await recordSettingsVersion(tx, storeId, version, parsed.data);
    return parsed.data;
  });
}
