import type { HeartbeatPayload, ShardFeed, WireMutation } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError, type FetchLike, type Signer } from './client';
import {
  generateTerminalKeys,
  identityFrom,
  loadIdentity,
  storeIdentity,
  type SyncIdentity,
} from './identity';
import {
  acknowledge,
  loadSyncState,
  noteFailure,
  pruneSynced,
  queueCounts,
  rewindTo,
  takeBatch,
  toWire,
  type QueueCounts,
} from './outbox';
import { SHARD_FEED_KEY, applyPull } from './pull';

/** Settings key: the terminal id whose shard key the cloud has (re-registered after provisioning). */
const SHARD_KEY_REGISTERED = 'shard-key-registered';

export type SyncPhase =
  | 'starting'
  | 'waiting-lock' // another tab or window of this lane runs the loop
  | 'unprovisioned'
  | 'provisioning'
  | 'syncing'
  | 'idle'
  | 'offline'
  | 'backoff'
  | 'auth-failed' // stopped: retrying cannot help until a manager acts
  | 'stalled' // the cloud is missing mutations this lane no longer holds
  | 'stopped';

export interface SyncState extends QueueCounts {
  readonly phase: SyncPhase;
  readonly lastSyncAt: string | null;
  readonly lastPullAt: string | null;
  readonly lastError: string | null;
  /** When the next retry is due, in backoff. */
  readonly nextAttemptAt: string | null;
  readonly consecutiveFailures: number;
  readonly storeName: string | null;
  readonly cloudUrl: string | null;
}

export interface Observable<T> {
  get(): T;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void;
}

export interface OnlineSource {
  isOnline(): boolean;
  subscribe(listener: () => void): () => void;
}

/**
 * Where pulled template-shard parts go: the matcher's ShardDatabase (renderer/src/matcher/
 * shard-db.ts) fits as is: `{ publicKey: async () => (await sdb.terminalKeyPair()).publicKey,
 * storedVersions: async () => (await sdb.manifests.toCollection().primaryKeys()),
 * storePart: (v, kind, signed, chunks) => sdb.storePart(v, kind, signed, chunks) }`.
 */
export interface ShardSyncTarget {
  /** The lane's ECDH P-256 public key; the cloud wraps the shard key for it. */
  publicKey(): Promise<CryptoKey>;
  storedVersions(): Promise<number[]>;
  storePart(
    version: number,
    kind: 'full' | 'delta' | 'rekey',
    signed: { manifest: string; signature: string },
    chunks: readonly Uint8Array<ArrayBuffer>[],
  ): Promise<void>;
}

export interface SyncEngineOptions {
  readonly db: TerminalDatabase;
  /** The cloud to provision against (HostInfo.cloud.url). A provisioned lane may omit it. */
  readonly cloudUrl?: string | null;
  /** A one-time code from the host (demo launcher); used when the lane is not provisioned. */
  readonly provisioningCode?: string | null;
  /** HostInfo.terminalId: every sale this lane writes carries it. */
  readonly deviceId: string;
  readonly laneCode: string;
  readonly appVersion: string;
  /** The palm scanner's state for heartbeats (e.g. 'ready', 'offline'). */
  readonly scannerState?: () => string;
  readonly fetch?: FetchLike;
  readonly batchSize?: number;
  readonly requestTimeoutMs?: number;
  /** How often an idle lane looks at its outbox (a nudge() looks at once). */
  readonly idlePollMs?: number;
  readonly pullIntervalMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Synced outbox rows are kept this long for the manager's view, then dropped. */
  readonly syncedRetentionMs?: number;
  /** Web Locks; null runs without (Node tests). Defaults to navigator.locks when present. */
  readonly locks?: LockManager | null;
  readonly online?: OnlineSource;
  readonly random?: () => number;
  /** Download the store's template shard into this target (omit: no shard sync). */
  readonly shard?: ShardSyncTarget;
}

export interface SyncEngine {
  readonly state$: Observable<SyncState>;
  /** Push and pull now, skipping any backoff; retries after an auth failure too. Resolves after that cycle. */
  syncNow(): Promise<void>;
  /** Something was written to the outbox: look at it now rather than at the next poll. */
  nudge(): void;
  /** Provisions (or re-provisions) the lane with a code a manager typed in. */
  provision(code: string, cloudUrl?: string): Promise<void>;
  stop(): Promise<void>;
}

const INITIAL: SyncState = {
  phase: 'starting',
  pending: 0,
  inFlight: 0,
  rejected: 0,
  synced: 0,
  oldestPendingAt: null,
  lastSyncAt: null,
  lastPullAt: null,
  lastError: null,
  nextAttemptAt: null,
  consecutiveFailures: 0,
  storeName: null,
  cloudUrl: null,
};

function browserOnline(): OnlineSource {
  const hasWindow = typeof window !== 'undefined' && typeof window.addEventListener === 'function';
  return {
    isOnline: () =>
      typeof navigator !== 'undefined' && 'onLine' in navigator ? navigator.onLine : true,
    subscribe(listener) {
      if (!hasWindow) return () => undefined;
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
  };
}

function isoOrNull(value: string | null): string | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null;
}

/**
 * The lane's sync loop. One per terminal (a Web Lock named after the database, so a second tab
 * waits), it drains the outbox in mutation order and in batches, pulls catalog and settings on an
 * interval and on demand, backs off exponentially with jitter on transient failures, and stops on
 * an authentication failure with the reason in its state. All progress lives in Dexie, so a
 * reload resumes exactly where the last acknowledged push left off; a push whose answer was lost
 * is simply sent again, and the cloud answers repeats with their first outcome.
 */
export function startSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  const batchSize = options.batchSize ?? 50;
  const idlePollMs = options.idlePollMs ?? 3_000;
  const pullIntervalMs = options.pullIntervalMs ?? 60_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 60_000;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
  const retentionMs = options.syncedRetentionMs ?? 24 * 60 * 60_000;
  const random = options.random ?? Math.random;
  const online = options.online ?? browserOnline();
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const abort = new AbortController();

  let state: SyncState = { ...INITIAL, cloudUrl: options.cloudUrl ?? null };
  const listeners = new Set<(s: SyncState) => void>();
  const set = (patch: Partial<SyncState>): void => {
    // Only real changes reach listeners (React re-renders, the badge's live region).
    if ((Object.keys(patch) as (keyof SyncState)[]).every((k) => Object.is(state[k], patch[k])))
      return;
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };

  let stopped = false;
  let wake: (() => void) | null = null;
  let forcePull = true;
  let authFailure: string | null = null;
  let codeToUse = options.provisioningCode ?? null;
  let manualProvision: { code: string; cloudUrl?: string; done: (e?: unknown) => void } | null =
    null;
  // syncNow() waits for a cycle that *starts* after it was asked, not the one already running.
  let cycle = 0;
  let cycleWaiters: { after: number; resolve: () => void }[] = [];
  let wakePending = false; // a poke that came while the loop was busy: skip the next sleep
  let signer: Signer | null = null;
  let lastHeartbeatAt = 0;
  let effectiveBatch = batchSize;
  let unsendable: number | null = null; // a mutation id the cloud refuses to parse (see below)

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopped || wakePending) {
        wakePending = false;
        return resolve();
      }
      const timer = Number.isFinite(ms) ? setTimeout(() => done(), Math.max(0, ms)) : null;
      function done(): void {
        if (timer !== null) clearTimeout(timer);
        if (wake === done) wake = null;
        resolve();
      }
      wake = done;
    });
  const poke = (): void => {
    if (wake) wake();
    else wakePending = true;
  };
  const endCycle = (all = false): void => {
    const ready = cycleWaiters.filter((w) => all || w.after < cycle);
    cycleWaiters = cycleWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  };

  const unsubscribeOnline = online.subscribe(poke);

  const clientFor = (baseUrl: string): CloudClient =>
    new CloudClient({
      baseUrl,
      signal: abort.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    });

  async function refreshCounts(): Promise<void> {
    const [counts, stored] = await Promise.all([queueCounts(db), loadSyncState(db)]);
    set({ ...counts, lastSyncAt: stored.lastPushAt, lastPullAt: stored.lastPullAt });
  }

  async function provisionWith(code: string, cloudUrl: string): Promise<SyncIdentity> {
    set({ phase: 'provisioning', cloudUrl });
    const keys = await generateTerminalKeys();
    const stored = await loadSyncState(db);
    const res = await clientFor(cloudUrl).provision({
      code: code.trim().toUpperCase(),
      deviceId: options.deviceId,
      laneCode: options.laneCode,
      appVersion: options.appVersion,
      nextMutationId: stored.lastAckedMutationId + 1,
      publicKey: { kty: 'EC', crv: 'P-256', x: keys.publicJwk.x ?? '', y: keys.publicJwk.y ?? '' },
    });
    const identity = identityFrom(res, {
      cloudUrl,
      deviceId: options.deviceId,
      laneCode: options.laneCode,
      privateKey: keys.privateKey,
    });
    await storeIdentity(db, identity);
    signer = null;
    authFailure = null;
    forcePull = true;
    return identity;
  }

  async function heartbeat(): Promise<HeartbeatPayload> {
    const counts = await queueCounts(db);
    return {
      at: new Date().toISOString(),
      queueDepth: counts.pending + counts.inFlight,
      // Normalised: a corrupt row's date must not make the whole push malformed.
      oldestPendingAt: isoOrNull(counts.oldestPendingAt),
      appVersion: options.appVersion,
      scannerState: (options.scannerState?.() ?? 'unknown').slice(0, 32),
    };
  }

  /** One push; true when more rows may be waiting. */
  async function pushOnce(client: CloudClient, s: Signer): Promise<boolean> {
    const rows = await takeBatch(db, effectiveBatch);
    const heartbeatDue = Date.now() - lastHeartbeatAt >= heartbeatIntervalMs;
    if (rows.length === 0 && !heartbeatDue) return false;
    if (rows.length > 0) set({ phase: 'syncing' });
    const hb = heartbeatDue ? await heartbeat() : undefined;
    const wire: WireMutation[] = rows.map((row) =>
      row.mutationId === unsendable
        ? // The cloud refused this mutation's envelope itself (not just its payload), so it can
          // never be sent as is. Send a placeholder under its number: the cloud records it as
          // rejected, the queue moves on, and the original stays here for the manager's export.
          {
            mutationId: row.mutationId,
            kind: 'unsendable',
            payload: null,
            createdAt: new Date().toISOString(),
          }
        : toWire(row),
    );
    const started = performance.now();
    try {
      const res = await client.push(s, wire, hb);
      await acknowledge(db, {
        lastMutationId: res.lastMutationId,
        results: res.results,
        latencyMs: performance.now() - started,
        at: new Date(),
      });
    } catch (e) {
      if (!abort.signal.aborted) {
        await noteFailure(
          db,
          rows.map((r) => r.mutationId),
          e instanceof Error ? e.message : String(e),
        ).catch(() => undefined);
      }
      if (e instanceof SyncError && e.kind === 'client' && rows.length > 0) {
        // Too large (413) or refused as a whole: narrow down to the one mutation at fault.
        if (effectiveBatch > 1)
          effectiveBatch = Math.max(1, Math.floor(Math.min(effectiveBatch, rows.length) / 2));
        else unsendable = rows[0]!.mutationId;
        throw new SyncError('transient', e.status, e.code, e.message);
      }
      throw e;
    }
    if (hb) lastHeartbeatAt = Date.now();
    const more = rows.length >= effectiveBatch;
    if (unsendable !== null && rows.some((r) => r.mutationId === unsendable)) unsendable = null;
    if (effectiveBatch < batchSize && rows.length > 0)
      effectiveBatch = Math.min(batchSize, effectiveBatch * 2);
    return more;
  }

  async function syncShard(client: CloudClient, s: Signer, identity: SyncIdentity): Promise<void> {
    const target = options.shard;
    if (!target) return;
    const registered = (await db.settings.get(SHARD_KEY_REGISTERED))?.value;
    if (registered !== identity.terminalId) {
      await client.registerShardKey(
        s,
        await crypto.subtle.exportKey('jwk', await target.publicKey()),
      );
      await db.settings.put({ key: SHARD_KEY_REGISTERED, value: identity.terminalId });
      // The cloud may publish or re-key a shard for this lane as it registers (the demo store
      // does): pull the feed again now rather than a pull interval later.
      await pullAll(client, s);
    }
    const feed = (await db.settings.get(SHARD_FEED_KEY))?.value as ShardFeed | undefined;
    if (!feed || feed.parts.length === 0) return;
    const stored = await target.storedVersions();
    const newest = stored.length ? Math.max(...stored) : 0;
    const snapshot = feed.parts[0]!;
    // Behind the latest snapshot: take the whole chain (storing a snapshot drops older parts).
    const wanted =
      newest < snapshot.version ? feed.parts : feed.parts.filter((p) => p.version > newest);
    for (const part of wanted) {
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      for (let i = 0; i < part.chunkCount; i++)
        chunks.push(await client.shardChunk(s, part.version, i));
      await target.storePart(part.version, part.kind, part.signed, chunks);
    }
  }

  async function pullAll(client: CloudClient, s: Signer): Promise<void> {
    for (let page = 0; page < 100; page++) {
      const stored = await loadSyncState(db);
      let res;
      try {
        res = await client.pull(s, stored.pullCursor);
      } catch (e) {
        if (e instanceof SyncError && e.kind === 'client' && stored.pullCursor !== '') {
          // A cursor this cloud does not know (it was reset): start over; upserts are idempotent.
          await applyPull(
            db,
            {
              cursor: '',
              more: true,
              catalog: { upserts: [], deletes: [] },
              settings: null,
              shard: null,
            },
            new Date(),
          );
          throw new SyncError('transient', e.status, e.code, e.message);
        }
        throw e;
      }
      await applyPull(db, res, new Date());
      if (!res.more) return;
    }
  }

  function backoffDelay(failures: number): number {
    const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30));
    return ceiling / 2 + random() * (ceiling / 2); // "equal jitter": spread out, never zero
  }

  async function loop(): Promise<void> {
    let failures = 0;
    let lastHousekeepingAt = 0;
    let nextPullAt = 0;
    await refreshCounts().catch(() => undefined);
    while (!stopped) {
      cycle += 1;
      let identity = await loadIdentity(db);
      const cloudUrl = options.cloudUrl ?? identity?.cloudUrl ?? null;

      if (manualProvision) {
        const job = manualProvision;
        manualProvision = null;
        try {
          identity = await provisionWith(job.code, job.cloudUrl ?? cloudUrl ?? '');
          job.done();
        } catch (e) {
          job.done(e);
          set({ lastError: e instanceof Error ? e.message : String(e) });
        }
        continue;
      }
      if ((!identity || authFailure) && codeToUse && cloudUrl) {
        // Demo launcher: provision with the host's one-time code (also after the cloud forgot us).
        const code = codeToUse;
        codeToUse = null;
        try {
          await provisionWith(code, cloudUrl);
        } catch (e) {
          set({ lastError: `Provisioning failed: ${e instanceof Error ? e.message : String(e)}` });
        }
        continue;
      }
      if (!identity) {
        set({ phase: 'unprovisioned' });
        endCycle();
        await sleep(Infinity);
        continue;
      }
      if (authFailure) {
        set({ phase: 'auth-failed', lastError: authFailure, nextAttemptAt: null });
        endCycle();
        await sleep(Infinity);
        continue;
      }
      if (!online.isOnline()) {
        set({ phase: 'offline', nextAttemptAt: null });
        endCycle();
        await sleep(30_000);
        continue;
      }

      const client = clientFor(cloudUrl ?? identity.cloudUrl);
      if (!signer || signer.terminalId !== identity.terminalId) {
        signer = {
          terminalId: identity.terminalId,
          privateKey: identity.privateKey,
          clockOffsetMs: 0,
        };
      }
      try {
        // 'syncing' only while sales actually go out (pushOnce sets it): an idle lane's polls,
        // heartbeats and catalog pulls do not make the badge flicker.
        set({
          storeName: identity.storeName,
          cloudUrl: client.baseUrl,
          ...(state.phase === 'idle' ? {} : { phase: 'syncing' as const }),
        });
        const more = await pushOnce(client, signer);
        if (forcePull || Date.now() >= nextPullAt) {
          forcePull = false;
          await pullAll(client, signer);
          await syncShard(client, signer, identity);
          nextPullAt = Date.now() + pullIntervalMs;
        }
        failures = 0;
        // While a backlog drains, counting and pruning every batch would make the drain
        // quadratic in the queue's length: do both at most every second, and always when idle.
        if (!more || Date.now() - lastHousekeepingAt >= 1_000) {
          lastHousekeepingAt = Date.now();
          if (retentionMs === 0 || !more) await pruneSynced(db, retentionMs, Date.now());
          await refreshCounts();
        }
        set({ lastError: null, consecutiveFailures: 0, nextAttemptAt: null });
        if (more) continue;
        set({ phase: 'idle' });
        endCycle();
        await sleep(Math.min(idlePollMs, Math.max(0, nextPullAt - Date.now())));
      } catch (e) {
        if (stopped) break;
        const err =
          e instanceof SyncError
            ? e
            : new SyncError('transient', 0, 'INTERNAL', e instanceof Error ? e.message : String(e));
        if (err.kind === 'auth') {
          if (err.code === 'AUTH_EXPIRED' && err.body.serverTime && signer.clockOffsetMs === 0) {
            // The lane's clock is off: sign with the cloud's time from now on, once.
            signer.clockOffsetMs = Date.parse(err.body.serverTime) - Date.now() || 1;
            continue;
          }
          authFailure = `${err.code}: ${err.message}`;
          await refreshCounts().catch(() => undefined);
          continue;
        }
        if (err.kind === 'gap' && typeof err.body.lastMutationId === 'number') {
          if (await rewindTo(db, err.body.lastMutationId)) continue;
          set({
            phase: 'stalled',
            lastError: `The cloud has mutations up to ${err.body.lastMutationId} only, and this lane no longer holds the next one`,
          });
          endCycle();
          await sleep(Infinity);
          continue;
        }
        failures += 1;
        const delay = backoffDelay(failures);
        await refreshCounts().catch(() => undefined);
        set({
          phase: 'backoff',
          lastError: err.message,
          consecutiveFailures: failures,
          nextAttemptAt: new Date(Date.now() + delay).toISOString(),
        });
        endCycle();
        await sleep(delay);
      }
    }
  }

  let running: Promise<void>;
  if (locks) {
    set({ phase: 'waiting-lock' });
    running = locks
      .request(`palm-sync:${db.name}`, { signal: abort.signal }, () => loop())
      .then(
        () => undefined,
        (e: unknown) => {
          if (!stopped) set({ lastError: e instanceof Error ? e.message : String(e) });
        },
      );
  } else {
    running = loop().catch((e: unknown) =>
      set({ lastError: e instanceof Error ? e.message : String(e) }),
    );
  }

  return {
    state$: {
      get: () => state,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    syncNow() {
      // Another window holds the lane's loop: it does the syncing.
      if (stopped || state.phase === 'waiting-lock') return Promise.resolve();
      forcePull = true;
      authFailure = null;
      const done = new Promise<void>((resolve) => cycleWaiters.push({ after: cycle, resolve }));
      poke();
      return done;
    },
    nudge: poke,
    provision(code, cloudUrl) {
      return new Promise<void>((resolve, reject) => {
        manualProvision = {
          code,
          ...(cloudUrl ? { cloudUrl } : {}),
          done: (e) => (e ? reject(e) : resolve()),
        };
        poke();
      });
    },
    async stop() {
      stopped = true;
      abort.abort();
      poke();
      unsubscribeOnline();
      await running;
      endCycle(true);
      set({ phase: 'stopped' });
    },
  };
}
