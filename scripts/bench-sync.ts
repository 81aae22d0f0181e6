/**
 * npm run bench:sync — sync throughput, not a test.
 *
 * 1. Drain: one lane (the real sync engine over fake-indexeddb, batches of 100) drains 10,000
 *    queued sales into the cloud over loopback HTTP: sales/s and p50/p95 push latency per batch.
 * 2. Ingest: 20 simulated terminals push 500 sales each at once (signed requests, batches of 50):
 *    the cloud's sales/s and p95 push latency under concurrency.
 *
 * Runs against embedded PGlite (a temp data directory, on disk as `npm run cloud` uses it) and,
 * when DATABASE_URL is set, against that PostgreSQL as well:
 *   npm run bench:sync
 *   bash test/cloud/with-postgres.sh npm run bench:sync
 * BENCH_SALES and BENCH_TERMINALS override the sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCloudApp } from '../cloud/app';
import { openDatabase } from '../cloud/db/open';
import { dropSchema } from '../cloud/db/postgres';
import type { Database } from '../cloud/db/types';
import { issueProvisioningCode } from '../cloud/provision';
import { createStore } from '../cloud/stores';
import { TestTerminal, mutation, testSale } from '../cloud/testing';
import type { OutboxRow } from '../renderer/src/db/schema';
import { COUNTERS_KEY } from '../renderer/src/db/settings';
import type { Sale } from '../common/sale';
import { startSyncEngine } from '../renderer/src/sync/engine';
import { queueCounts } from '../renderer/src/sync/outbox';
import { TEST_PRODUCTS, openLaneDb } from '../test/sync/lane';

const SALES = Number(process.env.BENCH_SALES ?? 10_000);
const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 20);
const PER_TERMINAL = Math.ceil(SALES / TERMINALS);

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function serve(db: Database) {
  const app = await buildCloudApp({ db, adminToken: 'bench', allowedOrigins: ['*'] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function drain(db: Database, label: string): Promise<string> {
  const storeId = `bench-drain-${Date.now()}`;
  await createStore(db, { id: storeId, name: 'Bench', profileId: 'us', managerPin: '1111', products: TEST_PRODUCTS });
  const { app, url } = await serve(db);
  const lane = openLaneDb(`bench-lane-${label}-${Date.now()}`);
  const deviceId = 'bench-lane';
  // Queue the sales directly (as after a long outage); the drain is what is measured.
  const sales: Sale[] = Array.from({ length: SALES }, (_, i) => testSale(deviceId, 100 + (i % 900), `bench-sale-${i}`) as Sale);
  const rows: OutboxRow[] = sales.map((payload, i) => ({
    mutationId: i + 1,
    kind: 'sale.completed',
    payload,
    createdAt: payload.completedAt,
    status: 'pending',
    attempts: 0,
  }));
  await lane.transaction('rw', [lane.sales, lane.outbox, lane.settings], async () => {
    await lane.sales.bulkAdd(sales);
    await lane.outbox.bulkAdd(rows);
    await lane.settings.put({ key: COUNTERS_KEY, value: { nextMutationId: SALES + 1, nextReceiptNo: SALES + 1 } });
  });
  const latencies: number[] = [];
  const timedFetch = async (input: string, init: RequestInit): Promise<Response> => {
    const t0 = performance.now();
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    if (input.includes('/v1/push')) latencies.push(performance.now() - t0);
    return new Response(body, { status: res.status, headers: res.headers });
  };
  const started = performance.now();
  const engine = startSyncEngine({
    db: lane,
    cloudUrl: url,
    provisioningCode: await issueProvisioningCode(db, storeId),
    deviceId,
    laneCode: 'L01',
    appVersion: 'bench',
    batchSize: 100,
    idlePollMs: 5,
    heartbeatIntervalMs: 60_000,
    pullIntervalMs: 600_000,
    locks: null,
    fetch: timedFetch,
  });
  for (;;) {
    const c = await queueCounts(lane);
    if (c.pending + c.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  lane.close();
  await lane.delete();
  await app.close();
  const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE store_id = $1', [storeId]);
  if (stored.rows[0]?.n !== SALES) throw new Error(`drain: cloud holds ${stored.rows[0]?.n} of ${SALES}`);
  return `| ${label} | drain, 1 lane, batches of 100 | ${SALES} | ${seconds.toFixed(1)} s | ${Math.round(SALES / seconds)} | ${pct(latencies, 50).toFixed(0)} ms | ${pct(latencies, 95).toFixed(0)} ms |`;
}

async function ingest(db: Database, label: string): Promise<string> {
  const storeId = `bench-ingest-${Date.now()}`;
  await createStore(db, { id: storeId, name: 'Bench', profileId: 'us', managerPin: '1111' });
  const { app, url } = await serve(db);
  const cloud = { db, app, adminToken: 'bench', close: async () => undefined };
  const terminals = await Promise.all(
    Array.from({ length: TERMINALS }, async (_, i) => {
      const t = new TestTerminal(`bench-t${i}`);
      await t.provision(cloud, storeId);
      return t;
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    terminals.map(async (t) => {
      for (let first = 1; first <= PER_TERMINAL; first += 50) {
        const batch = Array.from({ length: Math.min(50, PER_TERMINAL - first + 1) }, (_, k) =>
          mutation(first + k, 'sale.completed', testSale(t.deviceId, 250)),
        );
        const body = JSON.stringify({ protocol: 1, mutations: batch });
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/push`, { method: 'POST', headers: t.headers('POST', '/v1/push', body), body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) throw new Error(`ingest: HTTP ${res.status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  const total = PER_TERMINAL * TERMINALS;
  const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE store_id = $1', [storeId]);
  if (stored.rows[0]?.n !== total) throw new Error(`ingest: cloud holds ${stored.rows[0]?.n} of ${total}`);
  return `| ${label} | ingest, ${TERMINALS} terminals at once, batches of 50 | ${total} | ${seconds.toFixed(1)} s | ${Math.round(total / seconds)} | ${pct(latencies, 50).toFixed(0)} ms | ${pct(latencies, 95).toFixed(0)} ms |`;
}

const lines: string[] = [];
console.log(`bench:sync — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log('| database | scenario | sales | time | sales/s | p50 push | p95 push |');
console.log('|---|---|---|---|---|---|---|');

const dir = mkdtempSync(join(tmpdir(), 'palm-bench-'));
try {
  const pglite = await openDatabase({ dataDir: dir });
  try {
    for (const run of [drain, ingest]) {
      const line = await run(pglite, 'PGlite (embedded, on disk)');
      lines.push(line);
      console.log(line);
    }
  } finally {
    await pglite.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const url = process.env.DATABASE_URL;
if (url) {
  const schema = `bench_${Date.now()}`;
  const pg = await openDatabase({ databaseUrl: url, schema });
  const version = (await pg.query<{ v: string }>('SHOW server_version')).rows[0]?.v ?? '?';
  try {
    for (const run of [drain, ingest]) {
      const line = await run(pg, `PostgreSQL ${version} (local)`);
      lines.push(line);
      console.log(line);
    }
  } finally {
    await pg.close();
    await dropSchema(url, schema);
  }
} else {
  console.log('(PostgreSQL skipped: run `bash test/cloud/with-postgres.sh npm run bench:sync` to include it)');
}
