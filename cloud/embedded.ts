import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildCloudApp } from './app';
import type { AuthenticatedTerminal } from './auth';
import { DemoShardPublisher } from './demo-shard';
import { openDatabase } from './db/open';
import type { Database } from './db/types';
import { issueProvisioningCode } from './provision';
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
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Origins the terminal page is served from, e.g. http://127.0.0.1:5174 or app://terminal. */
  readonly allowedOrigins?: readonly string[];
  /** Defaults to process.env.CLOUD_ADMIN_TOKEN, else a random one per start. */
  readonly adminToken?: string;
  readonly shard?: ShardSource;
  readonly logger?: boolean;
  /**
   * Demo shoppers for the demo store's template shard (cloud/demo-shard.ts): built and published
   * when its lanes register their shard keys. 0 or omitted: no demo shard (cloud/main.ts reads
   * DEMO_SHOPPERS). Only ever for the demo store.
   */
  readonly demoShoppers?: number;
  /** Where the demo shard reports what it published (default: nowhere). */
  readonly log?: (line: string) => void;
}

export interface EmbeddedCloud {
  /** Base URL, e.g. http://127.0.0.1:8787 (no trailing slash). */
  readonly url: string;
  readonly demoStoreId: string;
  readonly adminToken: string;
  readonly db: Database;
  /** A fresh one-time code a lane can provision with (24 h). */
  issueProvisioningCode(storeId?: string): Promise<string>;
  /** Publishes a shard part built by cloud/shard/builder.ts; lanes get it on their next pull. */
  publishShardPart(storeId: string, part: ShardPart, verifyKey: CryptoKey): Promise<number>;
  /** The store's lanes that registered a shard key: the builder's `recipients`. */
  shardRecipients(storeId?: string): Promise<TerminalRecipient[]>;
  /** The store dashboard's URL, admin token included. */
  dashboardUrl(storeId?: string): string;
  /** The demo shard's publisher, when demoShoppers > 0. */
  readonly demoShard: DemoShardPublisher | null;
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
    databaseUrl ? { databaseUrl } : options.dataDir ? { dataDir: options.dataDir } : {},
  );
  const adminToken =
    options.adminToken ?? process.env.CLOUD_ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  try {
    const demoStoreId = await ensureDemoStore(db);
    const log = options.log ?? (() => {});
    const demoShard = options.demoShoppers
      ? new DemoShardPublisher({ db, storeId: demoStoreId, shoppers: options.demoShoppers, log })
      : null;
    const reconcile = () =>
      demoShard!.reconcile().catch((e: unknown) => {
        log(`demo shard not published: ${e instanceof Error ? e.message : String(e)}`);
      });
    const app = await buildCloudApp({
      db,
      adminToken,
      allowedOrigins: options.allowedOrigins ?? ['*'],
      ...(options.shard ? { shard: options.shard } : {}),
      logger: options.logger ?? false,
      // Before the answer, so the lane's next pull already lists a part with its key.
      ...(demoShard
        ? {
            onShardKeyRegistered: (t: AuthenticatedTerminal) =>
              t.storeId === demoStoreId ? reconcile() : Promise.resolve(),
          }
        : {}),
    });
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    // Lanes registered before a restart (or a changed DEMO_SHOPPERS): catch up in the background,
    // so start-up does not wait for it.
    if (demoShard) void reconcile();
    const address = app.server.address() as AddressInfo;
    const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
    return {
      url,
      demoStoreId,
      adminToken,
      db,
      issueProvisioningCode: (storeId = demoStoreId) => issueProvisioningCode(db, storeId),
      publishShardPart: (storeId, part, verifyKey) =>
        publishShardPart(db, storeId, part, verifyKey),
      shardRecipients: (storeId = demoStoreId) => shardRecipients(db, storeId),
      dashboardUrl: (storeId = demoStoreId) =>
        `${url}/dashboard/${storeId}?token=${encodeURIComponent(adminToken)}`,
      demoShard,
      async close() {
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
