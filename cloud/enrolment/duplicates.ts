import { thresholds, type MatchPolicy } from '../../common/shard/policy';
import type { Queryable } from '../db/types';
import { bestScore } from '../payments/rematch';
import { openTemplates, type SealedTemplates } from '../payments/sealed-templates';
import type { ShopperStore } from '../payments/shoppers';

/**
 * The 1:N duplicate check before an enrolment is saved: each new palm template against every
 * template the store has enrolled (shoppers being deleted left out). A score at or above the
 * store policy's step-up threshold for a gallery of this size counts as "already enrolled" —
 * the lower of its two thresholds, because a missed duplicate gives one palm two accounts and
 * a needless prompt costs a tap. Each shopper's templates are opened (data key unwrapped) for
 * the comparison and wiped straight after; a store far larger than the demo would keep this
 * gallery in a matcher in memory instead (docs/enrolment.md).
 */
export interface DuplicateHit {
  readonly templateId: string;
  readonly customerRef: string;
  readonly score: number;
  readonly phoneLast4: { readonly salt: string; readonly hash: string };
}

export async function findDuplicate(
  tx: Queryable,
  shoppers: ShopperStore,
  storeId: string,
  policy: MatchPolicy,
  palms: readonly Int8Array[],
): Promise<DuplicateHit | null> {
  return (await scanGallery(tx, shoppers, storeId, policy, palms, [])).duplicate;
}

/**
 * The duplicate check, and on the same pass each enrolment capture's best score against the
 * store's enrolled shoppers: when no duplicate is found those are non-mated searches of real
 * captures at the store's own gallery size, the scores the store's policy is fitted on
 * (cloud/enrolment/policy-refit.ts, docs/accuracy.md).
 */
export async function scanGallery(
  tx: Queryable,
  shoppers: ShopperStore,
  storeId: string,
  policy: MatchPolicy,
  palms: readonly Int8Array[],
  captures: readonly Int8Array[],
): Promise<{ duplicate: DuplicateHit | null; captureBest: number[]; gallery: number }> {
  const rows = await tx.query<{
    template_id: string;
    customer_ref: string;
    templates: SealedTemplates;
    phone_salt: string;
    phone_hash: string;
  }>(
    `SELECT s.template_id, s.customer_ref, s.templates, s.phone_salt, s.phone_hash FROM shoppers s
     WHERE s.store_id = $1 AND NOT EXISTS (
       SELECT 1 FROM shopper_deletions d WHERE d.store_id = s.store_id AND d.template_id = s.template_id)`,
    [storeId],
  );
  const gallery = rows.rows.reduce((n, r) => n + r.templates.count, 0);
  const threshold = thresholds(policy, Math.max(1, gallery)).stepUp;
  let best: DuplicateHit | null = null;
  const captureBest = captures.map(() => -Infinity);
  for (const r of rows.rows) {
    const enrolled = await openTemplates(shoppers.vault, storeId, r.template_id, r.templates);
    const score = Math.max(...palms.map((p) => bestScore(p, enrolled)));
    captures.forEach(
      (c, i) => (captureBest[i] = Math.max(captureBest[i]!, bestScore(c, enrolled))),
    );
    for (const t of enrolled) t.fill(0);
    if (score >= threshold && (!best || score > best.score))
      best = {
        templateId: r.template_id,
        customerRef: r.customer_ref,
        score,
        phoneLast4: { salt: r.phone_salt, hash: r.phone_hash },
      };
  }
  return { duplicate: best, captureBest: rows.rows.length > 0 ? captureBest : [], gallery };
}
