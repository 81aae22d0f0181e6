import type { Money } from '../common/money';
import type { Queryable } from '../cloud/db/types';
import { riskFacts } from '../cloud/payments/risk-facts';
import type { EnrolledShopper } from '../cloud/payments/shoppers';
import { startTestCloud, testStore } from '../cloud/testing';

/**
 * `npx tsx scripts/bench-risk-facts.ts [--lane 100000] [--history 3000] [--json]`: what the risk
 * rules' one statement (cloud/payments/risk-facts.ts) costs each palm payment at a lane that has
 * taken `lane` payments (one every 25 s, one in twenty near the threshold: ~29 days of a busy
 * lane) by a shopper with `history` payments of their own (one every 5.5 h: ~2 years), in PGlite,
 * p50 of 21 in the same run: as it is (each fact read through an index over its own window), and
 * as it was before migration 17 (the lane's near-threshold count with only payments_lane, the
 * shopper's payments read back to their first). Both must give the same facts.
 */
const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const LANE = num('lane', 100_000);
const HISTORY = num('history', 3000);
const JSON_OUT = args.includes('--json');
const DAY_MS = 86_400_000;

const cloud = await startTestCloud();
const db = cloud.db;
await testStore(db, 's1');
const now = Date.now();
const insert = (
  prefix: string,
  lane: string,
  ref: string,
  stepMs: number,
  near: string,
  n: number,
) =>
  db.query(
    `INSERT INTO payments (store_id, payment_id, terminal_id, kind, fingerprint, status, amount,
       currency, customer_ref, near_threshold, created_at, paid_at, decided_at)
     SELECT 's1', $1 || g, $2, 'online', '', 'approved', 500, 'USD', ${ref}, ${near}, t, t, t
     FROM generate_series(1, $3::int) g, LATERAL (SELECT to_timestamp(($4::bigint - g::bigint * $5::bigint) / 1000.0) AS t) x`,
    [prefix, lane, n, now, stepMs],
  );
await insert('p', 'lane-1', "'cus_' || (g % 20000)", 25_000, '(g % 20) = 0', LANE);
await insert('m', 'lane-2', "'cus_me'", 20_000_000, 'false', HISTORY);
await db.query('ANALYZE payments');

const o = {
  storeId: 's1',
  terminalId: 'lane-1',
  shopper: {
    customerRef: 'cus_me',
    limits: { currency: 'USD', perPayment: 10_000, perDay: 50_000 },
  } as EnrolledShopper,
  amount: { amount: 161, currency: 'USD' } as Money,
  at: now,
  here: undefined,
  nearThreshold: false,
};

/** The statement as it was before migration 17. */
async function before(tx: Queryable) {
  const r = await tx.query<{ spent: number; recent: number; lane: number }>(
    `WITH mine AS (
       SELECT amount, paid_at FROM payments
       WHERE customer_ref = $1 AND status IN ('charging', 'approved') AND currency = $5 AND paid_at <= $4),
     elsewhere AS (
       SELECT p.paid_at, s.settings->'location' AS location FROM payments p JOIN stores s ON s.id = p.store_id
       WHERE p.customer_ref = $1 AND p.store_id <> $8 AND p.status IN ('charging', 'approved')
         AND p.paid_at > $2 AND p.paid_at <= $4 AND s.settings ? 'location'
       ORDER BY p.paid_at DESC LIMIT 1)
     SELECT (SELECT coalesce(sum(amount) FILTER (WHERE paid_at > $2), 0)::bigint FROM mine) AS spent,
            (SELECT count(*) FILTER (WHERE paid_at > $3)::bigint FROM mine) AS recent,
            (SELECT count(*)::bigint FROM payments
             WHERE terminal_id = $6 AND near_threshold AND decided_at > $7 AND decided_at <= $4) AS lane,
            e.paid_at AS elsewhere_at, e.location AS elsewhere_location
     FROM (SELECT 1) AS one LEFT JOIN elsewhere e ON true`,
    [
      'cus_me',
      new Date(now - DAY_MS),
      new Date(now - 10 * 60_000),
      new Date(now),
      'USD',
      'lane-1',
      new Date(now - 30 * 60_000),
      's1',
    ],
  );
  const row = r.rows[0]!;
  return { spent: Number(row.spent), recent: Number(row.recent), lane: Number(row.lane) };
}

async function p50(f: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return Math.round(xs.sort((a, b) => a - b)[10]! * 100) / 100;
}

const facts = await riskFacts(db, o);
const nowMs = await p50(() => riskFacts(db, o));
await db.query('DROP INDEX payments_lane_near');
const old = await before(db);
const beforeMs = await p50(() => before(db));
const same =
  old.spent === facts.spentLast24h &&
  old.recent === facts.recentPayments &&
  old.lane === facts.laneNearThreshold;
await cloud.close();
if (!same) throw new Error(`the two statements disagree: ${JSON.stringify({ old, facts })}`);
if (JSON_OUT)
  console.log(
    JSON.stringify({ lane: LANE, history: HISTORY, p50Ms: nowMs, beforeP50Ms: beforeMs }),
  );
else
  console.log(
    `a lane with ${LANE} payments, a shopper with ${HISTORY}: risk facts p50 ${nowMs} ms (before migration 17: ${beforeMs} ms); ` +
      `facts ${JSON.stringify({ spentLast24h: facts.spentLast24h, recent: facts.recentPayments, laneNearThreshold: facts.laneNearThreshold })}`,
  );
