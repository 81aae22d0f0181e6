import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCloudApp } from '../../cloud/app';
import type { Database } from '../../cloud/db/types';
import { issueProvisioningCode } from '../../cloud/provision';
import { createStore } from '../../cloud/stores';
import { AUTH_HEADERS, SERVER_TIME_HEADER } from '../../common/sync/protocol';
import type { TerminalDatabase } from '../../renderer/src/db/database';
import type { FetchLike } from '../../renderer/src/sync/client';
import { CODE_ATTEMPT_KEY, isSpent } from '../../renderer/src/sync/codes';
import {
  startSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncPhase,
  type SyncState,
} from '../../renderer/src/sync/engine';
import { loadIdentity, storeIdentity } from '../../renderer/src/sync/identity';
import { TEST_PRODUCTS, openLaneDb, openTestCloudDb, ringSale } from './lane';
import { seeded } from './proxy';

/**
 * The engine against the real cloud app, one test per class of answer (docs/sync.md's table):
 * each must be retried and end with every sale in the cloud exactly once and every row synced,
 * or — for a revoked or forgotten lane only — stop, say why, and come back on its own.
 */
const ADMIN = 'engine-retry-tests';
let db: Database;
let cloudUrl: string;
let skewedUrl: string;
let cloudSkewMs = 0;
let closeAll: () => Promise<void>;
let seq = 0;
const running: { engine: SyncEngine; lane: TerminalDatabase }[] = [];

beforeAll(async () => {
  db = await openTestCloudDb();
  // Node's fetch sends no Origin: no CORS origin is needed.
  const app = await buildCloudApp({ db, adminToken: ADMIN, allowedOrigins: [], logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cloudUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // The same cloud (same database) with a clock that runs `cloudSkewMs` ahead of the lane's.
  const skewed = await buildCloudApp({
    db,
    adminToken: ADMIN,
    allowedOrigins: [],
    logger: false,
    now: () => Date.now() + cloudSkewMs,
  });
  await skewed.listen({ port: 0, host: '127.0.0.1' });
  skewedUrl = `http://127.0.0.1:${(skewed.server.address() as AddressInfo).port}`;
  closeAll = async () => {
    for (const a of [app, skewed]) {
      a.server.closeAllConnections();
      await a.close();
    }
    await db.close();
  };
});
afterAll(async () => closeAll?.());
afterEach(async () => {
  cloudSkewMs = 0;
  for (const { engine, lane } of running.splice(0)) {
    await engine.stop();
    lane.close();
    await lane.delete();
  }
});

async function newStore(): Promise<string> {
  const id = `retry-${++seq}`;
  await createStore(db, {
    id,
    name: `Retry store ${seq}`,
    profileId: 'us',
    products: TEST_PRODUCTS,
  });
  return id;
}

const laneName = () => `retry-lane-${seq}-${running.length}`;

function start(over: Partial<SyncEngineOptions> & { db: TerminalDatabase }) {
  const engine = startSyncEngine({
    cloudUrl,
    deviceId: `dev-${over.db.name}`,
    laneCode: 'L03',
    appVersion: 'retry-test',
    requestTimeoutMs: 1_000,
    idlePollMs: 10,
    pullIntervalMs: 100,
    heartbeatIntervalMs: 20,
    backoff: { baseMs: 5, maxMs: 40 },
    locks: null,
    ...over,
  });
  running.push({ engine, lane: over.db });
  return engine;
}

async function until(
  engine: SyncEngine,
  pred: (s: SyncState) => boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred(engine.state$.get())) {
    const s = engine.state$.get();
    if (Date.now() > deadline) throw new Error(`timed out in phase ${s.phase}: ${s.lastError}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const drained = (n: number) => (s: SyncState) =>
  s.phase === 'idle' && s.pending + s.inFlight === 0 && s.synced >= n;

/** Records every phase the engine passes through. */
function phases(engine: SyncEngine): Set<SyncPhase> {
  const seen = new Set<SyncPhase>([engine.state$.get().phase]);
  engine.state$.subscribe((s) => seen.add(s.phase));
  return seen;
}

async function cloudSales(storeId: string): Promise<{ sales: number; counted: number }> {
  const sales = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sales WHERE store_id = $1',
    [storeId],
  );
  const counted = await db.query<{ n: number }>(
    'SELECT COALESCE(sum(sales_count), 0)::int AS n FROM store_daily_totals WHERE store_id = $1',
    [storeId],
  );
  return { sales: sales.rows[0]!.n, counted: counted.rows[0]!.n };
}

const isPush = (input: string, init: RequestInit) =>
  input.endsWith('/v1/push') && typeof init.body === 'string' && init.body.includes('"mutationId"');

/** A lane provisioned and idle, with `n` sales rung up after that (not yet pushed). */
async function laneWithSales(
  n: number,
  over: Partial<SyncEngineOptions> = {},
): Promise<{ engine: SyncEngine; lane: TerminalDatabase; storeId: string; deviceId: string }> {
  const storeId = await newStore();
  const lane = openLaneDb(laneName());
  const engine = start({
    db: lane,
    provisioningCode: await issueProvisioningCode(db, storeId),
    ...over,
  });
  await until(engine, (s) => s.phase === 'idle');
  const deviceId = `dev-${lane.name}`;
  const rand = seeded(seq);
  for (let i = 0; i < n; i++) await ringSale(lane, deviceId, i, rand);
  engine.nudge();
  return { engine, lane, storeId, deviceId };
}

/** Cuts a response's body halfway: headers arrive, reading the body fails (as a dropped link does). */
async function cutBody(res: Response): Promise<Response> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.subarray(0, bytes.length >> 1));
      c.error(new TypeError('terminated'));
    },
  });
  return new Response(body, { status: res.status, headers: res.headers });
}

describe('a copy of a request the cloud already took', () => {
  it('Chromium re-sends a committed push with the same nonce: the replay refusal is retried and the push confirmed', async () => {
    const nonces: string[] = [];
    let copied = 0;
    // What Chromium did at the proxy: the answer to a committed push is lost, the browser sends
    // the identical request again (same nonce), and hands the page the second answer.
    const chromiumLike: FetchLike = async (input, init) => {
      const headers = init.headers as Record<string, string>;
      if (headers[AUTH_HEADERS.nonce]) nonces.push(headers[AUTH_HEADERS.nonce]!);
      const first = await fetch(input, init);
      if (copied < 3 && isPush(input, init)) {
        copied += 1;
        await first.arrayBuffer(); // committed; the answer is lost
        return fetch(input, init); // the identical copy: 401 AUTH_REPLAYED
      }
      return first;
    };
    const { engine, lane, storeId } = await laneWithSales(3, {
      fetch: chromiumLike,
      batchSize: 1,
    });
    const seen = phases(engine);
    await until(engine, drained(3));
    expect(copied).toBe(3);
    expect(await cloudSales(storeId)).toEqual({ sales: 3, counted: 3 });
    expect((await lane.outbox.toArray()).map((r) => r.status)).toEqual([
      'synced',
      'synced',
      'synced',
    ]);
    expect([...seen].filter((p) => ['revoked', 'unknown-terminal', 'stalled'].includes(p))).toEqual(
      [],
    );
    // Every attempt the engine made was signed afresh: no nonce of its own was ever sent twice.
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

describe('a lane whose clock is off', () => {
  it('signs with the offset learned from the cloud’s answers (x-palm-time) and never stops', async () => {
    cloudSkewMs = 20 * 60_000; // the cloud is 20 minutes ahead: every plain timestamp is refused
    const refusals: string[] = [];
    const watching: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401)
        refusals.push(((await res.clone().json()) as { error: string }).error);
      return res;
    };
    const { engine, storeId } = await laneWithSales(2, { cloudUrl: skewedUrl, fetch: watching });
    await until(engine, drained(2));
    expect(await cloudSales(storeId)).toEqual({ sales: 2, counted: 2 });
    // At most the very first signed request was refused: its answer carried the cloud's time.
    expect(refusals.length).toBeLessThanOrEqual(1);
    expect(refusals.every((r) => r === 'AUTH_EXPIRED')).toBe(true);

    // The cloud's clock jumps while the lane runs: the next answers correct the offset again,
    // and the lane's next sale is stamped with the store's time (a sale dated 35 minutes in the
    // cloud's future would be refused for good).
    cloudSkewMs = -15 * 60_000;
    await engine.syncNow();
    const lane = running.at(-1)!.lane;
    const rung = await ringSale(lane, `dev-${lane.name}`, 10, seeded(99));
    const sale = (await lane.sales.get(rung.id))!;
    expect(Math.abs(Date.parse(sale.completedAt) - (Date.now() + cloudSkewMs))).toBeLessThan(
      60_000,
    );
    engine.nudge();
    await until(engine, drained(3));
    expect(await cloudSales(storeId)).toEqual({ sales: 3, counted: 3 });
  });

  it('takes the cloud’s time from an AUTH_EXPIRED body when the header is not readable', async () => {
    cloudSkewMs = -30 * 60_000;
    // An older cloud, or a proxy that drops headers it does not know.
    const noHeader: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.delete(SERVER_TIME_HEADER);
      return new Response(await res.arrayBuffer(), { status: res.status, headers });
    };
    const { engine, storeId } = await laneWithSales(1, { cloudUrl: skewedUrl, fetch: noHeader });
    await until(engine, drained(1));
    expect(await cloudSales(storeId)).toEqual({ sales: 1, counted: 1 });
  });
});

type Fault = (input: string, init: RequestInit) => Promise<Response>;
const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  Promise.resolve(new Response(body, { status, headers }));

const FAULTS: [string, Fault][] = [
  [
    '408 from a gateway',
    () => answer(408, '<html>timeout</html>', { 'content-type': 'text/html' }),
  ],
  [
    '429 with Retry-After',
    () => answer(429, '{"error":"RATE_LIMITED","message":"slow down"}', { 'retry-after': '0' }),
  ],
  [
    '500 from the cloud',
    () => answer(500, '{"error":"INTERNAL","message":"The cloud failed; try again"}'),
  ],
  ['502 from a gateway, HTML', () => answer(502, '<html>Bad gateway</html>')],
  ['503, HTML', () => answer(503, '<html>down for maintenance</html>')],
  ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
  ['a request cut before the cloud', () => Promise.reject(new TypeError('socket hang up'))],
  [
    'a 200 whose body is cut after the cloud committed',
    async (input, init) => cutBody(await fetch(input, init)),
  ],
  [
    'an answer lost after the cloud committed',
    async (input, init) => {
      await (await fetch(input, init)).arrayBuffer();
      throw new TypeError('network connection was lost');
    },
  ],
  ['an unreadable 200', () => answer(200, '<html>captive portal</html>')],
  ['an empty 200', () => answer(200, '')],
  [
    '401 from a middlebox that stripped the auth headers',
    () => answer(401, '{"error":"AUTH_MISSING","message":"Missing x-palm-nonce header"}'),
  ],
  [
    '404 from a misrouted gateway',
    () => answer(404, '{"error":"NOT_FOUND","message":"No such endpoint"}'),
  ],
];

describe('each retry class: retried with backoff, never a stop, then confirmed', () => {
  it.each(FAULTS)('%s', async (_name, fault) => {
    let faulted = 0;
    const faulty: FetchLike = (input, init) => {
      if (isPush(input, init) && faulted < 3) {
        faulted += 1;
        return fault(input, init);
      }
      return fetch(input, init);
    };
    const { engine, lane, storeId } = await laneWithSales(2, { fetch: faulty });
    const seen = phases(engine);
    let failureCount = 0;
    engine.state$.subscribe((s) => (failureCount = Math.max(failureCount, s.consecutiveFailures)));
    await until(engine, drained(2));
    expect(faulted).toBe(3);
    expect(failureCount).toBeGreaterThanOrEqual(1);
    expect(seen.has('backoff')).toBe(true);
    expect([...seen].filter((p) => ['revoked', 'unknown-terminal', 'stalled'].includes(p))).toEqual(
      [],
    );
    expect(await cloudSales(storeId)).toEqual({ sales: 2, counted: 2 });
    expect((await lane.outbox.toArray()).every((r) => r.status === 'synced')).toBe(true);
  });
});

describe('a revoked lane', () => {
  it('stops with the reason, keeps its sales pending and counted, then resumes on its own once reinstated', async () => {
    let requests = 0;
    const counting: FetchLike = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const { engine, lane, storeId, deviceId } = await laneWithSales(0, {
      fetch: counting,
      haltedRecheckMs: 400,
    });
    const identity = (await loadIdentity(lane))!;
    const admin = (what: 'revoke' | 'reinstate') =>
      fetch(`${cloudUrl}/v1/admin/terminals/${identity.terminalId}/${what}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}` },
      }).then((r) => r.json());
    expect(await admin('revoke')).toEqual({ revoked: true });
    const rand = seeded(7);
    await ringSale(lane, deviceId, 0, rand);
    engine.nudge();
    await until(engine, (s) => s.phase === 'revoked');
    expect(engine.state$.get().lastError).toContain('TERMINAL_REVOKED');
    expect(engine.state$.get().nextAttemptAt).not.toBeNull();
    // Nothing stays in flight across a stop; every unsynced sale is on the badge, new ones too.
    expect((await lane.outbox.toArray()).map((r) => r.status)).toEqual(['pending']);
    for (let i = 1; i < 4; i++) await ringSale(lane, deviceId, i, rand);
    await until(engine, (s) => s.pending + s.inFlight === 4, 2_000); // no nudge: counted live
    // No retry storm: fifty nudges send nothing beyond the slow re-checks that fell due meanwhile
    // (each at most a few requests). Bounded by the time that passed, not by a fixed window, so a
    // loaded machine cannot make it flaky; a storm would send at least one request a nudge.
    const before = requests;
    const startedAt = Date.now();
    for (let i = 0; i < 50; i++) {
      engine.nudge();
      await new Promise((r) => setTimeout(r, 2));
    }
    const rechecks = Math.floor((Date.now() - startedAt) / 400) + 1;
    expect(requests - before).toBeLessThanOrEqual(rechecks * 3);
    expect(requests - before).toBeLessThan(50);
    expect(engine.state$.get().phase).toBe('revoked');
    // Still revoked at the next re-check: it asks again, and stays stopped.
    const asked = requests;
    const deadline = Date.now() + 10_000;
    while (requests === asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(requests).toBeGreaterThan(asked);
    await until(engine, (st) => st.phase === 'revoked');
    expect((await lane.outbox.toArray()).every((r) => r.status === 'pending')).toBe(true);

    expect(await admin('reinstate')).toEqual({ reinstated: true });
    await until(engine, drained(4)); // no reload, no "Sync now"
    expect(await cloudSales(storeId)).toEqual({ sales: 4, counted: 4 });
    expect((await loadIdentity(lane))!.terminalId).toBe(identity.terminalId);
  });
});

describe('a lane the cloud does not know, and its provisioning codes', () => {
  it('stops as unknown; the host’s spent code is never sent again; a fresh one reconnects it', async () => {
    let provisions = 0;
    const counting: FetchLike = (input, init) => {
      if (input.endsWith('/v1/provision')) provisions += 1;
      return fetch(input, init);
    };
    const storeId = await newStore();
    const name = laneName();
    const code = await issueProvisioningCode(db, storeId);
    let lane = openLaneDb(name);
    let engine = start({ db: lane, provisioningCode: code, fetch: counting });
    await until(engine, (s) => s.phase === 'idle');
    expect(provisions).toBe(1);
    expect(await isSpent(lane, code)).toBe(true);
    const deviceId = `dev-${lane.name}`;
    await ringSale(lane, deviceId, 0, seeded(11));
    // The cloud is restored from a backup that predates this lane: it does not know its id.
    const identity = (await loadIdentity(lane))!;
    await storeIdentity(lane, { ...identity, terminalId: crypto.randomUUID() });
    // A reload: the host hands over the same (spent) code again.
    await engine.stop();
    running.pop();
    lane.close();
    lane = openLaneDb(name);
    engine = start({ db: lane, provisioningCode: code, fetch: counting, haltedRecheckMs: 60_000 });
    await until(engine, (s) => s.phase === 'unknown-terminal');
    expect(engine.state$.get().lastError).toContain('AUTH_BAD_SIGNATURE');
    await new Promise((r) => setTimeout(r, 100));
    expect(provisions).toBe(1); // the spent code was not sent again
    expect(engine.state$.get().pending).toBe(1);

    // The launcher restarts with a fresh code (or a manager types one): the lane reconnects.
    await engine.stop();
    running.pop();
    lane.close();
    lane = openLaneDb(name);
    engine = start({
      db: lane,
      provisioningCode: await issueProvisioningCode(db, storeId),
      fetch: counting,
    });
    await until(engine, drained(1));
    expect(provisions).toBe(2);
    expect((await loadIdentity(lane))!.terminalId).not.toBe(identity.terminalId);
    expect(await cloudSales(storeId)).toEqual({ sales: 1, counted: 1 });
  });

  it('a refused code is dropped after one use and the lane waits for a manager', async () => {
    let provisions = 0;
    const counting: FetchLike = (input, init) => {
      if (input.endsWith('/v1/provision')) provisions += 1;
      return fetch(input, init);
    };
    const name = laneName();
    const lane = openLaneDb(name);
    const engine = start({ db: lane, provisioningCode: 'AAAA-BBBB-CCCC', fetch: counting });
    await until(engine, (s) => s.phase === 'unprovisioned' && s.lastError !== null);
    expect(engine.state$.get().lastError).toContain('unknown, used or expired');
    expect(await isSpent(lane, 'aaaa-bbbb-cccc')).toBe(true);
    engine.nudge();
    await engine.syncNow();
    expect(provisions).toBe(1);
    // A manager's code still works.
    const storeId = await newStore();
    await engine.provision(await issueProvisioningCode(db, storeId));
    await until(engine, (s) => s.phase === 'idle');
    await expect(engine.provision('AAAA-BBBB-CCCC')).rejects.toThrow(/already used on this lane/);
    expect(provisions).toBe(2);
  });
});

describe('a provisioning answer lost after the cloud used the code', () => {
  it('the next attempt presents the same key, gets the same terminal, and nothing counts as a wrong code', async () => {
    const storeId = await newStore();
    const code = await issueProvisioningCode(db, storeId);
    const keys: string[] = [];
    let dropped = 0;
    const losing: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      if (input.endsWith('/v1/provision')) {
        keys.push(JSON.parse(String(init.body)).publicKey.x as string);
        // The cloud made the terminal; its answer never reaches the lane (twice).
        if (dropped++ < 2) throw new TypeError('network error');
      }
      return res;
    };
    const lane = openLaneDb(laneName());
    const engine = start({ db: lane, provisioningCode: code, fetch: losing });
    await until(engine, (s) => s.phase === 'idle');
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    const made = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM terminals WHERE store_id = $1',
      [storeId],
    );
    expect(made.rows[0]!.n).toBe(1);
    expect((await loadIdentity(lane))?.storeId).toBe(storeId);
    expect(await lane.settings.get(CODE_ATTEMPT_KEY)).toBeUndefined();
  });
});

describe('nothing stays in flight', () => {
  it('across a stop mid-request, and across a reload that left rows in flight', async () => {
    const hang: FetchLike = (input, init) =>
      isPush(input, init)
        ? new Promise((_, reject) =>
            init.signal?.addEventListener('abort', () =>
              reject(new DOMException('aborted', 'AbortError')),
            ),
          )
        : fetch(input, init);
    const { engine, lane, storeId } = await laneWithSales(2, {
      fetch: hang,
      requestTimeoutMs: 60_000,
    });
    await until(engine, (s) => s.inFlight === 2);
    await engine.stop();
    running.pop();
    expect((await lane.outbox.toArray()).map((r) => r.status)).toEqual(['pending', 'pending']);
    // A crash leaves rows in flight (the page died mid-request): the next engine releases them.
    await lane.outbox.toCollection().modify({ status: 'in-flight' });
    const again = start({ db: lane });
    await until(again, drained(2));
    expect(await cloudSales(storeId)).toEqual({ sales: 2, counted: 2 });
  });
});
