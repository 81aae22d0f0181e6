import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuredThreshold } from '../common/shard/policy-measured';
import { thresholds, type MatchPolicy } from '../common/shard/policy';
import { adminAudit } from './admin-audit';
import { measuredAtSize, refitPolicy } from './enrolment/policy-refit';
import { giveDemoPolicy } from './payments/testing';
import { storeSettings } from './stores';
import { startTestCloud, testStore, type TestCloud } from './testing';

/**
 * The store's policy refitted on the non-mated scores its enrolments measured
 * (cloud/enrolment/policy-refit.ts). Scores are put in directly here: 10⁵ enrolment captures
 * are what it takes at the demo policy's accept target (FPIR 1e-4, resting on 10 scores).
 */
const STORE = 'refit-s';
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, STORE);
  await giveDemoPolicy(cloud.db, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

/** `count` scores measured at gallery `gallery`: a deterministic spread over 300 000…459 999. */
async function measured(count: number, gallery: number, from = 0) {
  await cloud.db.query(
    `INSERT INTO nonmated_scores (store_id, enrolment_id, score, gallery, measured_at)
     SELECT $1, 'enr-' || i, 300000 + ((i * 7919) % 160000), $2, i FROM generate_series($3::int, $4::int) AS i`,
    [STORE, gallery, from + 1, from + count],
  );
}
const policyNow = async () => (await storeSettings(cloud.db, STORE)).matcher.policy!;

describe('refitting the store policy on measured non-mated scores', () => {
  it('waits while the accept threshold would rest on fewer than 10 measured scores', async () => {
    const before = await policyNow();
    await measured(50_000, 20_000);
    expect(await refitPolicy(cloud.db, STORE, 20_000)).toBeNull();
    expect(await policyNow()).toEqual(before); // nothing changed, nothing audited
    expect((await adminAudit(cloud.db, STORE)).some((a) => a.action === 'policy.refitted')).toBe(
      false,
    );
  });

  it('then sets the thresholds from those scores, audited, and lanes take it with the settings', async () => {
    await measured(70_000, 20_000, 50_000); // 120 000 searches at a gallery of 20 000
    const m = await refitPolicy(cloud.db, STORE, 20_000);
    expect(m).toMatchObject({ n: 20_000, searches: 120_000 });
    const policy = await policyNow();
    expect(policy.measured).toEqual(m);
    // The accept threshold is the 12th highest score + 1 (FPIR 1e-4 of 120 000), not the tail's.
    const all = Array.from({ length: 120_000 }, (_, i) => 300000 + (((i + 1) * 7919) % 160000));
    all.sort((a, b) => b - a);
    const t = thresholds(policy, 20_000);
    expect(t.accept).toBe(all[12]! + 1);
    expect(t.accept).toBe(measuredThreshold(m!, 20_000, policy.acceptFpir));
    const tail = thresholds({ ...policy, measured: undefined } as MatchPolicy, 20_000);
    expect(t.accept).not.toBe(tail.accept);
    const audit = await adminAudit(cloud.db, STORE);
    expect(audit.find((a) => a.action === 'policy.refitted')).toMatchObject({ actor: 'cloud' });
    // No new measurements: no new version of the settings for every lane to pull.
    expect(await refitPolicy(cloud.db, STORE, 20_000)).toBeNull();
  });

  it('uses only scores measured while the gallery was at least half today’s size', async () => {
    expect(await measuredAtSize(cloud.db, STORE, 40_000)).toMatchObject({ searches: 120_000 });
    // At 50 000 templates, searches against 20 000 say too little about a gallery that large.
    expect(await measuredAtSize(cloud.db, STORE, 50_000)).toBeNull();
    expect(await refitPolicy(cloud.db, STORE, 50_000)).toBeNull();
  });
});
