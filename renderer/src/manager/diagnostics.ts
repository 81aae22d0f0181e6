import type { HostDiagnostics } from '../../../common/host/contract';
import { scrubText } from '../../../common/support/scrub';
import type { SyncState } from '../sync/state';

/**
 * The diagnostics export a technician is sent: the host's part (support.diagnostics) and the
 * lane's — build, store profile, the sync queue's depth and state. Built field by field from
 * what is harmless: no sale, no staff, no shopper, no provisioning code; the sync engine's last
 * error is free text from the cloud, so it is scrubbed.
 */
export interface LaneDiagnosticsInput {
  readonly host: HostDiagnostics | { readonly error: string };
  readonly sync: SyncState | null;
  /** Outbox rows not yet synced, counted from the database (when no engine runs). */
  readonly outboxPending: number;
  readonly profileId: string;
  readonly locale: string;
  readonly laneCode: string;
  readonly buildMode: string;
  readonly userAgent: string;
  readonly palmPay: { readonly state: string; readonly records?: number } | null;
}

export function laneDiagnostics(i: LaneDiagnosticsInput, now = new Date()) {
  const s = i.sync;
  return {
    format: 'palm-terminal-diagnostics/1',
    generatedAt: now.toISOString(),
    lane: {
      laneCode: i.laneCode,
      storeProfile: i.profileId,
      locale: i.locale,
      buildMode: i.buildMode,
      userAgent: i.userAgent,
    },
    queue: {
      depth: s ? s.pending + s.inFlight : i.outboxPending,
      pending: s?.pending ?? i.outboxPending,
      inFlight: s?.inFlight ?? 0,
      rejected: s?.rejected ?? 0,
      synced: s?.synced ?? 0,
      oldestPendingAt: s?.oldestPendingAt ?? null,
    },
    sync: s
      ? {
          phase: s.phase,
          lastSyncAt: s.lastSyncAt,
          lastPullAt: s.lastPullAt,
          nextAttemptAt: s.nextAttemptAt,
          consecutiveFailures: s.consecutiveFailures,
          lastError: s.lastError === null ? null : scrubText(s.lastError),
          cloudOrigin: originOf(s.cloudUrl),
        }
      : null,
    palmPay: i.palmPay && { state: i.palmPay.state, records: i.palmPay.records ?? null },
    host: 'error' in i.host ? { error: scrubText(i.host.error) } : i.host,
  };
}

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
