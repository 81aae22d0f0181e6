import type { QueueCounts } from './outbox';

export type SyncPhase =
  | 'starting'
  | 'waiting-lock' // another tab or window of this lane runs the loop
  | 'unprovisioned'
  | 'provisioning'
  | 'syncing'
  | 'idle'
  | 'offline'
  | 'backoff'
  // Stopped for what no retry fixes; the engine still looks again every few minutes.
  | 'revoked' // the store revoked this lane (403 TERMINAL_REVOKED)
  | 'unknown-terminal' // the cloud does not know this lane's key (401 AUTH_BAD_SIGNATURE)
  | 'stalled' // the cloud is missing mutations this lane no longer holds
  | 'stopped';

export interface SyncState extends QueueCounts {
  readonly phase: SyncPhase;
  readonly lastSyncAt: string | null;
  readonly lastPullAt: string | null;
  readonly lastError: string | null;
  /** When the next attempt is due: a retry in backoff, or the slow re-check of a stopped lane. */
  readonly nextAttemptAt: string | null;
  readonly consecutiveFailures: number;
  readonly storeName: string | null;
  readonly cloudUrl: string | null;
}

/** Phases in which the engine has stopped pushing until the cloud (or a manager) changes something. */
export const HALTED_PHASES: readonly SyncPhase[] = ['revoked', 'unknown-terminal', 'stalled'];

export interface Observable<T> {
  get(): T;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void;
}

export const INITIAL_STATE: SyncState = {
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

/** The engine's state as an observable store; only real changes reach listeners. */
export function stateStore(initial: SyncState): Observable<SyncState> & {
  set(patch: Partial<SyncState>): void;
} {
  let state = initial;
  const listeners = new Set<(s: SyncState) => void>();
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(patch) {
      // React re-renders and the badge's live region announce every change: skip no-ops.
      if ((Object.keys(patch) as (keyof SyncState)[]).every((k) => Object.is(state[k], patch[k])))
        return;
      state = { ...state, ...patch };
      for (const l of listeners) l(state);
    },
  };
}
