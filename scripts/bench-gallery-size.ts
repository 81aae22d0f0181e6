import { startTestCloud, testStore } from '../cloud/testing';

/**
 * `npx tsx scripts/bench-gallery-size.ts [--n 100000] [--json]`: what reading a store's gallery
 * size costs each palm payment (the N of its 1:N decision, cloud/payments/shoppers.ts), at N
 * enrolled shoppers of two templates each in PGlite: summing the shoppers' sealed templates (what
 * each payment did before migration 16) against the row the trigger keeps (`store_galleries`),
 * p50 of 7 in the same run. The rows are synthetic (a ~1.4 KB sealed blob each, as a sealed pair
 * of templates is); the trigger counts them as they are inserted.
 */
const args = process.argv.slice(2);
const at = args.indexOf('--n');
const N = at >= 0 ? Number(args[at + 1]) : 100_000;
if (!Number.isInteger(N) || N < 1) throw new Error(`--n must be a positive integer`);
const JSON_OUT = args.includes('--json');

const cloud = await startTestCloud();
await testStore(cloud.db, 'big');
const sealed = 'x'.repeat(1400);
for (let from = 0; from < N; from += 10_000) {
  await cloud.db.query(
    `INSERT INTO shoppers (store_id, template_id, customer_ref, card_token, card_brand, card_last4,
       age_verified, currency, per_payment, per_day, phone_salt, phone_hash, templates)
     SELECT 'big', 't' || g, 'c' || g, 'tok', 'visa', '4242', false, 'USD', 10000, 50000, 's', 'h',
            jsonb_build_object('v', 1, 'dataKey', 'k', 'sealed', $2::text, 'dims', 512, 'count', 2)
     FROM generate_series($1::int, least($1::int + 9999, $3::int - 1)) g`,
    [from, sealed, N],
  );
}
async function p50(sql: string): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await cloud.db.query(sql, ['big']);
    xs.push(performance.now() - t);
  }
  return Math.round(xs.sort((a, b) => a - b)[3]! * 100) / 100;
}
const summed = await p50(
  "SELECT coalesce(sum((templates->>'count')::int), 0)::bigint AS n FROM shoppers WHERE store_id = $1",
);
const kept = await p50('SELECT templates AS n FROM store_galleries WHERE store_id = $1');
const count = (
  await cloud.db.query<{ n: number }>(
    'SELECT templates::int AS n FROM store_galleries WHERE store_id = $1',
    ['big'],
  )
).rows[0]?.n;
if (count !== 2 * N) throw new Error(`the trigger counted ${count} templates, not ${2 * N}`);
await cloud.close();
if (JSON_OUT) console.log(JSON.stringify({ n: N, summedP50Ms: summed, keptP50Ms: kept }));
else
  console.log(
    `${N} shoppers (${2 * N} templates): sum over shoppers p50 ${summed} ms, store_galleries row p50 ${kept} ms`,
  );
