import type { HeartbeatPayload, ShardFeed, WireMutation } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import type { OutboxRow } from '../db/schema';
import { SHARD_FEED_KEY } from '../shard/feed';
import type { ShardSyncTarget } from '../shard/sync-target';
import { SyncError, type CloudClient, type Signer } from './client';
import type { SyncIdentity } from './identity';
import {
  acknowledge,
  loadSyncState,
  queueCounts,
  releaseInFlight,
  takeBatch,
  toWire,
} from './outbox';
import type { Operation } from './policy';
import { applyPull } from './pull';

/** Settings key: the terminal id whose shard key the cloud has (re-registered after provisioning). */
export const SHARD_KEY_REGISTERED = 'shard-key-registered';

/** A failed request, with which of the engine's requests it was (the policy needs both). */
export class OperationFailure extends Error {
  constructor(
    readonly operation: Operation,
    readonly error: SyncError,
    /** The push's rows (isolating a refused batch needs them). */
    readonly rows: readonly OutboxRow[] = [],
    /** A pull that sent a cursor. */
    readonly hadCursor = false,
  ) {
    super(error.message);
    this.name = 'OperationFailure';
  }
}

function asSyncError(e: unknown): SyncError {
  return e instanceof SyncError
    ? e
    : new SyncError(0, 'INTERNAL', e instanceof Error ? e.message : String(e));
}

/**
 * How many rows go in one push: halved while the cloud refuses a batch as a whole (too large,
 * a malformed envelope), down to the one row at fault, which is then sent as a placeholder the
 * cloud records as rejected under its number, so the queue moves on (the original stays on the
 * lane for the manager's CSV export). Grows back after each accepted push.
 */
export class BatchSizer {
  size: number;
  private unsendable: number | null = null;
  constructor(private readonly max: number) {
    this.size = max;
  }

  wire(row: OutboxRow): WireMutation {
    return row.mutationId === this.unsendable
      ? {
          mutationId: row.mutationId,
          kind: 'unsendable',
          payload: null,
          createdAt: new Date().toISOString(),
        }
      : toWire(row);
  }

  /** A refused batch: true when the next attempt differs (smaller, or with a placeholder). */
  narrow(rows: readonly OutboxRow[]): boolean {
    if (rows.length === 0) return false;
    if (this.size > 1) {
      this.size = Math.max(1, Math.floor(Math.min(this.size, rows.length) / 2));
      return true;
    }
    if (this.unsendable === rows[0]!.mutationId) return false;
    this.unsendable = rows[0]!.mutationId;
    return true;
  }

  accepted(rows: readonly OutboxRow[]): void {
    if (rows.some((r) => r.mutationId === this.unsendable)) this.unsendable = null;
    if (rows.length > 0 && this.size < this.max) this.size = Math.min(this.max, this.size * 2);
  }
}

export interface PushContext {
  readonly db: TerminalDatabase;
  readonly client: CloudClient;
  readonly signer: Signer;
  readonly sizer: BatchSizer;
  /** Null: no heartbeat due with this push. */
  readonly heartbeat: (() => Promise<HeartbeatPayload>) | null;
  readonly onSending: () => void;
}

/**
 * One push of the next rows above the last acknowledged id. The cloud's answer is applied in one
 * transaction (rows synced or rejected; rows it had already processed, whose earlier answer was
 * lost, come back with their first outcome and are confirmed now). A failed attempt puts its rows
 * back to pending: nothing stays in flight once the attempt is over. Resolves to whether the
 * batch was full (more may wait) and whether anything was sent.
 */
export async function pushBatch(ctx: PushContext): Promise<{ more: boolean; sent: boolean }> {
  const rows = await takeBatch(ctx.db, ctx.sizer.size);
  if (rows.length === 0 && !ctx.heartbeat) return { more: false, sent: false };
  if (rows.length > 0) ctx.onSending();
  const started = performance.now();
  try {
    const hb = ctx.heartbeat ? await ctx.heartbeat() : undefined;
    const res = await ctx.client.push(
      ctx.signer,
      rows.map((r) => ctx.sizer.wire(r)),
      hb,
    );
    await acknowledge(ctx.db, {
      lastMutationId: res.lastMutationId,
      results: res.results,
      latencyMs: performance.now() - started,
      at: new Date(),
    });
  } catch (e) {
    const error = asSyncError(e);
    await releaseInFlight(
      ctx.db,
      rows.map((r) => r.mutationId),
      error.message,
    ).catch(() => undefined);
    throw new OperationFailure('push', error, rows);
  }
  const more = rows.length >= ctx.sizer.size;
  ctx.sizer.accepted(rows);
  return { more, sent: true };
}

/** Pulls every page after the stored cursor, each page and its cursor in one transaction. */
export async function pullAll(
  db: TerminalDatabase,
  client: CloudClient,
  signer: Signer,
): Promise<void> {
  for (let page = 0; page < 100; page++) {
    const stored = await loadSyncState(db);
    let res;
    try {
      res = await client.pull(signer, stored.pullCursor);
    } catch (e) {
      throw new OperationFailure('pull', asSyncError(e), [], stored.pullCursor !== '');
    }
    await applyPull(db, res, new Date());
    if (!res.more) return;
  }
}

/** A cursor this cloud does not know (it was reset): start over; upserts are idempotent. */
export async function restartPull(db: TerminalDatabase): Promise<void> {
  await applyPull(
    db,
    { cursor: '', more: true, catalog: { upserts: [], deletes: [] }, settings: null, shard: null },
    new Date(),
  );
}

/**
 * The template shard: registers the lane's ECDH key once per terminal id, then downloads the
 * parts newer than those stored (the whole chain when behind the latest snapshot).
 */
export async function syncShard(
  db: TerminalDatabase,
  client: CloudClient,
  signer: Signer,
  identity: SyncIdentity,
  target: ShardSyncTarget,
): Promise<void> {
  try {
    const registered = (await db.settings.get(SHARD_KEY_REGISTERED))?.value;
    if (registered !== identity.terminalId) {
      await client.registerShardKey(
        signer,
        await crypto.subtle.exportKey('jwk', await target.publicKey()),
      );
      await db.settings.put({ key: SHARD_KEY_REGISTERED, value: identity.terminalId });
      // The cloud may publish or re-key a shard for this lane as it registers (the demo store
      // does): pull the feed again now rather than a pull interval later.
      await pullAll(db, client, signer);
    }
    const feed = (await db.settings.get(SHARD_FEED_KEY))?.value as ShardFeed | undefined;
    if (!feed || feed.parts.length === 0) return;
    const stored = await target.storedVersions();
    const newest = stored.length ? Math.max(...stored) : 0;
    const snapshot = feed.parts[0]!;
    const wanted =
      newest < snapshot.version ? feed.parts : feed.parts.filter((p) => p.version > newest);
    for (const part of wanted) {
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      for (let i = 0; i < part.chunkCount; i++)
        chunks.push(await client.shardChunk(signer, part.version, i));
      await target.storePart(part.version, part.kind, part.signed, chunks);
    }
  } catch (e) {
    if (e instanceof OperationFailure) throw e;
    throw new OperationFailure('shard', asSyncError(e));
  }
}

/** What a heartbeat says about the lane: queue depth, oldest pending, version, scanner. */
export async function heartbeatFor(
  db: TerminalDatabase,
  appVersion: string,
  scannerState: string,
): Promise<HeartbeatPayload> {
  const counts = await queueCounts(db);
  return {
    at: new Date().toISOString(),
    queueDepth: counts.pending + counts.inFlight,
    // Normalised: a corrupt row's date must not make the whole push malformed.
    oldestPendingAt: isoOrNull(counts.oldestPendingAt),
    appVersion,
    scannerState: scannerState.slice(0, 32),
  };
}

function isoOrNull(value: string | null): string | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
