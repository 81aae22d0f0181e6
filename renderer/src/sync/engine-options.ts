import type { ShardSyncTarget } from '../shard/sync-target';
import type { TerminalDatabase } from '../db/database';
import type { FetchLike } from './client';
import type { Backoff } from './policy';
import type { Observable, SyncState } from './state';

/** The sync engine's contract: what a shell passes in, and what it gets back. */

export interface OnlineSource {
  isOnline(): boolean;
  subscribe(listener: () => void): () => void;
}

export interface SyncEngineOptions {
  readonly db: TerminalDatabase;
  /** The cloud to provision against (HostInfo.cloud.url). A provisioned lane may omit it. */
  readonly cloudUrl?: string | null;
  /** A one-time code from the host (demo launcher); used once, when the lane has no identity. */
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
  readonly backoff?: Backoff;
  /** How often a stopped lane (revoked, unknown, stalled) asks the cloud again on its own. */
  readonly haltedRecheckMs?: number;
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
  /** Push and pull now, skipping any backoff or a stopped lane's re-check wait. Resolves after that cycle. */
  syncNow(): Promise<void>;
  /** Something was written to the outbox: look at it now rather than at the next poll. */
  nudge(): void;
  /** Provisions (or re-provisions) the lane with a code a manager typed in. */
  provision(code: string, cloudUrl?: string): Promise<void>;
  stop(): Promise<void>;
}

export function browserOnline(): OnlineSource {
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

export function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null;
}
