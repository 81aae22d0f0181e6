import { checkMeasured, measuredQuantileIndex } from '../../common/shard/policy-measured';
import type { MeasuredNonMated } from '../../common/shard/policy-measured';
import type { MatchPolicy } from '../../common/shard/policy';
import { recordAdminAudit } from '../admin-audit';
import type { Database, Queryable } from '../db/types';
import { changeSettings, storeSettings } from '../stores';

/**
 * The store's decision policy fitted on its own measured non-mated searches instead of a
 * modelled impostor tail (common/shard/policy-measured.ts, docs/accuracy.md).
 *
 * Each enrolment that finds no duplicate leaves one score per capture: that capture's best
 * score against every shopper the store had enrolled, a non-mated search of a real capture at
 * the store's own size (cloud/enrolment/duplicates.ts). Only the cloud computes them, from
 * captures whose scanner signature it checked; no route accepts a score from a lane.
 *
 * The policy switches to them once the accept threshold is a plain quantile of scores measured
 * at (about) today's gallery size, resting on at least MIN_FALSE_MATCHES of them — never on the
 * exponential extension — and is refitted when a tenth more searches have been measured.
 */
export async function recordNonMatedScores(
  tx: Queryable,
  storeId: string,
  enrolmentId: string,
  scores: readonly number[],
  gallery: number,
  now: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO nonmated_scores (store_id, enrolment_id, score, gallery, measured_at)
     SELECT $1, $2, s, $4, $5 FROM unnest($3::int[]) AS s`,
    [storeId, enrolmentId, scores.map(Math.round), gallery, now],
  );
}

/** Scores measured while the gallery was at least half today's size, as one measurement. */
export async function measuredAtSize(
  db: Queryable,
  storeId: string,
  galleryNow: number,
): Promise<MeasuredNonMated | null> {
  const least = Math.max(1, Math.ceil(galleryNow / 2));
  const stats = await db.query<{ searches: string; n: number | null }>(
    `SELECT count(*) AS searches,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY gallery) AS n
     FROM nonmated_scores WHERE store_id = $1 AND gallery >= $2`,
    [storeId, least],
  );
  const searches = Number(stats.rows[0]?.searches ?? 0);
  const n = stats.rows[0]?.n ?? null;
  if (searches < 100 || n === null) return null;
  // The settings schema carries at most 100 000 (2 % of 5 M searches; step-up needs the top 1 %).
  const keep = Math.min(100_000, Math.max(100, Math.ceil(searches * 0.02)));
  const top = await db.query<{ score: number }>(
    `SELECT score FROM nonmated_scores WHERE store_id = $1 AND gallery >= $2
     ORDER BY score DESC LIMIT $3`,
    [storeId, least, keep],
  );
  // The top share of all `searches` scores, as measureNonMated keeps it: the rest lie below.
  const m: MeasuredNonMated = { n, searches, top: top.rows.map((r) => r.score) };
  checkMeasured(m);
  return m;
}

/**
 * Refits the store's policy after an enrolment when the measurements allow it; returns the new
 * measurement, or null when the policy stays as it is. Audited; lanes take it on their next pull.
 */
export async function refitPolicy(
  db: Database,
  storeId: string,
  galleryNow: number,
): Promise<MeasuredNonMated | null> {
  const settings = await storeSettings(db, storeId);
  const policy = settings.matcher.policy;
  if (!policy || galleryNow < 1) return null;
  const m = await measuredAtSize(db, storeId, galleryNow);
  if (!m || measuredQuantileIndex(m, galleryNow, policy.acceptFpir) === null) return null;
  const before = policy.measured;
  if (before && before.n === m.n && m.searches < before.searches * 1.1) return null;
  const next: MatchPolicy = { ...policy, measured: m };
  await changeSettings(db, storeId, { matcher: { ...settings.matcher, policy: next } });
  await recordAdminAudit(db, {
    storeId,
    actor: 'cloud',
    action: 'policy.refitted',
    detail: { searches: m.searches, n: m.n, previousSearches: before?.searches ?? null },
  });
  return m;
}
