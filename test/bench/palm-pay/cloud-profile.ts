import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCloudApp } from '../../../cloud/app';
import { openDatabase } from '../../../cloud/db/open';
import type { Database, Queryable } from '../../../cloud/db/types';
import { demoCard } from '../../../cloud/demo-shoppers';
import { EmulatedProcessor } from '../../../cloud/payments/emulated-processor';
import { LocalKeyVault } from '../../../cloud/payments/key-vault';
import { TestScanner, giveDemoPolicy, paymentRequest } from '../../../cloud/payments/testing';
import { TestTerminal, testStore } from '../../../cloud/testing';

/**
 * `npx tsx test/bench/palm-pay/cloud-profile.ts [n]`: where POST /v1/payments spends its time in
 * the cloud, by statement — the app over PGlite in a temporary data directory (as the embedded
 * cloud runs), a 100k-shopper demo store, n payments by fresh shoppers through Fastify's inject
 * (no network); every query and transaction timed. The first 5 payments warm up and are left
 * out. A profile for finding round trips, not a benchmark: the figures are per payment, means.
 */
const N = Number(process.argv[2] ?? 60);
const SHOPPERS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'h15-cloudprof-'));
const db0 = await openDatabase({ dataDir: dir });
const stats = new Map<string, { n: number; ms: number }>();
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
const app = await buildCloudApp({
  db,
  adminToken: 'x'.repeat(32),
  allowedOrigins: [],
  logger: false,
  payments: { processor, vault, demoShoppers: { storeId: STORE, count: SHOPPERS } },
});
await app.ready();
await testStore(db0, STORE);
await giveDemoPolicy(db0, STORE);
const cloud = { db: db0, app, adminToken: 'x'.repeat(32), close: async () => {} };
const lane = new TestTerminal('lane-prof');
await lane.provision(cloud, STORE);
const scanner = await TestScanner.create('EMU-PROF');
await scanner.approveIn(db0, STORE);
const times: number[] = [];
let n = 0;
for (let i = 0; times.length < N; i++) {
  if (!demoCard(i).token.includes('approve')) continue;
  const req = paymentRequest(i, await scanner.capture(i), { amount: 161 });
  if (times.length === 5) stats.clear();
  const t0 = performance.now();
  const res = await lane.request(cloud, 'POST', '/v1/payments', req);
  times.push(performance.now() - t0);
  if (!res.body.includes('approved')) n++;
}
times.sort((a, b) => a - b);
console.log(
  `payments ${N} (not approved ${n}): p50 ${times[N >> 1]!.toFixed(1)} ms p95 ${times[Math.floor(N * 0.95)]!.toFixed(1)} ms`,
);
const per = N - 5;
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(
    `${(s.ms / per).toFixed(2).padStart(7)} ms/pay  ${(s.n / per).toFixed(1).padStart(4)}×  ${k}`,
  );
await app.close();
await db0.close();
rmSync(dir, { recursive: true, force: true });
