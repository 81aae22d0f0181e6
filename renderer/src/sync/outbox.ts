import type { MutationOutcome, WireMutation } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import type { OutboxRow } from '../db/schema';
import { METRICS_KEY, readMetrics, recordSample } from './metrics';

/**
 * The engine's progress, in the lane's database so a reload resumes where it stopped:
 * - `lastAckedMutationId`: every outbox row up to it is settled (synced or rejected), so the
 *   next batch is simply the rows above it, in mutationId order;
 * - `pullCursor`: the cloud's opaque cursor for catalog and settings changes.
 */
export const SYNC_STATE_KEY = 'sync-state';

export interface StoredSyncState {
  readonly lastAckedMutationId: number;
  readonly pullCursor: string;
  readonly lastPushAt: string | null;
  readonly lastPullAt: string | null;
}

export function readStoredSyncState(value: unknown): StoredSyncState {
  const v = (value ?? {}) as Partial<StoredSyncState>;
  return {
    lastAckedMutationId: v.lastAckedMutationId ?? 0,
    pullCursor: v.pullCursor ?? '',
    lastPushAt: v.lastPushAt ?? null,
    lastPullAt: v.lastPullAt ?? null,
  };
}

export async function loadSyncState(db: TerminalDatabase): Promise<StoredSyncState> {
  return readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
}

export function toWire(row: OutboxRow): WireMutation {
  return {
    mutationId: row.mutationId,
    kind: row.kind,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}

/** The next rows to push (above the last acknowledged id), marked in flight in one transaction. */
export async function takeBatch(db: TerminalDatabase, limit: number): Promise<OutboxRow[]> {
  return db.transaction('rw', [db.outbox, db.settings], async () => {
    const state = readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
    const rows = await db.outbox
      .where('mutationId')
      .above(state.lastAckedMutationId)
      .limit(limit)
      .toArray();
    for (const row of rows) {
      row.status = 'in-flight';
      row.attempts += 1;
    }
    if (rows.length > 0) await db.outbox.bulkPut(rows);
    return rows;
  });
}

/**
 * Puts rows back in the queue after an attempt that settled nothing (a failure, a stop): each
 * `in-flight` row becomes `pending` again, with the error for the manager. With no ids, every
 * row still in flight: what a reload or a crash left behind (called once the loop holds the lane).
 */
export async function releaseInFlight(
  db: TerminalDatabase,
  mutationIds: readonly number[] | null,
  message?: string,
): Promise<void> {
  const rows =
    mutationIds === null
      ? db.outbox.where('status').equals('in-flight')
      : db.outbox.where('mutationId').anyOf([...mutationIds]);
  if (mutationIds !== null && mutationIds.length === 0) return;
  await rows.modify((row) => {
    if (row.status !== 'in-flight') return;
    row.status = 'pending';
    if (message !== undefined) row.lastError = message;
  });
}

export interface AckInput {
  readonly lastMutationId: number;
  readonly results: readonly MutationOutcome[];
  readonly latencyMs: number;
  readonly at: Date;
}

/**
 * Applies the cloud's answer in one transaction: outcomes onto the rows, the acknowledged id
 * forward (never back), and a metrics sample. Rows at or below the cloud's last id that the
 * answer does not list were settled by an earlier push whose answer was lost: they are synced.
 */
export async function acknowledge(db: TerminalDatabase, ack: AckInput): Promise<void> {
  await db.transaction('rw', [db.outbox, db.settings], async () => {
    const state = readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
    const byId = new Map(ack.results.map((r) => [r.mutationId, r]));
    const syncedAt = ack.at.toISOString();
    await db.outbox
      .where('mutationId')
      .between(state.lastAckedMutationId, ack.lastMutationId, false, true)
      .modify((row) => {
        const r = byId.get(row.mutationId);
        if (r?.status === 'rejected') {
          row.status = 'rejected';
          row.rejectedReason = r.reason;
        } else {
          row.status = 'synced';
        }
        row.syncedAt = syncedAt;
        delete row.lastError;
      });
    // The queue this push worked on (before its acknowledgement), so the chart shows backlogs.
    // Mutation ids are contiguous, so the depth is a subtraction, not a count over the backlog.
    const lastId = (await db.outbox.orderBy('mutationId').last())?.mutationId ?? 0;
    const depth = Math.max(0, lastId - state.lastAckedMutationId);
    const metrics = readMetrics((await db.settings.get(METRICS_KEY))?.value);
    await db.settings.put({
      key: METRICS_KEY,
      value: recordSample(metrics, ack.at.getTime(), depth, ack.latencyMs),
    });
    await db.settings.put({
      key: SYNC_STATE_KEY,
      value: {
        ...state,
        lastAckedMutationId: Math.max(state.lastAckedMutationId, ack.lastMutationId),
        lastPushAt: syncedAt,
      } satisfies StoredSyncState,
    });
  });
}

/**
 * The cloud says it has processed fewer mutations than we think (a restored cloud backup, or a
 * lane re-provisioned on a fresh cloud): send again from its number, if we still hold the rows.
 */
export async function rewindTo(db: TerminalDatabase, cloudLast: number): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.settings], async () => {
    const state = readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
    const first = await db.outbox.where('mutationId').above(cloudLast).first();
    if (!first || first.mutationId !== cloudLast + 1) return false;
    await db.outbox
      .where('mutationId')
      .above(cloudLast)
      .modify((row) => {
        if (row.status === 'synced') row.status = 'pending';
      });
    await db.settings.put({
      key: SYNC_STATE_KEY,
      value: { ...state, lastAckedMutationId: cloudLast },
    });
    return true;
  });
}

export interface QueueCounts {
  readonly pending: number;
  readonly inFlight: number;
  readonly rejected: number;
  readonly synced: number;
  readonly oldestPendingAt: string | null;
}

export async function queueCounts(db: TerminalDatabase): Promise<QueueCounts> {
  return db.transaction('r', [db.outbox, db.settings], async () => {
    const [pending = 0, inFlight = 0, rejected = 0, synced = 0] = await Promise.all(
      (['pending', 'in-flight', 'rejected', 'synced'] as const).map((s) =>
        db.outbox.where('status').equals(s).count(),
      ),
    );
    // Mutation ids grow with time, so the first row above the acknowledged id is the oldest unsent.
    const state = readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
    const oldest = await db.outbox.where('mutationId').above(state.lastAckedMutationId).first();
    return { pending, inFlight, rejected, synced, oldestPendingAt: oldest?.createdAt ?? null };
  });
}

/** Drops synced rows older than `retentionMs` (the sales themselves stay in `sales`). */
export async function pruneSynced(
  db: TerminalDatabase,
  retentionMs: number,
  now: number,
): Promise<number> {
  const cutoff = new Date(now - retentionMs).toISOString();
  return db.outbox
    .where('status')
    .equals('synced')
    .and((row) => (row.syncedAt ?? '') <= cutoff)
    .delete();
}
