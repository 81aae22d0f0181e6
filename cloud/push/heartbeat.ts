import { MAX_CLOCK_SKEW_MS, type HeartbeatPayload } from '../../common/sync/protocol';
import type { PushContext } from './context';

/** A lane time beyond the cloud's clock plus the skew becomes the cloud's time. */
function clamp(iso: string, now: number): string {
  return Date.parse(iso) > now + MAX_CLOCK_SKEW_MS ? new Date(now).toISOString() : iso;
}

/**
 * Keeps the newest heartbeat per lane (an older one arriving late is ignored). A heartbeat from
 * the future is clamped, never refused: refusing would block the lane's queue over its clock,
 * and believing it would make a dead lane look alive until that date.
 */
export async function recordHeartbeat(pc: PushContext, h: HeartbeatPayload): Promise<void> {
  await pc.tx.query(
    `INSERT INTO lane_status (terminal_id, store_id, at, queue_depth, oldest_pending_at, app_version, scanner_state, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (terminal_id) DO UPDATE SET at = EXCLUDED.at, queue_depth = EXCLUDED.queue_depth,
       oldest_pending_at = EXCLUDED.oldest_pending_at, app_version = EXCLUDED.app_version,
       scanner_state = EXCLUDED.scanner_state, received_at = EXCLUDED.received_at
     WHERE lane_status.at <= EXCLUDED.at`,
    [
      pc.terminal.terminalId,
      pc.terminal.storeId,
      clamp(h.at, pc.now),
      h.queueDepth,
      h.oldestPendingAt === null ? null : clamp(h.oldestPendingAt, pc.now),
      h.appVersion,
      h.scannerState,
      new Date(pc.now),
    ],
  );
}
