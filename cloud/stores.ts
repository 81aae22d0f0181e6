import type { Product } from '../common/catalog';
import { demoCatalog } from '../common/demo-catalog';
import { storeProfile } from '../common/store-profile';
import type { StaffMember } from '../common/staff';
import { productSchema, storeSettingsSchema, type StoreSettings } from '../common/sync/protocol';
import type { Database, Queryable } from './db/types';
import { HttpError, notFound } from './errors';
import { recordSettingsVersion } from './settings-history';
import { AUTO_APPROVER } from './shard-approval';
import { makeVerifier, publishStaff, type NewStaff } from './staff';

export const DEMO_STORE_ID = 'demo-us';
/** The demo store's people (README): a manager and an attendant with published passcodes. */
export const DEMO_STAFF: readonly NewStaff[] = [
  { id: 'm1', name: 'Morgan Lee', role: 'manager', passcode: '12345678' },
  { id: 'a1', name: 'Alex Kim', role: 'attendant', passcode: '87654321' },
];

export function defaultSettings(name: string, profileId: string): StoreSettings {
  const profile = storeProfile(profileId);
  const unit = 10 ** (profile.currency === 'KRW' || profile.currency === 'JPY' ? 0 : 2);
  const scale = profile.currency === 'KRW' ? 1300 : 1;
  return {
    storeName: name,
    profileId,
    // Store-and-forward defaults (issue 11; the lane's DEFAULT_OFFLINE_LIMITS): 100.00 a
    // payment, 500.00 held by a lane, forwarded within 24 hours.
    offline: {
      perPaymentLimit: 100 * unit * scale,
      totalStoredCap: 500 * unit * scale,
      maxAgeHours: 24,
    },
    matcher: { scoreThreshold: 0.82, minMargin: 0.06 },
    staff: [],
  };
}

/** Takes the store's row lock and the next change version (see the migration's comment). */
export async function nextVersion(tx: Queryable, storeId: string): Promise<number> {
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
    /** The store's first people (at least one manager, so someone can approve lanes). */
    staff?: readonly NewStaff[];
    products?: readonly Product[];
    /** The demo store only (ensureDemoStore); the admin API never sets it. */
    autoApproveLanes?: boolean;
  },
  actor = 'operator',
): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.id)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'store ids are 2–63 lower-case letters, digits and dashes',
    );
  }
  const settings = storeSettingsSchema.parse({
    ...defaultSettings(input.name, input.profileId),
    ...(input.autoApproveLanes ? { autoApproveLanes: true } : {}),
  });
  // PBKDF2 first, outside the transaction (each takes ~160 ms).
  const staff = await withVerifiers(input.staff ?? []);
  if (new Set(staff.map((s) => s.id)).size !== staff.length)
    throw new HttpError(400, 'BAD_REQUEST', 'staff ids must be unique');
  await db.transaction(async (tx) => {
    const created = await tx.query(
      `INSERT INTO stores (id, name, settings, settings_version, change_seq) VALUES ($1, $2, $3::jsonb, 1, 1)
       ON CONFLICT (id) DO NOTHING`,
      [input.id, input.name, JSON.stringify(settings)],
    );
    if (created.affected === 0)
      throw new HttpError(409, 'STORE_EXISTS', `Store ${input.id} exists`);
    await recordSettingsVersion(tx, input.id, 1, settings);
    await insertStaff(tx, input.id, staff, actor);
  });
  if (input.products?.length)
    await changeCatalog(db, input.id, { upserts: input.products, deletes: [] });
}

/** Each person with a fresh verifier (PBKDF2 runs on the thread pool, so in parallel). */
function withVerifiers(people: readonly NewStaff[]): Promise<StaffMember[]> {
  return Promise.all(
    people.map(async ({ id, name, role, passcode }) => ({
      id,
      name,
      role,
      verifier: await makeVerifier(passcode),
    })),
  );
}

async function insertStaff(
  tx: Queryable,
  storeId: string,
  staff: readonly StaffMember[],
  actor: string,
): Promise<void> {
  if (staff.length === 0) return;
  for (const s of staff) {
    await tx.query(
      `INSERT INTO staff (store_id, id, name, role, verifier, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [storeId, s.id, s.name, s.role, JSON.stringify(s.verifier), actor],
    );
  }
  await publishStaff(tx, storeId);
}

/**
 * Seeds the demo store (US profile, the demo catalog, the demo staff) unless it exists, and
 * brings an existing one in line: demo staff when it has none (a data directory from before
 * staff credentials), and its lane auto-approval as asked. Idempotent.
 */
export async function ensureDemoStore(
  db: Database,
  options: { autoApproveLanes?: boolean } = {},
): Promise<string> {
  const autoApproveLanes = options.autoApproveLanes ?? true;
  const exists = await db.query('SELECT 1 FROM stores WHERE id = $1', [DEMO_STORE_ID]);
  if (exists.rows.length === 0) {
    await createStore(db, {
      id: DEMO_STORE_ID,
      name: storeProfile('us').name,
      profileId: 'us',
      staff: DEMO_STAFF,
      products: demoCatalog(storeProfile('us')),
      autoApproveLanes,
    }).catch((e: unknown) => {
      if (!(e instanceof HttpError && e.code === 'STORE_EXISTS')) throw e; // another instance won
    });
  } else {
    const people = await db.query('SELECT 1 FROM staff WHERE store_id = $1 LIMIT 1', [
      DEMO_STORE_ID,
    ]);
    if (people.rows.length === 0) {
      const staff = await withVerifiers(DEMO_STAFF);
      await db.transaction((tx) => insertStaff(tx, DEMO_STORE_ID, staff, 'operator'));
    }
    const current = await storeSettings(db, DEMO_STORE_ID);
    if ((current.autoApproveLanes ?? false) !== autoApproveLanes) {
      await db.transaction(async (tx) => {
        const version = await nextVersion(tx, DEMO_STORE_ID);
        const { autoApproveLanes: _old, ...rest } = await storeSettings(tx, DEMO_STORE_ID);
        const next = autoApproveLanes ? { ...rest, autoApproveLanes: true } : rest;
        await tx.query(
          'UPDATE stores SET settings = $2::jsonb, settings_version = $3 WHERE id = $1',
          [DEMO_STORE_ID, JSON.stringify(next), version],
        );
      });
    }
  }
  if (autoApproveLanes) {
    // Lanes provisioned before auto-approval was on (or before approval existed).
    await db.query(
      `UPDATE terminals SET shard_approved_at = now(), shard_approved_by = $2
       WHERE store_id = $1 AND shard_approved_at IS NULL AND revoked_at IS NULL`,
      [DEMO_STORE_ID, AUTO_APPROVER],
    );
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

/** Replaces parts of a store's settings (name, limits, thresholds) and bumps their version. */
export async function changeSettings(
  db: Database,
  storeId: string,
  patch: {
    offline?: unknown;
    matcher?: unknown;
    storeName?: string;
    location?: unknown;
    timeZone?: string;
  },
): Promise<StoreSettings> {
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, storeId);
    const current = await storeSettings(tx, storeId);
    const candidate = {
      ...current,
      ...(patch.storeName !== undefined ? { storeName: patch.storeName } : {}),
      ...(patch.offline !== undefined ? { offline: patch.offline } : {}),
      ...(patch.matcher !== undefined ? { matcher: patch.matcher } : {}),
      ...(patch.location !== undefined ? { location: patch.location } : {}),
      ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
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
