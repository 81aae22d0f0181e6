import type { ShardRecord } from '../../common/shard/format';
import type { Queryable } from '../db/types';
import type { EnrolledShardState } from '../demo-shard';
import type { KeyVault } from '../payments/key-vault';
import { openTemplates, type SealedTemplates } from '../payments/sealed-templates';

/**
 * The store's shoppers enrolled at lanes (not the demo population's, which the demo publisher
 * derives itself), as shard records, and every deleted template id: what a full snapshot of the
 * store's shard is built from. Templates are opened here only to be encrypted again under the
 * shard key, for lanes.
 */
export async function enrolledShardState(
  db: Queryable,
  vault: KeyVault,
  storeId: string,
): Promise<EnrolledShardState> {
  const rows = await db.query<{
    template_id: string;
    customer_ref: string;
    templates: SealedTemplates;
    age_verified: boolean;
    loyalty_id: string | null;
    currency: string;
    per_payment: number;
    per_day: number;
    phone_salt: string;
    phone_hash: string;
  }>(
    `SELECT s.* FROM shoppers s WHERE s.store_id = $1 AND s.template_id NOT LIKE 'demo-palm-%'
       AND NOT EXISTS (SELECT 1 FROM shopper_deletions d
                       WHERE d.store_id = s.store_id AND d.template_id = s.template_id)
     ORDER BY s.created_at, s.template_id`,
    [storeId],
  );
  const adds: ShardRecord[] = [];
  for (const r of rows.rows)
    adds.push({
      templateId: r.template_id,
      customerRef: r.customer_ref,
      templates: await openTemplates(vault, storeId, r.template_id, r.templates),
      ageVerified: r.age_verified,
      loyaltyId: r.loyalty_id,
      limits: { currency: r.currency, perPayment: r.per_payment, perDay: r.per_day },
      phoneLast4: { salt: r.phone_salt, hash: r.phone_hash },
    });
  const removed = await db.query<{ template_id: string }>(
    'SELECT template_id FROM shopper_deletions WHERE store_id = $1',
    [storeId],
  );
  return { adds, removed: new Set(removed.rows.map((r) => r.template_id)) };
}
