import { parseManifestText } from '../common/shard/format';
import type { ShardManifest, ShardRecord } from '../common/shard/format';
import type { TransformKey } from '../common/shard/transform';
import type { Database } from './db/types';
import { DEMO_POLICY, demoShoppers } from './demo-shoppers';
import { HttpError } from './errors';
import {
  buildShardPart,
  generateShardKey,
  generateSigningKeyPair,
  generateTransformKey,
  type ShardKey,
} from './shard/builder';
import { publishShardPart, shardRecipients } from './shard-feed';
import { changeSettings, storeSettings } from './stores';

/**
 * The demo store's template shard (demo and embedded cloud only; cloud/main.ts turns it on with
 * DEMO_SHOPPERS): shoppers from the synthetic population the emulator captures from, wrapped for
 * every lane of the store that registered its shard key. A lane registers after it provisions,
 * so each new lane gets a `rekey` (a full snapshot under a fresh shard key, wrapped for every
 * lane): a lane cannot use a snapshot that carries no key for it, and a revoked lane is left out
 * of the next one. Every snapshot is also under a fresh template transform generation (the whole
 * shard is rotated anew anyway): what leaked from an earlier one, e.g. from a revoked lane, no
 * longer matches. Also gives the store its decision policy when it has none.
 */
export interface DemoShardOptions {
  readonly db: Database;
  readonly storeId: string;
  /** Shoppers 0 … n−1; 0 publishes nothing. */
  readonly shoppers: number;
  /** Records per chunk (the builder's default is 1000). */
  readonly chunkRecords?: number;
  readonly log?: (line: string) => void;
  /**
   * Shoppers enrolled at lanes and shoppers deleted (cloud/enrolment/shard-records.ts): a full
   * snapshot carries the demo shoppers not deleted plus the enrolled ones.
   */
  readonly enrolled?: () => Promise<EnrolledShardState>;
}

export interface EnrolledShardState {
  readonly adds: readonly ShardRecord[];
  /** Template ids deleted (demo shoppers among them are left out of a snapshot). */
  readonly removed: ReadonlySet<string>;
}

export interface DemoShardOutcome {
  /** The version published by this call, or null when the feed was already right. */
  readonly published: number | null;
  readonly kind?: 'full' | 'rekey';
  readonly lanes: number;
  readonly shoppers: number;
  /** Time to build, encrypt, wrap, sign and store the part (and the records, the first time). */
  readonly ms?: number;
}

export class DemoShardPublisher {
  private queue: Promise<unknown> = Promise.resolve();
  // Built on first need, then kept: the records are the same every time (deterministic).
  private records: ShardRecord[] | null = null;
  // Per process: a restarted cloud signs its next part with a new key and publishes its public
  // half with it, so a lane always verifies the chain it is served with the key served beside it.
  private signing: Promise<CryptoKeyPair> | null = null;
  // The shard key of the latest part this process published: a delta must use it (after a
  // restart it is gone, and a change is published as a rekey snapshot instead).
  // The last part this publisher built: a delta must reuse its key and its template transform.
  private current: { version: number; key: ShardKey; transform: TransformKey } | null = null;

  constructor(private readonly o: DemoShardOptions) {
    if (!Number.isSafeInteger(o.shoppers) || o.shoppers < 0)
      throw new RangeError(`demo shoppers must be a whole number ≥ 0 (got ${o.shoppers})`);
  }

  /**
   * Brings the published shard in line with the store's lanes: publishes a full snapshot (or a
   * rekey) when a registered lane has no key in the latest snapshot, a key holder is no longer a
   * lane, or the shopper count changed. Calls run one after another.
   */
  reconcile(): Promise<DemoShardOutcome> {
    const run = this.queue.then(() => this.reconcileNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Publishes enrolled and deleted shoppers as a delta under the current shard key (a rekey
   * snapshot when this process holds no key for the latest part); resolves to its version.
   */
  publishChange(change: {
    adds: readonly ShardRecord[];
    tombstones: readonly string[];
  }): Promise<number | null> {
    const run = this.queue.then(() => this.publishChangeNow(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async publishChangeNow(change: {
    adds: readonly ShardRecord[];
    tombstones: readonly string[];
  }): Promise<number | null> {
    const latest = await this.latestPart();
    const current = this.current;
    if (!latest || !current || current.version !== latest.version)
      return (await this.reconcileNow(true)).published;
    const recipients = await shardRecipients(this.o.db, this.o.storeId);
    const version = latest.version + 1;
    const signing = await (this.signing ??= generateSigningKeyPair());
    const part = await buildShardPart({
      store: this.o.storeId,
      version,
      kind: 'delta',
      base: latest.version,
      shardKey: current.key,
      // Wrapped again for every lane, so the latest part names every key holder.
      recipients,
      transform: current.transform,
      adds: change.adds,
      tombstones: change.tombstones,
      signingKey: signing.privateKey,
    });
    await publishShardPart(this.o.db, this.o.storeId, part, signing.publicKey);
    this.current = { version, key: current.key, transform: current.transform };
    this.o.log?.(
      `shard v${version} (delta): ${change.adds.length} enrolled, ${change.tombstones.length} deleted`,
    );
    return version;
  }

  /** Resolves once every reconcile asked for so far has finished (for shutdown and tests). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async reconcileNow(force = false): Promise<DemoShardOutcome> {
    const { db, storeId, shoppers } = this.o;
    if (shoppers === 0) return { published: null, lanes: 0, shoppers: 0 };
    await this.ensurePolicy();
    const recipients = await shardRecipients(db, storeId);
    const base = { lanes: recipients.length, shoppers };
    if (recipients.length === 0) return { published: null, ...base };
    const latest = await this.latestPart();
    const previous = latest ? manifestOrNull(latest.manifest) : null;
    if (latest && previous) {
      const m = previous;
      const holders = new Set(m.keys.map((k) => k.terminalId));
      const records = m.chunks.reduce((s, c) => s + (c.kind === 'records' ? c.count : 0), 0);
      const upToDate =
        !force &&
        (this.current?.version === latest.version ||
          (m.kind !== 'delta' && records === (await this.snapshotRecords()).length)) &&
        holders.size === recipients.length &&
        recipients.every((r) => holders.has(r.terminalId));
      if (upToDate) return { published: null, ...base };
    }
    const started = performance.now();
    const version = (latest?.version ?? 0) + 1;
    const kind = latest ? 'rekey' : 'full';
    this.signing ??= generateSigningKeyPair();
    const signing = await this.signing;
    const shardKey = await generateShardKey(`demo-k${version}`);
    const transform = generateTransformKey((previous?.transform.generation ?? 0) + 1);
    const part = await buildShardPart({
      store: storeId,
      version,
      kind,
      shardKey,
      recipients,
      transform,
      adds: await this.snapshotRecords(),
      ...(this.o.chunkRecords ? { chunkRecords: this.o.chunkRecords } : {}),
      signingKey: signing.privateKey,
    });
    try {
      await publishShardPart(db, storeId, part, signing.publicKey);
    } catch (e) {
      // Another cloud instance published this version first: look again (once per call is enough,
      // the next registration reconciles anyway).
      if (e instanceof HttpError && e.code === 'SHARD_VERSION') return this.reconcileNow(force);
      throw e;
    }
    this.current = { version, key: shardKey, transform };
    const ms = Math.round(performance.now() - started);
    this.o.log?.(
      `demo shard v${version} (${kind}): ${shoppers} shoppers for ${recipients.length} lane(s) in ${ms} ms`,
    );
    return { published: version, kind, ...base, ms };
  }

  private shoppers(): ShardRecord[] {
    return (this.records ??= demoShoppers(this.o.shoppers));
  }

  /** What a snapshot carries: the demo shoppers not deleted, then those enrolled at lanes. */
  private async snapshotRecords(): Promise<ShardRecord[]> {
    if (!this.o.enrolled) return this.shoppers();
    const { adds, removed } = await this.o.enrolled();
    return [...this.shoppers().filter((r) => !removed.has(r.templateId)), ...adds];
  }

  /** The demo policy, only when the store has none (an admin's own policy is kept). */
  private async ensurePolicy(): Promise<void> {
    const current = await storeSettings(this.o.db, this.o.storeId);
    if (current.matcher.policy) return;
    await changeSettings(this.o.db, this.o.storeId, {
      matcher: { ...current.matcher, policy: DEMO_POLICY },
    });
  }

  private async latestPart(): Promise<{ version: number; manifest: string } | null> {
    const r = await this.o.db.query<{ version: number; manifest: string }>(
      'SELECT version, manifest FROM shard_parts WHERE store_id = $1 ORDER BY version DESC LIMIT 1',
      [this.o.storeId],
    );
    return r.rows[0] ?? null;
  }
}

/** A stored manifest, or null when it is of an older format (the next snapshot replaces it). */
function manifestOrNull(text: string): ShardManifest | null {
  try {
    return parseManifestText(text);
  } catch {
    return null;
  }
}
