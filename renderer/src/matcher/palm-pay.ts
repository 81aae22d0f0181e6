import type { ShardDatabase } from '../shard/shard-db';
import type { ShardTrust } from '../shard/trust';
import type { MatcherClient, MatcherState } from './client';

export type { ShardTrust };

export type PalmPayState = 'no-shard' | 'loading' | 'ready' | 'unavailable';

/** What the lane knows about palm pay; never a template, only counts and the matcher handle. */
export interface PalmPayInfo {
  readonly state: PalmPayState;
  /** Chunks decrypted so far, while loading (absent until the worker reports the total). */
  readonly progress?: { readonly done: number; readonly total: number };
  readonly templates?: number;
  /** Enrolled customers, when ready. */
  readonly records?: number;
  /** Why palm pay is unavailable: a ShardError reason (`chunk`, `key`, …), `trust` or `matcher`. */
  readonly reason?: string;
  readonly message?: string;
  /** The kernel the worker chose (relaxed, simd or scalar). */
  readonly variant?: string;
  /** Only when ready: send probes here. */
  readonly client?: MatcherClient;
}

/** The matcher-client surface the controller needs (a fake in unit tests). */
export type MatcherLike = Pick<MatcherClient, 'load' | 'terminate'>;

export interface PalmPayDeps {
  openShardDb(): ShardDatabase;
  /** Null when the lane is not provisioned or has no verification key yet. */
  trust(): Promise<ShardTrust | null>;
  createClient(onState: (s: MatcherState) => void): MatcherLike;
}

/**
 * Palm pay's readiness, as a small external store for React: opens the shard database (creating
 * the terminal's key pair on first use, so the cloud can wrap a shard key for it), and when a
 * shard is stored, has the matcher worker load it; `refresh()` loads again when sync has stored
 * a newer part (a fresh worker, so an older load can never finish last). Any refusal leaves palm
 * pay unavailable; it never touches cash or card.
 */
export class PalmPayController {
  private info: PalmPayInfo = { state: 'loading' };
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private client: MatcherLike | null = null;
  /** The newest stored part the current state reflects (undefined: not looked yet). */
  private seen: number | null | undefined = undefined;

  constructor(private readonly deps: PalmPayDeps) {}

  readonly get = (): PalmPayInfo => this.info;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts once; later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= this.enqueue();
    return this.started;
  }

  /** Looks at the stored shard again (after sync stored a part); reloads only when it changed. */
  refresh(): Promise<void> {
    return this.started ? this.enqueue() : this.start();
  }

  stop(): void {
    this.client?.terminate();
    this.client = null;
  }

  /** One look at a time, in order: a refresh during a start waits for it. */
  private enqueue(): Promise<void> {
    const run = this.queue.then(() =>
      this.run().catch((e: unknown) =>
        this.set({ state: 'unavailable', reason: 'matcher', message: errorText(e) }),
      ),
    );
    this.queue = run;
    return run;
  }

  private async run(): Promise<void> {
    const db = this.deps.openShardDb();
    let newest: number | null;
    try {
      await db.terminalKeyPair();
      const versions = (await db.manifests.toCollection().primaryKeys()) as number[];
      newest = versions.length > 0 ? Math.max(...versions) : null;
    } finally {
      db.close(); // the worker opens its own connection
    }
    if (newest === this.seen) return;
    this.seen = newest;
    this.stop();
    if (newest === null) return this.set({ state: 'no-shard' });
    const trust = await this.deps.trust();
    if (!trust)
      return this.set({
        state: 'unavailable',
        reason: 'trust',
        message: 'a shard is stored but the lane has no store identity or cloud verification key',
      });
    this.set({ state: 'loading' });
    const client: MatcherLike = this.deps.createClient((s) => this.onMatcher(s, client));
    this.client = client;
    client.load(trust.store, trust.terminalId, trust.cloudKey);
  }

  private onMatcher(s: MatcherState, client: MatcherLike): void {
    if (client !== this.client) return; // a worker replaced by a newer load
    if (s.kind === 'loading')
      this.set({
        state: 'loading',
        ...(s.chunksTotal > 0 ? { progress: { done: s.chunksDone, total: s.chunksTotal } } : {}),
      });
    else if (s.kind === 'ready')
      this.set({
        state: 'ready',
        templates: s.templates,
        records: s.records,
        variant: s.variant,
        client: client as MatcherClient,
      });
    else {
      this.set({ state: 'unavailable', reason: s.reason, message: s.message });
      this.stop(); // nothing to match against; free the worker
    }
  }

  private set(info: PalmPayInfo): void {
    this.info = info;
    for (const l of this.listeners) l();
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
