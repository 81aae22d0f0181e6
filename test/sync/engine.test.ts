import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCloudApp } from '../../cloud/app';
import type { Database } from '../../cloud/db/types';
import { issueProvisioningCode } from '../../cloud/provision';
import { approveShardRecipient } from '../../cloud/shard-approval';
import { changeCatalog, changeSettings, createStore } from '../../cloud/stores';
import type { TerminalDatabase } from '../../renderer/src/db/database';
import {
  startSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncPhase,
} from '../../renderer/src/sync/engine';
import { loadIdentity } from '../../renderer/src/sync/identity';
import { STORE_SETTINGS_KEY } from '../../renderer/src/sync/pull';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { ShardRecord } from '../../common/shard/format';
import type { ShardFeed } from '../../common/sync/protocol';
import {
  buildShardPart,
  generateTransformKey,
  generateShardKey,
  generateSigningKeyPair,
  hashPhoneLast4,
} from '../../cloud/shard/builder';
import { publishShardPart, shardRecipients } from '../../cloud/shard-feed';
import { ShardDatabase } from '../../renderer/src/shard/shard-db';
import { loadShard } from '../../renderer/src/matcher/shard-loader';
import { SHARD_FEED_KEY } from '../../renderer/src/shard/feed';
import { TEST_PRODUCTS, openLaneDb, openTestCloudDb, ringSale } from './lane';
import { seeded } from './proxy';

/** The store's template transform the shards here are built under. */
const TRANSFORM = generateTransformKey(1);

/** The sync engine's behaviour beyond "drains under faults": auth stops, locks, offline, pull. */
let db: Database;
let cloudUrl: string;
let close: () => Promise<void>;
let storeSeq = 0;
const running: { engine: SyncEngine; lane: TerminalDatabase }[] = [];

beforeAll(async () => {
  db = await openTestCloudDb();
  const app = await buildCloudApp({
    db,
    adminToken: 'engine-tests',
    allowedOrigins: [],
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cloudUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  close = async () => {
    // Drop keep-alive sockets first: a loaded machine must not leave close() waiting on them.
    app.server.closeAllConnections();
    await app.close();
    await db.close();
  };
});
afterAll(async () => close?.());
afterEach(async () => {
  for (const { engine, lane } of running.splice(0)) {
    await engine.stop();
    lane.close();
    await lane.delete();
  }
});

async function newStore(): Promise<string> {
  const id = `engine-${++storeSeq}`;
  await createStore(db, {
    id,
    name: `Engine store ${storeSeq}`,
    profileId: 'us',
    products: TEST_PRODUCTS,
  });
  return id;
}

async function start(
  storeId: string | null,
  over: Partial<SyncEngineOptions> = {},
  laneName = `engine-lane-${storeSeq}-${running.length}`,
) {
  const lane = over.db ?? openLaneDb(laneName);
  const engine = startSyncEngine({
    db: lane,
    cloudUrl,
    provisioningCode: storeId ? await issueProvisioningCode(db, storeId) : null,
    deviceId: `dev-${laneName}`,
    laneCode: 'L02',
    appVersion: 'engine-test',
    requestTimeoutMs: 2_000,
    idlePollMs: 10,
    pullIntervalMs: 100,
    heartbeatIntervalMs: 20,
    backoff: { baseMs: 5, maxMs: 50 },
    syncedRetentionMs: 60_000,
    locks: null,
    ...over,
  });
  running.push({ engine, lane });
  return { engine, lane, deviceId: `dev-${laneName}` };
}

async function until(
  engine: SyncEngine,
  pred: (s: ReturnType<SyncEngine['state$']['get']>) => boolean,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred(engine.state$.get())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out in phase ${engine.state$.get().phase}: ${engine.state$.get().lastError}`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
}

const idleAndEmpty = (s: { phase: SyncPhase; pending: number; inFlight: number }) =>
  s.phase === 'idle' && s.pending + s.inFlight === 0;

describe('sync engine', () => {
  it('provisions with a non-extractable key, drains, and shows synced rows', async () => {
    const storeId = await newStore();
    const { engine, lane, deviceId } = await start(storeId);
    const rand = seeded(1);
    for (let n = 0; n < 5; n++) await ringSale(lane, deviceId, n, rand);
    engine.nudge();
    await until(engine, (s) => idleAndEmpty(s) && s.synced === 5);
    const identity = (await loadIdentity(lane))!;
    expect(identity.storeId).toBe(storeId);
    expect(identity.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', identity.privateKey)).rejects.toThrow();
    const lane2 = await db.query<{ queue_depth: number; app_version: string }>(
      'SELECT queue_depth, app_version FROM lane_status WHERE terminal_id = $1',
      [identity.terminalId],
    );
    expect(lane2.rows[0]?.app_version).toBe('engine-test');
    expect(engine.state$.get().lastSyncAt).not.toBeNull();
  });

  it('stops when the store revokes the lane, says why, and sends nothing more until the re-check', async () => {
    const storeId = await newStore();
    let requests = 0;
    const countingFetch = (input: string, init: RequestInit) => {
      requests += 1;
      return fetch(input, init);
    };
    const { engine, lane, deviceId } = await start(storeId, { fetch: countingFetch });
    await until(engine, (s) => s.phase === 'idle');
    const identity = (await loadIdentity(lane))!;
    await db.query('UPDATE terminals SET revoked_at = now() WHERE id = $1', [identity.terminalId]);
    await ringSale(lane, deviceId, 0, seeded(2));
    engine.nudge();
    await until(engine, (s) => s.phase === 'revoked');
    expect(engine.state$.get().lastError).toContain('TERMINAL_REVOKED');
    const after = requests;
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toBe(after); // no retry storm against a cloud that said no
    expect(engine.state$.get().pending + engine.state$.get().inFlight).toBe(1); // the sale is kept
  });

  it('pulls catalog and settings changes on its interval', async () => {
    const storeId = await newStore();
    const { engine, lane } = await start(storeId);
    await until(engine, (s) => s.phase === 'idle' && s.lastPullAt !== null);
    expect(await lane.catalog.count()).toBe(TEST_PRODUCTS.length);
    await changeCatalog(db, storeId, {
      upserts: [{ ...TEST_PRODUCTS[0]!, price: 4242 }],
      deletes: [TEST_PRODUCTS[1]!.id],
    });
    await changeSettings(db, storeId, { matcher: { scoreThreshold: 0.9, minMargin: 0.1 } });
    const deadline = Date.now() + 5_000;
    while (
      (await lane.catalog.get(TEST_PRODUCTS[0]!.id))?.price !== 4242 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await lane.catalog.get(TEST_PRODUCTS[0]!.id))?.price).toBe(4242);
    expect((await lane.catalog.get(TEST_PRODUCTS[0]!.id))?.words).toContain('juice');
    expect(await lane.catalog.get(TEST_PRODUCTS[1]!.id)).toBeUndefined();
    const settings = (await lane.settings.get(STORE_SETTINGS_KEY))?.value as {
      matcher: { scoreThreshold: number };
    };
    expect(settings.matcher.scoreThreshold).toBe(0.9);
  });

  it('waits while offline and drains when the network returns', async () => {
    const storeId = await newStore();
    let online = false;
    const listeners = new Set<() => void>();
    const { engine, lane, deviceId } = await start(storeId, {
      online: {
        isOnline: () => online,
        subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
      },
    });
    // Provisioning is one call made at start; after it the loop sees the lane is offline.
    await until(engine, (s) => s.phase === 'offline');
    await ringSale(lane, deviceId, 0, seeded(3));
    engine.nudge();
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.state$.get().phase).toBe('offline');
    online = true;
    for (const l of listeners) l();
    await until(engine, (s) => idleAndEmpty(s) && s.synced === 1);
  });

  it('runs one loop per lane under a Web Lock; the second engine waits its turn', async () => {
    const storeId = await newStore();
    const held = new Map<string, Promise<unknown>>();
    // A minimal in-process LockManager (Node has no navigator.locks before v22).
    const locks = {
      async request(name: string, opts: { signal?: AbortSignal }, cb: () => Promise<unknown>) {
        while (held.has(name)) {
          if (opts.signal?.aborted) throw new DOMException('aborted', 'AbortError');
          await Promise.race([held.get(name), new Promise((r) => setTimeout(r, 10))]);
        }
        const p = cb();
        held.set(
          name,
          p.catch(() => undefined),
        );
        try {
          return await p;
        } finally {
          held.delete(name);
        }
      },
    } as unknown as LockManager;
    const laneName = `engine-lock-${storeSeq}`;
    const first = await start(storeId, { locks }, laneName);
    await until(first.engine, (s) => s.phase === 'idle');
    const second = await start(null, { locks, db: openLaneDb(laneName) }, laneName);
    await new Promise((r) => setTimeout(r, 100));
    expect(second.engine.state$.get().phase).toBe('waiting-lock');
    await first.engine.stop();
    await until(second.engine, (s) => s.phase === 'idle');
  });

  it('a mutation the cloud cannot parse at all is rejected under its number, and the queue moves on', async () => {
    const storeId = await newStore();
    const { engine, lane, deviceId } = await start(storeId, { batchSize: 4 });
    await until(engine, (s) => s.phase === 'idle');
    await engine.stop();
    running.pop();
    const rand = seeded(4);
    await ringSale(lane, deviceId, 0, rand);
    await ringSale(lane, deviceId, 1, rand);
    // Corrupt the second row's envelope (as an old bug or a disk error might): not a date.
    await lane.outbox.update(2, { createdAt: 'not a date' } as never);
    await ringSale(lane, deviceId, 2, rand);
    const again = await start(null, { db: lane, batchSize: 4 });
    await until(again.engine, (s) => idleAndEmpty(s) && s.rejected === 1 && s.synced === 2);
    const rejected = await lane.outbox.get(2);
    expect(rejected?.status).toBe('rejected');
    expect(rejected?.rejectedReason).toContain('unknown mutation kind "unsendable"');
    expect(rejected?.kind === 'sale.completed' && rejected.payload.id).toBe(`${deviceId}-sale-1`); // the original stays for the CSV export
    const sales = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sales WHERE store_id = $1',
      [storeId],
    );
    expect(sales.rows[0]?.n).toBe(2);
  });

  it('re-provisioned against a fresh cloud store, a lane carries its numbering on', async () => {
    const storeId = await newStore();
    const { engine, lane, deviceId } = await start(storeId);
    const rand = seeded(5);
    for (let n = 0; n < 3; n++) await ringSale(lane, deviceId, n, rand);
    engine.nudge();
    await until(engine, (s) => idleAndEmpty(s) && s.synced === 3);
    // The cloud forgets the terminal (restored from an old backup): auth fails, a manager re-provisions.
    const identity = (await loadIdentity(lane))!;
    await db.query('UPDATE terminals SET revoked_at = now() WHERE id = $1', [identity.terminalId]);
    await ringSale(lane, deviceId, 3, rand);
    engine.nudge();
    await until(engine, (s) => s.phase === 'revoked');
    await engine.provision(await issueProvisioningCode(db, storeId));
    await until(engine, (s) => idleAndEmpty(s) && s.synced === 4);
    const next = (await loadIdentity(lane))!;
    const t = await db.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM terminals WHERE id = $1',
      [next.terminalId],
    );
    expect(t.rows[0]?.last_mutation_id).toBe(4);
  });

  it('downloads the store’s template shard (manifests by pull, chunks signed) into the matcher’s database', async () => {
    const storeId = await newStore();
    const sdb = new ShardDatabase({ indexedDB, IDBKeyRange });
    const target = {
      publicKey: async () => (await sdb.terminalKeyPair()).publicKey,
      storedVersions: async () => (await sdb.manifests.toCollection().primaryKeys()) as number[],
      storePart: (
        v: number,
        kind: 'full' | 'delta' | 'rekey',
        signed: { manifest: string; signature: string },
        chunks: readonly Uint8Array<ArrayBuffer>[],
      ) => sdb.storePart(v, kind, signed, chunks),
    };
    try {
      const { engine, lane } = await start(storeId, { shard: target });
      await until(engine, (s) => s.phase === 'idle' && s.lastPullAt !== null);
      const identity = (await loadIdentity(lane))!;
      // A lane receives the shard once a manager approved it (cloud/shard-approval.ts).
      expect(await shardRecipients(db, storeId)).toEqual([]);
      await approveShardRecipient(db, storeId, identity.terminalId, 'Test Manager (m1)');
      const recipients = await shardRecipients(db, storeId);
      expect(recipients.map((r) => r.terminalId)).toEqual([identity.terminalId]);

      const signing = await generateSigningKeyPair();
      const shardKey = await generateShardKey('k1');
      const phone = await hashPhoneLast4('1234');
      const record = (i: number): ShardRecord => ({
        templateId: `t${i}`,
        customerRef: `c${i}`,
        templates: [new Int8Array(512).fill(i)],
        ageVerified: true,
        loyaltyId: null,
        limits: { currency: 'USD', perPayment: 5000, perDay: 20000 },
        phoneLast4: phone,
      });
      const full = await buildShardPart({
        store: storeId,
        version: 1,
        kind: 'full',
        shardKey,
        transform: TRANSFORM,
        recipients,
        adds: [0, 1, 2].map(record),
        chunkRecords: 2,
        signingKey: signing.privateKey,
      });
      await publishShardPart(db, storeId, full, signing.publicKey);
      await engine.syncNow();
      const feed = (await lane.settings.get(SHARD_FEED_KEY))?.value as ShardFeed;
      const cloudKey = await crypto.subtle.importKey(
        'jwk',
        feed.verifyKey as JsonWebKey,
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
      const opened = await loadShard(sdb, {
        store: storeId,
        terminalId: identity.terminalId,
        cloudKey,
      });
      expect([...opened.records.keys()]).toEqual(['t0', 't1', 't2']);

      const delta = await buildShardPart({
        store: storeId,
        version: 2,
        kind: 'delta',
        base: 1,
        shardKey,
        transform: TRANSFORM,
        recipients: [],
        adds: [record(3)],
        tombstones: ['t1'],
        signingKey: signing.privateKey,
      });
      await publishShardPart(db, storeId, delta, signing.publicKey);
      await engine.syncNow();
      const again = await loadShard(sdb, {
        store: storeId,
        terminalId: identity.terminalId,
        cloudKey,
      });
      expect([...again.records.keys()].sort()).toEqual(['t0', 't2', 't3']);

      // Another store's lane cannot fetch this store's chunks.
      const otherStore = await newStore();
      const other = await start(otherStore, {}, `engine-other-${storeSeq}`);
      await until(other.engine, (s) => s.phase === 'idle');
      const otherFeed = (await other.lane.settings.get(SHARD_FEED_KEY))?.value;
      expect(otherFeed).toBeUndefined();
      const { CloudClient } = await import('../../renderer/src/sync/client');
      const otherIdentity = (await loadIdentity(other.lane))!;
      // Even approved for palm pay in its own store.
      await approveShardRecipient(db, otherStore, otherIdentity.terminalId, 'Test Manager (m1)');
      const client = new CloudClient({ baseUrl: cloudUrl });
      await expect(
        client.shardChunk(
          {
            terminalId: otherIdentity.terminalId,
            privateKey: otherIdentity.privateKey,
            clockOffsetMs: 0,
          },
          1,
          0,
        ),
      ).rejects.toMatchObject({ status: 404 });
    } finally {
      sdb.close();
      await sdb.delete();
    }
  });
});
