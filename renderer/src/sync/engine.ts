import { rememberStoreClockOffset, storeClockOffset } from '../db/store-clock';
import { CloudClient, SyncError, type Signer } from './client';
import { forgetCodeAttempt, isSpent, keysForCode, markSpent, normaliseCode } from './codes';
import { generateTerminalKeys, identityFrom, loadIdentity, storeIdentity } from './identity';
import { watchOutbox } from './live-counts';
import {
  BatchSizer,
  OperationFailure,
  SHARD_KEY_REGISTERED,
  heartbeatFor,
  pullAll,
  pushBatch,
  restartPull,
  syncShard,
} from './operations';
import { loadSyncState, pruneSynced, queueCounts, releaseInFlight, rewindTo } from './outbox';
import { backoffDelay, decide, type Decision, type HaltReason } from './policy';
import {
  browserOnline,
  defaultLocks,
  type SyncEngine,
  type SyncEngineOptions,
} from './engine-options';
import { INITIAL_STATE, stateStore } from './state';
import { Waker } from './waker';

export type { OnlineSource, SyncEngine, SyncEngineOptions } from './engine-options';
export type { Observable, SyncPhase, SyncState } from './state';
export type { ShardSyncTarget } from '../shard/sync-target';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A stopped lane: why, and when it looks again on its own. */
interface Halt {
  readonly reason: HaltReason;
  readonly detail: string;
  recheckAt: number;
}

/**
 * The lane's sync loop. One per terminal (a Web Lock named after the database, so a second tab
 * waits), it drains the outbox in mutation order and in batches, pulls catalog and settings on an
 * interval and on demand, and hands every failure to the policy (policy.ts): retry now, back off
 * with jitter, narrow a refused batch, rewind after a gap, or stop for what no retry fixes and
 * look again every few minutes. All progress lives in Dexie, so a reload resumes where the last
 * acknowledged push left off; a push whose answer was lost is sent again, and the cloud answers
 * repeats with their first outcome, which confirms them.
 */
export function startSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  const idlePollMs = options.idlePollMs ?? 3_000;
  const pullIntervalMs = options.pullIntervalMs ?? 60_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 60_000;
  // At most 10 s between attempts: a lane is back in sync soon after its network heals.
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 10_000 };
  const recheckMs = options.haltedRecheckMs ?? 5 * 60_000;
  const retentionMs = options.syncedRetentionMs ?? 24 * 60 * 60_000;
  const random = options.random ?? Math.random;
  const online = options.online ?? browserOnline();
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const abort = new AbortController();
  const state = stateStore({ ...INITIAL_STATE, cloudUrl: options.cloudUrl ?? null });
  const set = state.set;
  const waker = new Waker();
  const sizer = new BatchSizer(options.batchSize ?? 50);

  let stopped = false;
  let forcePull = true;
  let halt: Halt | null = null;
  let hostCode = options.provisioningCode ? normaliseCode(options.provisioningCode) : null;
  let manual: { code: string; cloudUrl?: string; done: (e?: unknown) => void } | null = null;
  let signer: Signer | null = null;
  let lastHeartbeatAt = 0;
  let nextPullAt = 0;
  let failures = 0;

  const refreshCounts = async (): Promise<void> => {
    const [counts, stored] = await Promise.all([queueCounts(db), loadSyncState(db)]);
    set({ ...counts, lastSyncAt: stored.lastPushAt, lastPullAt: stored.lastPullAt });
  };
  // The badge counts every unsynced row whatever the loop is doing (waiting for the lock included).
  const unwatch = watchOutbox(db, refreshCounts);
  const unsubscribeOnline = online.subscribe(() => waker.poke());

  const clientFor = (baseUrl: string): CloudClient =>
    new CloudClient({
      baseUrl,
      signal: abort.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    });

  /** Trades a one-time code for an identity; the code is spent once the cloud has answered. */
  async function provisionWith(code: string, cloudUrl: string): Promise<void> {
    set({ phase: 'provisioning', cloudUrl });
    if (await isSpent(db, code))
      throw new SyncError(
        403,
        'CODE_INVALID',
        'This provisioning code was already used on this lane',
      );
    const keys = await keysForCode(db, code, generateTerminalKeys);
    const stored = await loadSyncState(db);
    try {
      const res = await clientFor(cloudUrl).provision({
        code: normaliseCode(code),
        deviceId: options.deviceId,
        laneCode: options.laneCode,
        appVersion: options.appVersion,
        nextMutationId: stored.lastAckedMutationId + 1,
        publicKey: {
          kty: 'EC',
          crv: 'P-256',
          x: keys.publicJwk.x ?? '',
          y: keys.publicJwk.y ?? '',
        },
      });
      await storeIdentity(
        db,
        identityFrom(res, {
          cloudUrl,
          deviceId: options.deviceId,
          laneCode: options.laneCode,
          privateKey: keys.privateKey,
        }),
      );
      // Only now is the code settled: a crash before this retries it with the same key.
      await markSpent(db, code);
      await forgetCodeAttempt(db);
    } catch (e) {
      if (
        e instanceof SyncError &&
        decide(e.answer, { operation: 'provision', failures }).action === 'drop-code'
      ) {
        await markSpent(db, code);
        await forgetCodeAttempt(db);
      }
      throw e;
    }
    signer = null;
    halt = null;
    forcePull = true;
    failures = 0;
  }

  /** Waits out a retry; a poke (a sale, "Sync now", the network back) ends the wait early. */
  async function backOff(err: SyncError, why = err.message): Promise<void> {
    failures += 1;
    const delay = backoffDelay(failures, backoff, random, err.retryAfterMs);
    set({
      phase: 'backoff',
      lastError: why,
      consecutiveFailures: failures,
      nextAttemptAt: new Date(Date.now() + delay).toISOString(),
    });
    waker.endCycle();
    await waker.sleep(delay);
  }

  /** Carries out what the policy decided about a failed request of the sync cycle. */
  async function onFailure(f: OperationFailure): Promise<void> {
    const err = f.error;
    const d: Decision = decide(err.answer, {
      operation: f.operation,
      failures,
      hasCursor: f.hadCursor,
    });
    switch (d.action) {
      case 'confirm':
      case 'drop-code':
        return; // not answers to a sync request
      case 'retry':
        if (d.after === 'now') {
          failures += 1;
          set({ lastError: err.message, consecutiveFailures: failures });
          return;
        }
        return backOff(err);
      case 'isolate':
        if (sizer.narrow(f.rows)) return;
        return backOff(err);
      case 'restart-pull':
        await restartPull(db);
        return;
      case 'rewind': {
        const last = err.body.lastMutationId;
        if (typeof last === 'number' && (await rewindTo(db, last))) return;
        return stopFor(
          'stalled',
          `The cloud has mutations up to ${String(last)} only, and this lane no longer holds the next one`,
        );
      }
      case 'halt':
        return stopFor(d.reason, `${err.code}: ${err.message}`);
    }
  }

  function stopFor(reason: HaltReason, detail: string): void {
    halt = { reason, detail, recheckAt: Date.now() + recheckMs };
    failures = 0;
  }

  async function syncCycle(cloudUrl: string): Promise<boolean> {
    const identity = (await loadIdentity(db))!;
    const client = clientFor(cloudUrl);
    if (!signer || signer.terminalId !== identity.terminalId)
      signer = {
        terminalId: identity.terminalId,
        privateKey: identity.privateKey,
        clockOffsetMs: await storeClockOffset(db),
      };
    const s = signer;
    // 'syncing' only while sales actually go out (pushBatch says so): an idle lane's polls,
    // heartbeats and catalog pulls do not make the badge flicker.
    set({
      storeName: identity.storeName,
      cloudUrl: client.baseUrl,
      ...(state.get().phase === 'idle' ? {} : { phase: 'syncing' as const }),
    });
    const heartbeatDue = Date.now() - lastHeartbeatAt >= heartbeatIntervalMs;
    const { more } = await pushBatch({
      db,
      client,
      signer: s,
      sizer,
      heartbeat: heartbeatDue
        ? () => heartbeatFor(db, options.appVersion, options.scannerState?.() ?? 'unknown')
        : null,
      onSending: () => set({ phase: 'syncing' }),
    });
    if (heartbeatDue) lastHeartbeatAt = Date.now();
    if (forcePull || Date.now() >= nextPullAt) {
      await pullAll(db, client, s);
      if (options.shard) await syncShard(db, client, s, identity, options.shard);
      forcePull = false;
      nextPullAt = Date.now() + pullIntervalMs;
    }
    await rememberStoreClockOffset(db, s.clockOffsetMs);
    return more;
  }

  /**
   * The loop's explicit states: what this cycle does, from what the lane knows now. Each step
   * ends by sleeping (until its timer or a poke) or by going straight to the next cycle.
   */
  type Step = 'manual-code' | 'host-code' | 'unprovisioned' | 'halted' | 'offline' | 'sync';
  function nextStep(hasIdentity: boolean, cloudUrl: string | null): Step {
    if (manual) return 'manual-code';
    // A revoked lane never provisions itself again: that would undo the store's decision.
    const forgotten = !hasIdentity || halt?.reason === 'unknown-terminal';
    if (forgotten && hostCode && cloudUrl) return 'host-code';
    if (!hasIdentity) return 'unprovisioned';
    if (halt && Date.now() < halt.recheckAt) return 'halted';
    if (!online.isOnline()) return 'offline';
    return 'sync';
  }

  async function loop(): Promise<void> {
    let lastHousekeepingAt = 0;
    // Rows a reload, a crash or another window left in flight go back to the queue.
    await releaseInFlight(db, null).catch(() => undefined);
    await refreshCounts().catch(() => undefined);
    while (!stopped) {
      waker.beginCycle();
      const identity = await loadIdentity(db);
      const cloudUrl = options.cloudUrl ?? identity?.cloudUrl ?? null;
      switch (nextStep(identity !== null, cloudUrl)) {
        case 'manual-code': {
          const job = manual!;
          manual = null;
          try {
            await provisionWith(job.code, job.cloudUrl ?? cloudUrl ?? '');
            job.done();
          } catch (e) {
            set({ lastError: message(e) });
            job.done(e);
          }
          continue;
        }
        case 'host-code': {
          const code = hostCode!;
          try {
            await provisionWith(code, cloudUrl!);
          } catch (e) {
            const why = `Provisioning failed: ${message(e)}`;
            set({ lastError: why });
            // Spent or refused: never again. No answer: the code may still be good; retry it.
            if (await isSpent(db, code)) hostCode = null;
            else await backOff(e instanceof SyncError ? e : new SyncError(0, 'INTERNAL', why), why);
          }
          continue;
        }
        case 'unprovisioned':
          set({ phase: 'unprovisioned', nextAttemptAt: null });
          waker.endCycle();
          await waker.sleep(Infinity);
          continue;
        case 'halted':
          set({
            phase: halt!.reason,
            lastError: halt!.detail,
            nextAttemptAt: new Date(halt!.recheckAt).toISOString(),
            consecutiveFailures: 0,
          });
          waker.endCycle();
          await waker.sleep(halt!.recheckAt - Date.now());
          continue;
        case 'offline':
          set({ phase: 'offline', nextAttemptAt: null });
          waker.endCycle();
          await waker.sleep(30_000);
          continue;
        case 'sync':
          break;
      }

      // A sync cycle: push a batch, pull when due, the shard after a pull.
      const recheckOf = halt?.reason ?? null;
      try {
        const more = await syncCycle(cloudUrl ?? identity!.cloudUrl);
        failures = 0;
        halt = null;
        // Revoked lanes are left out of shard re-keys: register again so this one is let back in.
        if (recheckOf === 'revoked') {
          await db.settings.delete(SHARD_KEY_REGISTERED);
          forcePull = true;
        }
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
        waker.endCycle();
        await waker.sleep(Math.min(idlePollMs, Math.max(0, nextPullAt - Date.now())));
      } catch (e) {
        if (stopped) break;
        const f =
          e instanceof OperationFailure
            ? e
            : new OperationFailure('push', new SyncError(0, 'INTERNAL', message(e)));
        // A re-check that got no answer at all is not a verdict: retry it like any failure.
        if (recheckOf) halt = null;
        await onFailure(f);
        await refreshCounts().catch(() => undefined);
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
          if (!stopped) set({ lastError: message(e) });
        },
      );
  } else {
    running = loop().catch((e: unknown) => set({ lastError: message(e) }));
  }

  return {
    state$: { get: state.get, subscribe: state.subscribe },
    syncNow() {
      // Another window holds the lane's loop: it does the syncing.
      if (stopped || state.get().phase === 'waiting-lock') return Promise.resolve();
      forcePull = true;
      if (halt) halt.recheckAt = 0; // look again now
      const done = waker.nextCycleDone();
      waker.poke();
      return done;
    },
    nudge: () => waker.poke(),
    provision(code, cloudUrl) {
      return new Promise<void>((resolve, reject) => {
        manual = {
          code,
          ...(cloudUrl ? { cloudUrl } : {}),
          done: (e) => (e ? reject(e) : resolve()),
        };
        waker.poke();
      });
    },
    async stop() {
      stopped = true;
      abort.abort();
      waker.close();
      unsubscribeOnline();
      unwatch();
      await running;
      waker.endCycle(true);
      set({ phase: 'stopped' });
    },
  };
}
