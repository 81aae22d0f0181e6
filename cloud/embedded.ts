import type { AddressInfo } from 'node:net';
import { loadAdminToken } from './admin-token';
import { buildCloudApp } from './app';
import type { AuthenticatedTerminal } from './auth';
import { approveDemoScannerKey, type DemoScannerKey } from './demo-scanner-key';
import { DemoShardPublisher } from './demo-shard';
import { enrolledShardState } from './enrolment/shard-records';
import { openDatabase } from './db/open';
import type { Database } from './db/types';
import type { CloudLogOptions } from './logging';
import { EmulatedProcessor } from './payments/emulated-processor';
import { LocalKeyVault, loadMasterKey } from './payments/key-vault';
import type { PaymentProcessor } from './payments/processor';
import { ShopperStore } from './payments/shoppers';
import { issueCode, type IssuedCode } from './provision';
import { issueLoginLink } from './sessions';
import type { ShardPart } from '../common/shard/open';
import type { ShardSource } from './pull';
import type { TerminalRecipient } from './shard/builder';
import { publishShardPart, shardRecipients } from './shard-feed';
import { ensureDemoStore } from './stores';

export interface EmbeddedCloudOptions {
  /** PGlite data directory (created if missing). Omit for an in-memory cloud. Ignored with databaseUrl. */
  readonly dataDir?: string;
  /** A real PostgreSQL instead of PGlite (defaults to process.env.DATABASE_URL). */
  readonly databaseUrl?: string;
  /** With PostgreSQL: a schema of its own (tests that must not share the demo store's rows). */
  readonly schema?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Origins the terminal page is served from, e.g. http://127.0.0.1:5174 or app://terminal. None by default. */
  readonly allowedOrigins?: readonly string[];
  /** See CloudAppOptions.publicOrigin. */
  readonly publicOrigin?: string;
  /**
   * Defaults to CLOUD_ADMIN_TOKEN, else the `admin-token` file in dataDir (created 0600), else a
   * random one in memory. Never printed.
   */
  readonly adminToken?: string;
  readonly shard?: ShardSource;
  /** The request log (default: stdout). false: none. */
  readonly logger?: CloudLogOptions | false;
  /**
   * Demo shoppers for the demo store's template shard (cloud/demo-shard.ts): built and published
   * when its lanes register their shard keys. 0 or omitted: no demo shard (cloud/main.ts reads
   * DEMO_SHOPPERS). Only ever for the demo store.
   */
  readonly demoShoppers?: number;
  /**
   * When the demo shoppers are enrolled in the cloud's shopper store (DEMO_SHOPPERS_ENROL):
   * `first-payment` (default) on each one's first palm payment, inside it, so start-up does no
   * work; `at-start` all of them in the background once the cloud listens, as a real store's
   * shoppers are enrolled before they pay (the palm-pay bench wants that). `demoSeeded` says when.
   */
  readonly demoShoppersEnrol?: DemoShoppersEnrol;
  /**
   * The demo store approves its new lanes as shard recipients by itself (default true; it says so
   * on the lane's screen). false: a manager approves them in the dashboard, as in a real store.
   */
  readonly demoAutoApprove?: boolean;
  /** Where the demo shard reports what it published (default: nowhere). */
  readonly log?: (line: string) => void;
  /** The palm-pay card processor (default: the emulated one with the demo cards' tokens). */
  readonly processor?: PaymentProcessor;
  /**
   * The demo launcher's emulated scanner (cloud/demo-scanner-key.ts): approved for the demo store
   * at start, recorded as the demo's approval. Only ever for the demo store.
   */
  readonly demoScannerKey?: DemoScannerKey | null;
}

export type DemoShoppersEnrol = 'first-payment' | 'at-start';

/** Reads DEMO_SHOPPERS_ENROL; anything else is a clear error. */
export function demoShoppersEnrol(raw: string | undefined): DemoShoppersEnrol {
  const v = raw?.trim() || 'first-payment';
  if (v !== 'first-payment' && v !== 'at-start')
    throw new RangeError(`DEMO_SHOPPERS_ENROL must be first-payment or at-start (got “${raw}”)`);
  return v;
}

export interface EmbeddedCloud {
  /** Base URL, e.g. http://127.0.0.1:8787 (no trailing slash). */
  readonly url: string;
  readonly demoStoreId: string;
  /** For in-process callers (tests); never printed. */
  readonly adminToken: string;
  /** The file holding the admin token, when it lives in one (the data directory's). */
  readonly adminTokenFile: string | null;
  readonly db: Database;
  /** A fresh one-time code a lane can provision with (15 min), issued by `issuedBy`. */
  issueProvisioningCode(storeId?: string, issuedBy?: string): Promise<IssuedCode>;
  /** A one-time dashboard login link for the operator (10 min). */
  issueLoginLink(storeId?: string): Promise<{ url: string; expiresAt: string }>;
  /** Publishes a shard part built by cloud/shard/builder.ts; lanes get it on their next pull. */
  publishShardPart(storeId: string, part: ShardPart, verifyKey: CryptoKey): Promise<number>;
  /** The store's approved lanes that registered a shard key: the builder's `recipients`. */
  shardRecipients(storeId?: string): Promise<TerminalRecipient[]>;
  /** The store dashboard's address (it asks for a login; no credential in it). */
  dashboardUrl(storeId?: string): string;
  /** The demo shard's publisher, when demoShoppers > 0. */
  readonly demoShard: DemoShardPublisher | null;
  /** The palm-pay processor the cloud charges through (tests count its charges). */
  readonly processor: PaymentProcessor;
  /** The demo launcher's scanner, approved at start, and where its capture counter must resume. */
  readonly demoScanner: { readonly serial: string; readonly nextCounter: number } | null;
  /** With `demoShoppersEnrol: 'at-start'`: how many it enrolled, once done; otherwise 0 at once. */
  readonly demoSeeded: Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the store cloud inside this process: PGlite in `dataDir` (or PostgreSQL), migrations,
 * the demo store, and the HTTP API on 127.0.0.1. This is what `npm run cloud`, the browser-mode
 * launcher and Electron main use so that a newcomer sees sales sync with no set-up.
 */
export async function startEmbeddedCloud(
  options: EmbeddedCloudOptions = {},
): Promise<EmbeddedCloud> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const db = await openDatabase(
    databaseUrl
      ? { databaseUrl, ...(options.schema ? { schema: options.schema } : {}) }
      : options.dataDir
        ? { dataDir: options.dataDir }
        : {},
  );
  try {
    const admin = options.adminToken
      ? { token: options.adminToken, file: null }
      : await loadAdminToken(options.dataDir);
    const demoStoreId = await ensureDemoStore(db, {
      autoApproveLanes: options.demoAutoApprove ?? true,
    });
    const log = options.log ?? (() => {});
    let demoScanner: EmbeddedCloud['demoScanner'] = null;
    if (options.demoScannerKey) {
      const k = await approveDemoScannerKey(db, demoStoreId, options.demoScannerKey);
      demoScanner = { serial: k.approval.serial, nextCounter: k.nextCounter };
      if (k.created)
        log(
          `demo scanner ${k.approval.serial} approved for ${demoStoreId} (the emulator's key${k.replaced ? '; its earlier key revoked' : ''})`,
        );
    }
    // Shoppers' templates are sealed under data keys this master key wraps: CLOUD_MASTER_KEY,
    // else <dataDir>/master-key (0600), else (in memory) a key that dies with the database.
    const master = await loadMasterKey(options.dataDir);
    const processor = options.processor ?? new EmulatedProcessor();
    const vault = new LocalKeyVault(master.key);
    const shoppers = new ShopperStore(
      vault,
      options.demoShoppers ? { storeId: demoStoreId, count: options.demoShoppers } : null,
    );
    const demoShard = options.demoShoppers
      ? new DemoShardPublisher({
          db,
          storeId: demoStoreId,
          shoppers: options.demoShoppers,
          log,
          // Shoppers enrolled at the demo store's lanes, and deletions, ride in its shard too.
          enrolled: () => enrolledShardState(db, vault, demoStoreId),
        })
      : null;
    const reconcile = () =>
      demoShard!.reconcile().catch((e: unknown) => {
        log(`demo shard not published: ${e instanceof Error ? e.message : String(e)}`);
      });
    const forDemoStore = (storeId: string) =>
      storeId === demoStoreId ? reconcile() : Promise.resolve();
    const app = await buildCloudApp({
      db,
      adminToken: admin.token,
      allowedOrigins: options.allowedOrigins ?? [],
      ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      logger: options.logger ?? {},
      // New and deleted shoppers reach the store's lanes as a shard delta on their next pull.
      enrolment: {
        publish: async (storeId, change) =>
          demoShard && storeId === demoStoreId ? demoShard.publishChange(change) : null,
      },
      // Demo shoppers are enrolled in the cloud's shopper store on first use (no start-up cost),
      // or all at start (below).
      payments: { processor, shoppers },
      // Before the answer, so the lane's next pull already lists a part with its key, and a
      // revoked lane's key is gone from the next snapshot before its revocation is confirmed.
      ...(demoShard
        ? {
            onShardKeyRegistered: (t: AuthenticatedTerminal) => forDemoStore(t.storeId),
            onShardRecipientsChanged: forDemoStore,
          }
        : {}),
    });
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    // Lanes registered before a restart (or a changed DEMO_SHOPPERS): catch up in the background,
    // so start-up does not wait for it.
    if (demoShard) void reconcile();
    const seeding = new AbortController();
    const demoSeeded =
      options.demoShoppersEnrol === 'at-start' && options.demoShoppers
        ? seedDemoShoppers(shoppers, db, seeding.signal, (level, line, fields) => {
            log(line);
            app.log[level](fields, line);
          })
        : Promise.resolve(0);
    const address = app.server.address() as AddressInfo;
    const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
    return {
      url,
      demoStoreId,
      adminToken: admin.token,
      adminTokenFile: admin.file,
      db,
      issueProvisioningCode: (storeId = demoStoreId, issuedBy = 'operator') =>
        issueCode(db, storeId, issuedBy),
      async issueLoginLink(storeId = demoStoreId) {
        const link = await issueLoginLink(db, storeId);
        return {
          url: `${url}/dashboard/link/${link.token}`,
          expiresAt: link.expiresAt.toISOString(),
        };
      },
      publishShardPart: (storeId, part, verifyKey) =>
        publishShardPart(db, storeId, part, verifyKey),
      shardRecipients: (storeId = demoStoreId) => shardRecipients(db, storeId),
      dashboardUrl: (storeId = demoStoreId) => `${url}/dashboard/${storeId}`,
      demoShard,
      processor,
      demoScanner,
      demoSeeded,
      async close() {
        seeding.abort();
        await demoSeeded; // stops between batches; never rejects
        await app.close();
        await demoShard?.settled(); // let a publication in flight finish before the database closes
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** Enrols the demo store's shoppers in the background; a failure is reported, never thrown. */
async function seedDemoShoppers(
  shoppers: ShopperStore,
  db: Database,
  signal: AbortSignal,
  report: (level: 'info' | 'error', line: string, fields: Record<string, unknown>) => void,
): Promise<number> {
  const t0 = performance.now();
  try {
    const n = await shoppers.seedDemo(db, 500, signal);
    const ms = Math.round(performance.now() - t0);
    if (!signal.aborted)
      report('info', `demo shoppers enrolled at start: ${n} new in ${ms} ms`, {
        demoShoppersEnrolled: n,
        ms,
      });
    return n;
  } catch (e) {
    if (!signal.aborted)
      report('error', `demo shoppers not enrolled at start: ${(e as Error).message}`, {});
    return 0;
  }
}
