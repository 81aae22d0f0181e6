import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCloudApp } from '../../cloud/app';
import type { Database } from '../../cloud/db/types';
import { issueProvisioningCode } from '../../cloud/provision';
import { createStore } from '../../cloud/stores';
import type { TerminalDatabase } from '../../renderer/src/db/database';
import {
  startSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
} from '../../renderer/src/sync/engine';
import { loadIdentity } from '../../renderer/src/sync/identity';
import { queueCounts } from '../../renderer/src/sync/outbox';
import { TEST_PRODUCTS, openLaneDb, openTestCloudDb, ringSale } from './lane';
import { faultPicker, seeded, startFaultProxy, type FaultKind } from './proxy';

/**
 * The fault-injection suite: many seeded runs, each one lane ringing up SALES sales while its
 * sync engine pushes them through a proxy that drops requests, drops answers after the cloud has
 * committed, delays, answers 500 and 503, cuts bodies halfway and sometimes never answers; the
 * lane is also "reloaded" (engine stopped mid-request, database reopened) at random moments.
 * After each run the cloud must hold every completed sale exactly once (rows, tender rows and the
 * running daily totals) and the lane's outbox must be empty.
 *
 * SYNC_FAULT_RUNS and SYNC_FAULT_SEED override the run count and the first seed (to replay one).
 */
const RUNS = Number(process.env.SYNC_FAULT_RUNS ?? 200);
const FIRST_SEED = Number(process.env.SYNC_FAULT_SEED ?? 1);
const SALES = 50;
const PARALLEL = 4;
const RUN_DEADLINE_MS = 60_000;

let db: Database;
let cloudUrl: string;
let closeCloud: () => Promise<void>;

beforeAll(async () => {
  db = await openTestCloudDb();
  const app = await buildCloudApp({
    db,
    adminToken: 'fault-suite',
    allowedOrigins: [],
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cloudUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  closeCloud = async () => {
    // Drop keep-alive sockets first: a loaded machine must not leave close() waiting on them.
    app.server.closeAllConnections();
    await app.close();
    await db.close();
  };
});
afterAll(async () => closeCloud?.());

interface RunResult {
  readonly seed: number;
  readonly requests: Record<FaultKind, number>;
  readonly reloads: number;
  readonly reprovisions: number;
  readonly ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function oneRun(seed: number): Promise<RunResult> {
  const started = Date.now();
  const rand = seeded(seed);
  const storeId = `fault-${seed}`;
  const deviceId = `lane-${seed}`;
  await createStore(db, {
    id: storeId,
    name: `Fault store ${seed}`,
    profileId: 'us',
    products: TEST_PRODUCTS,
  });
  const proxy = await startFaultProxy(cloudUrl, faultPicker(seeded(seed * 7919)));
  const dbName = `fault-lane-${seed}`;
  let lane: TerminalDatabase = openLaneDb(dbName);
  let reloads = 0;
  let reprovisions = 0;
  const options = (code: string | null): SyncEngineOptions => ({
    db: lane,
    cloudUrl: proxy.url,
    provisioningCode: code,
    deviceId,
    laneCode: 'L01',
    appVersion: 'fault-suite',
    batchSize: 1 + Math.floor(rand() * 20),
    requestTimeoutMs: 250,
    idlePollMs: 5,
    pullIntervalMs: 200,
    heartbeatIntervalMs: 50,
    backoff: { baseMs: 2, maxMs: 40 },
    syncedRetentionMs: 0,
    locks: null,
    random: rand,
  });
  let engine: SyncEngine = startSyncEngine(options(await issueProvisioningCode(db, storeId)));

  const reload = async (): Promise<void> => {
    await engine.stop(); // aborts the request in flight, as a page unload does
    lane.close();
    lane = openLaneDb(dbName);
    engine = startSyncEngine(options(null));
    reloads += 1;
  };
  /** A provisioning answer can be lost after the cloud used the code: the manager types a new one. */
  const ensureProvisioned = async (): Promise<void> => {
    if (engine.state$.get().phase === 'unprovisioned' && !(await loadIdentity(lane))) {
      reprovisions += 1;
      await engine.provision(await issueProvisioningCode(db, storeId)).catch(() => undefined);
    }
  };

  const local: { id: string; total: number }[] = [];
  try {
    const reloadAt = new Set([Math.floor(rand() * SALES), Math.floor(rand() * SALES)]);
    for (let n = 0; n < SALES; n++) {
      local.push(await ringSale(lane, deviceId, n, rand));
      engine.nudge();
      if (reloadAt.has(n) || rand() < 0.02) await reload();
      if (rand() < 0.3) await sleep(Math.floor(rand() * 4));
      await ensureProvisioned();
    }
    // Drain, reloading once more mid-drain.
    let drainReloaded = false;
    for (;;) {
      if (Date.now() - started > RUN_DEADLINE_MS) {
        const s = engine.state$.get();
        throw new Error(
          `seed ${seed}: outbox not empty in time (phase ${s.phase}, pending ${s.pending}, in flight ${s.inFlight}, ` +
            `rejected ${s.rejected}, synced ${s.synced}, last error ${s.lastError})`,
        );
      }
      await ensureProvisioned();
      const counts = await queueCounts(lane);
      const unsent = counts.pending + counts.inFlight;
      // Done when the outbox is empty: all acknowledged, and pruned by a later successful cycle
      // (a rejected row would stay, and the run would fail on its deadline).
      if (unsent === 0 && (await lane.outbox.count()) === 0) break;
      if (!drainReloaded && unsent < SALES / 2 && rand() < 0.5) {
        drainReloaded = true;
        await reload();
      }
      await sleep(5);
    }
    await engine.stop();

    // The cloud holds every completed sale exactly once…
    const identity = (await loadIdentity(lane))!;
    const sales = await db.query<{ id: string; total: number }>(
      'SELECT id, total FROM sales WHERE store_id = $1 ORDER BY id',
      [storeId],
    );
    expect(sales.rows.map((r) => r.id).sort(), `seed ${seed}`).toEqual(
      local.map((s) => s.id).sort(),
    );
    const byId = new Map(sales.rows.map((r) => [r.id, r.total]));
    for (const s of local) expect(byId.get(s.id), `seed ${seed} sale ${s.id}`).toBe(s.total);
    const tenders = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sale_tenders WHERE store_id = $1',
      [storeId],
    );
    expect(tenders.rows[0]?.n, `seed ${seed}`).toBe(SALES);
    const totals = await db.query<{ count: number; gross: number }>(
      'SELECT COALESCE(sum(sales_count), 0)::int AS count, COALESCE(sum(gross), 0)::bigint AS gross FROM store_daily_totals WHERE store_id = $1',
      [storeId],
    );
    expect(totals.rows[0], `seed ${seed}`).toEqual({
      count: SALES,
      gross: local.reduce((n, s) => n + s.total, 0),
    });
    const processed = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM mutations WHERE store_id = $1 GROUP BY status',
      [storeId],
    );
    expect(processed.rows, `seed ${seed}`).toEqual([{ status: 'applied', n: SALES }]);
    expect(identity.storeId).toBe(storeId);
    // …and the lane's outbox ended empty (the drain loop above waits for exactly that).
    expect(await lane.outbox.count(), `seed ${seed}`).toBe(0);
    // The catalog came down through the same faults.
    expect((await lane.catalog.toArray()).map((p) => p.id).sort(), `seed ${seed}`).toEqual(
      TEST_PRODUCTS.map((p) => p.id).sort(),
    );
  } finally {
    await engine.stop();
    lane.close();
    await proxy.close();
    await lane.delete().catch(() => undefined);
  }
  return { seed, requests: { ...proxy.counts }, reloads, reprovisions, ms: Date.now() - started };
}

describe('sync under injected faults', () => {
  it(`${RUNS} seeded runs of ${SALES} sales: every sale in the cloud exactly once, every outbox empty`, async () => {
    const started = Date.now();
    const results: RunResult[] = [];
    const seeds = Array.from({ length: RUNS }, (_, i) => FIRST_SEED + i);
    const workers = Array.from({ length: Math.min(PARALLEL, RUNS) }, async () => {
      for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift())
        results.push(await oneRun(seed));
    });
    await Promise.all(workers);

    const requests = {} as Record<FaultKind, number>;
    for (const r of results) {
      for (const [k, v] of Object.entries(r.requests) as [FaultKind, number][])
        requests[k] = (requests[k] ?? 0) + v;
    }
    const totalRequests = Object.values(requests).reduce((a, b) => a + b, 0);
    const faulted = totalRequests - requests.pass;
    const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      [
        `sync fault injection: ${results.length} runs × ${SALES} sales = ${results.length * SALES} sales, each in the cloud exactly once; every outbox empty`,
        `  requests: ${totalRequests} (${faulted} faulted, ${((100 * faulted) / totalRequests).toFixed(1)} %): ` +
          Object.entries(requests)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        `  reloads mid-drain: ${results.reduce((n, r) => n + r.reloads, 0)}; provisioning answers lost and re-issued: ${results.reduce((n, r) => n + r.reprovisions, 0)}`,
        `  wall time ${((Date.now() - started) / 1000).toFixed(1)} s (${PARALLEL} lanes at a time); slowest run seed ${slowest.seed}: ${slowest.ms} ms`,
      ].join('\n'),
    );
    expect(results).toHaveLength(RUNS);
    expect(faulted).toBeGreaterThan(totalRequests * 0.3);
  });
});
