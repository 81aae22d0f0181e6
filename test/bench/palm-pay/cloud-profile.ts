import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCloudApp } from '../../../cloud/app';
import { openDatabase } from '../../../cloud/db/open';
import type { Database, Queryable } from '../../../cloud/db/types';
import { demoCard } from '../../../cloud/demo-shoppers';
import { EmulatedProcessor } from '../../../cloud/payments/emulated-processor';
import { LocalKeyVault } from '../../../cloud/payments/key-vault';
import { ShopperStore } from '../../../cloud/payments/shoppers';
import { TestScanner, giveDemoPolicy, paymentRequest } from '../../../cloud/payments/testing';
import { TestTerminal, testStore } from '../../../cloud/testing';

/**
 * `npx tsx test/bench/palm-pay/cloud-profile.ts [n] [--first-payment]`: where POST /v1/payments
 * spends its time in the cloud, by statement — the app over PGlite in a temporary data directory
 * (as the embedded cloud runs), a 100k-shopper demo store with every shopper enrolled first
 * (`--first-payment`: each enrolled inside their first payment, the demo's default), n payments
 * by fresh shoppers through Fastify's inject (no network); every query and transaction timed, and
 * the slowest payments' slow statements listed. The first 5 payments warm up and are left out. A
 * profile for finding round trips, not a benchmark: the figures are per payment, means.
 */
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 60);
const FIRST_PAYMENT = process.argv.includes('--first-payment');
const SHOPPERS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'h15-cloudprof-'));
const db0 = await openDatabase({ dataDir: dir });
const stats = new Map<string, { n: number; ms: number }>();
/** The statements of the payment in progress, for the slowest payments' list. */
let current: { sql: string; ms: number }[] = [];
const wrap = (q: Queryable): Queryable =>
  new Proxy(q, {
    get(t, k) {
      if (k === 'query')
        return async (sql: string, params?: unknown[]) => {
          const t0 = performance.now();
          try {
            return await (t as Queryable).query(sql, params as never);
          } finally {
            const key = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
            const s = stats.get(key) ?? { n: 0, ms: 0 };
            s.n++;
            s.ms += performance.now() - t0;
            stats.set(key, s);
            current.push({ sql: key.slice(0, 40), ms: performance.now() - t0 });
          }
        };
      const v = Reflect.get(t, k) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
const db: Database = new Proxy(db0, {
  get(t, k) {
    if (k === 'transaction')
      return async <T>(f: (tx: Queryable) => Promise<T>) => {
        const t0 = performance.now();
        try {
          return await t.transaction((tx) => f(wrap(tx)));
        } finally {
          const s = stats.get('(transaction)') ?? { n: 0, ms: 0 };
          s.n++;
          s.ms += performance.now() - t0;
          stats.set('(transaction)', s);
        }
      };
    if (k === 'query') return wrap(t).query;
    const v = Reflect.get(t, k) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
  },
}) as Database;
const STORE = 'prof-s';
const processor = new EmulatedProcessor();
const vault = new LocalKeyVault(new Uint8Array(32).fill(7));
const shoppers = new ShopperStore(vault, { storeId: STORE, count: SHOPPERS });
const app = await buildCloudApp({
  db,
  adminToken: 'x'.repeat(32),
  allowedOrigins: [],
  logger: false,
  payments: { processor, shoppers },
});
await app.ready();
await testStore(db0, STORE);
await giveDemoPolicy(db0, STORE);
const cloud = { db: db0, app, adminToken: 'x'.repeat(32), close: async () => {} };
const lane = new TestTerminal('lane-prof');
await lane.provision(cloud, STORE);
const scanner = await TestScanner.create('EMU-PROF');
await scanner.approveIn(db0, STORE);
if (!FIRST_PAYMENT) {
  const t = performance.now();
  const n = await shoppers.seedDemo(db0);
  console.log(`enrolled ${n} demo shoppers first in ${Math.round(performance.now() - t)} ms`);
}
const times: number[] = [];
const slowest: { ms: number; statements: { sql: string; ms: number }[] }[] = [];
let n = 0;
for (let i = 0; times.length < N; i++) {
  if (!demoCard(i).token.includes('approve')) continue;
  const req = paymentRequest(i, await scanner.capture(i), { amount: 161 });
  if (times.length === 5) stats.clear();
  current = [];
  const t0 = performance.now();
  const res = await lane.request(cloud, 'POST', '/v1/payments', req);
  times.push(performance.now() - t0);
  slowest.push({ ms: times.at(-1)!, statements: current });
  if (!res.body.includes('approved')) n++;
}
times.sort((a, b) => a - b);
console.log(
  `payments ${N} (not approved ${n}): p50 ${times[N >> 1]!.toFixed(1)} ms p95 ${times[Math.floor(N * 0.95)]!.toFixed(1)} ms`,
);
for (const p of slowest.sort((a, b) => b.ms - a.ms).slice(0, 5))
  console.log(
    `slow payment ${p.ms.toFixed(1)} ms, statements ${p.statements.reduce((t, x) => t + x.ms, 0).toFixed(1)} ms; over 2 ms: ` +
      p.statements
        .filter((x) => x.ms > 2)
        .map((x) => `${x.sql}… ${x.ms.toFixed(1)}`)
        .join(' | '),
  );
const per = N - 5;
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(
    `${(s.ms / per).toFixed(2).padStart(7)} ms/pay  ${(s.n / per).toFixed(1).padStart(4)}×  ${k}`,
  );
await app.close();
await db0.close();
rmSync(dir, { recursive: true, force: true });
