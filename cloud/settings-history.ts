import type { OfflineLimits } from '../common/offline-payments';
import type { CurrencyCode } from '../common/money';
import { STORE_PROFILES } from '../common/store-profile';
import type { StoreSettings } from '../common/sync/protocol';
import type { TaxPolicy } from '../common/tax';
import type { Queryable } from './db/types';

/**
 * The history of a store's rules (profile → currency and tax; offline limits), one row per
 * settings version, written in the same transaction as the settings change. A push judges each
 * sale and stored payment by the version in force when it was made, so a limit lowered while a
 * lane was offline does not refuse what was taken within the old one, and a limit raised later
 * does not excuse what broke the old one. Credentials are never copied here.
 */

export interface StoreRules {
  readonly version: number;
  readonly validFrom: number;
  readonly profileId: string;
  readonly currency: CurrencyCode;
  readonly tax: TaxPolicy;
  readonly offline: OfflineLimits;
}

type RulesRow = Pick<StoreSettings, 'profileId' | 'offline'>;

export async function recordSettingsVersion(
  tx: Queryable,
  storeId: string,
  version: number,
  settings: StoreSettings,
): Promise<void> {
  const rules: RulesRow = { profileId: settings.profileId, offline: settings.offline };
  await tx.query(
    `INSERT INTO store_settings_history (store_id, version, settings, valid_from)
     VALUES ($1, $2, $3::jsonb, now())`,
    [storeId, version, JSON.stringify(rules)],
  );
}

/** Every version of a store's rules, oldest first (a handful of rows: one per settings change). */
export async function loadRulesHistory(tx: Queryable, storeId: string): Promise<StoreRules[]> {
  let r = await tx.query<{ version: number; settings: RulesRow; valid_from: Date }>(
    `SELECT version, settings, valid_from FROM store_settings_history
     WHERE store_id = $1 ORDER BY valid_from, version`,
    [storeId],
  );
  // A store written some other way than createStore (by hand, by a later tool) has no history
  // yet: its current settings are its only version, rather than a push that fails forever.
  if (r.rows.length === 0) {
    r = await tx.query(
      `SELECT settings_version AS version, settings, created_at AS valid_from FROM stores WHERE id = $1`,
      [storeId],
    );
  }
  return r.rows.map((row) => {
    const profile = STORE_PROFILES.find((p) => p.id === row.settings.profileId);
    // Store ids are checked against known profiles when a store is made; a row naming another
    // is a broken database, not bad input, so it fails the push (500) rather than rejecting.
    if (!profile) throw new Error(`store ${storeId} has unknown profile ${row.settings.profileId}`);
    return {
      version: row.version,
      validFrom: row.valid_from.getTime(),
      profileId: profile.id,
      currency: profile.currency,
      tax: profile.tax,
      offline: row.settings.offline,
    };
  });
}

/**
 * The rules in force at `at` (ms since 1970): the newest version from before it, or the first
 * version for a time before the store had any (a lane's clock a little behind the cloud's).
 */
export function rulesAt(history: readonly StoreRules[], at: number): StoreRules {
  const first = history[0];
  if (!first) throw new Error('a store always has at least one settings version');
  let found = first;
  for (const v of history) if (v.validFrom <= at) found = v;
  return found;
}
