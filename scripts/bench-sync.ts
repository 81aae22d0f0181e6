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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvisionResponse } from '../common/sync/protocol';
import type { Sale } from '../common/sale';
import { TestTerminal, mutation, testSale } from '../cloud/testing';
import type { OutboxRow } from '../renderer/src/db/schema';
import { COUNTERS_KEY } from '../renderer/src/db/settings';
import { startSyncEngine } from '../renderer/src/sync/engine';
import { loadSyncState } from '../renderer/src/sync/outbox';
import { TEST_PRODUCTS, openLaneDb } from '../test/sync/lane';

const SALES = Number(process.env.BENCH_SALES ?? 10_000);
const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 20);
const PER_TERMINAL = Math.ceil(SALES / TERMINALS);

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const ADMIN = 'bench-admin-token';

interface Cloud {
  readonly url: string;
  readonly child: ChildProcess;
}

/**
 * The cloud runs in its own process (`npm run cloud`'s entry point), as in production, so the
 * lane's fake-indexeddb work does not stall the server's event loop and skew its latencies.
 */
async function startCloud(env: Record<string, string | undefined>): Promise<Cloud> {
  const merged: NodeJS.ProcessEnv = { ...process.env, PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'cloud/main.ts'], {
    env: merged,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`cloud exited with ${code}: ${out}`)));
  });
  return { url, child };
}

async function stopCloud(c: Cloud): Promise<void> {
  const exited = new Promise((r) => c.child.once('exit', r));
  c.child.kill('SIGTERM');
  await exited;
}

async function admin<T>(c: Cloud, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function newStore(c: Cloud, id: string): Promise<void> {
  await admin(c, 'POST', '/v1/admin/stores', {
    id,
    name: 'Bench',
    profileId: 'us',
  });
  await admin(c, 'PUT', `/v1/admin/stores/${id}/catalog`, { upserts: TEST_PRODUCTS });
}

const code = async (c: Cloud, storeId: string): Promise<string> =>
  (await admin<{ code: string }>(c, 'POST', `/v1/admin/stores/${storeId}/provisioning-codes`)).code;

async function cloudSalesToday(c: Cloud, storeId: string): Promise<number> {
  const o = await admin<{ today: { salesCount: number }[] }>(
    c,
    'GET',
    `/v1/admin/stores/${storeId}/overview`,
  );
  return o.today.reduce((n, t) => n + t.salesCount, 0);
}

async function drain(c: Cloud, label: string): Promise<string> {
  const storeId = `bench-drain-${Date.now()}`;
  await newStore(c, storeId);
  const url = c.url;
  const lane = openLaneDb(`bench-lane-${label}-${Date.now()}`);
  const deviceId = 'bench-lane';
  // Queue the sales directly (as after a long outage); the drain is what is measured.
  const sales: Sale[] = Array.from(
    { length: SALES },
    (_, i) => testSale(deviceId, 100 + (i % 900), `bench-sale-${i}`) as Sale,
  );
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
    await lane.settings.put({
      key: COUNTERS_KEY,
      value: { nextMutationId: SALES + 1, nextReceiptNo: SALES + 1 },
    });
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
    provisioningCode: await code(c, storeId),
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
  // Done when the cloud has acknowledged the last mutation (a cheap read, unlike counting).
  while ((await loadSyncState(lane)).lastAckedMutationId < SALES)
    await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  lane.close();
  await lane.delete();
  const stored = await cloudSalesToday(c, storeId);
  if (stored !== SALES) throw new Error(`drain: cloud holds ${stored} of ${SALES}`);
  return `| ${label} | drain, 1 lane, batches of 100 | ${SALES} | ${seconds.toFixed(1)} s | ${Math.round(SALES / seconds)} | ${pct(latencies, 50).toFixed(0)} ms | ${pct(latencies, 95).toFixed(0)} ms |`;
}

async function ingest(c: Cloud, label: string): Promise<string> {
  const storeId = `bench-ingest-${Date.now()}`;
  await newStore(c, storeId);
  const url = c.url;
  const terminals: TestTerminal[] = [];
  for (let i = 0; i < TERMINALS; i++) {
    const t = new TestTerminal(`bench-t${i}`);
    const res = await fetch(`${url}/v1/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: await code(c, storeId),
        deviceId: t.deviceId,
        laneCode: `L${i}`,
        appVersion: 'bench',
        publicKey: t.publicJwk,
      }),
    });
    t.identity = (await res.json()) as ProvisionResponse;
    terminals.push(t);
  }
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
        const res = await fetch(`${url}/v1/push`, {
          method: 'POST',
          headers: t.headers('POST', '/v1/push', body),
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) throw new Error(`ingest: HTTP ${res.status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = PER_TERMINAL * TERMINALS;
  const stored = await cloudSalesToday(c, storeId);
  if (stored !== total) throw new Error(`ingest: cloud holds ${stored} of ${total}`);
  return `| ${label} | ingest, ${TERMINALS} terminals at once, batches of 50 | ${total} | ${seconds.toFixed(1)} s | ${Math.round(total / seconds)} | ${pct(latencies, 50).toFixed(0)} ms | ${pct(latencies, 95).toFixed(0)} ms |`;
}

console.log(
  `bench:sync — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
);
console.log('| database | scenario | sales | time | sales/s | p50 push | p95 push |');
console.log('|---|---|---|---|---|---|---|');

const dir = mkdtempSync(join(tmpdir(), 'palm-bench-'));
const databaseUrl = process.env.DATABASE_URL;
try {
  const targets: [string, Record<string, string | undefined>][] = [
    ['PGlite (embedded, on disk)', { DATABASE_URL: undefined, CLOUD_DATA_DIR: dir }],
  ];
  if (databaseUrl) targets.push(['PostgreSQL (local)', { DATABASE_URL: databaseUrl }]);
  for (const [label, env] of targets) {
    const cloud = await startCloud(env);
    try {
      for (const run of [drain, ingest]) console.log(await run(cloud, label));
    } finally {
      await stopCloud(cloud);
    }
  }
  if (!databaseUrl)
    console.log(
      '(PostgreSQL skipped: run `bash test/cloud/with-postgres.sh npm run bench:sync` to include it)',
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
