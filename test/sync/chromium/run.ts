import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildCloudApp } from '../../../cloud/app';
import type { Database } from '../../../cloud/db/types';
import { issueProvisioningCode } from '../../../cloud/provision';
import { createStore } from '../../../cloud/stores';
import type { NewStaff } from '../../../cloud/staff';
import { demoCatalog } from '../../../common/demo-catalog';
import { storeProfile } from '../../../common/store-profile';
import { startBrowserHost } from '../../../native/browser-host/server';
import { createEmulatedHostService } from '../../../native/host/emulated-host';
import { openTestCloudDb } from '../lane';
import {
  browserFaultPicker,
  seeded,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
  type ProxyMode,
} from '../proxy';
import {
  badge,
  laneReady,
  ringSale,
  snapshot,
  unsynced,
  until,
  type OutboxView,
} from './lane-page';

/**
 * The Chromium fault suite's machinery: the real browser-mode app (the renderer built as
 * `npm run build:browser` builds it, served by the real browser host with a real
 * TerminalHostService), a real cloud app on PGlite, and the fault proxy between the page and the
 * cloud. Each run gets its own host (port 0: its own origin, so its own IndexedDB), its own cloud
 * app instance allowing exactly that origin (over the one shared database), its own proxy and
 * store, so runs go in parallel pages of one browser.
 */

export const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((p) => p && existsSync(p));

const ROOT = resolve(import.meta.dirname, '../../..');
const US = storeProfile('us');
/** What a cashier scans: the demo catalog without age-restricted items (no ID prompt). */
const SCANNABLE = demoCatalog(US).filter((p) => p.minimumAge === 0);

export interface FaultEnv {
  readonly browser: Browser;
  readonly staticDir: string;
  readonly db: Database;
  close(): Promise<void>;
}

/** Builds the renderer (demo mode, as build:browser) into a temp dir, opens the cloud database, launches Chromium. */
export async function startFaultEnv(): Promise<FaultEnv> {
  if (!CHROMIUM) throw new Error('no Chromium (set CHROMIUM_PATH or apt-get install chromium)');
  // SYNC_CHROMIUM_APP_DIR serves another build as is (e.g. an older commit's, to show a failure).
  const given = process.env.SYNC_CHROMIUM_APP_DIR;
  const staticDir = given ?? mkdtempSync(join(tmpdir(), 'palm-chromium-faults-'));
  // The code under test, built now: a stale out/browser must never be what the suite checks.
  if (!given)
    execFileSync(
      process.execPath,
      [
        resolve(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        resolve(ROOT, 'renderer/vite.browser.config.ts'),
        '--mode',
        'demo',
        '--outDir',
        staticDir,
        '--emptyOutDir',
        '--logLevel',
        'error',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  const db = await openTestCloudDb();
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...(runningAsRoot ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      // Pages in the background keep their timers (several runs share one browser).
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
  return {
    browser,
    staticDir,
    db,
    async close() {
      await browser.close();
      await db.close();
      if (!given) rmSync(staticDir, { recursive: true, force: true });
    },
  };
}

export interface RunOptions {
  readonly sales: number;
  /** Every outbox must be empty this long after the network heals. */
  readonly healDeadlineMs?: number;
}

export interface RunReport {
  readonly seed: number;
  readonly sales: number;
  readonly requests: number;
  readonly faults: Partial<Record<FaultKind, number>>;
  /** Requests the browser sent a second time with the same nonce (its own retry). */
  readonly resent: number;
  readonly reloads: number;
  readonly deadPhases: number;
  /** Completed on the lane (its IndexedDB), not in the cloud. */
  readonly lost: string[];
  /** In the cloud more than once (counted twice in the daily totals or applied twice). */
  readonly duplicated: number;
  /** In the cloud, never completed on the lane. */
  readonly phantom: string[];
  readonly rejected: number;
  /** From healing to no pending or in-flight row in IndexedDB; null: not within the deadline. */
  readonly healToEmptyMs: number | null;
  /** What the page showed at the end. */
  readonly badge: { phase: string | null; text: string; title: string | null };
  readonly stuck: readonly OutboxView[];
  /** The cashier could not go on (the page stopped answering as a lane should). */
  readonly harnessError: string | null;
  readonly ms: number;
  readonly ok: boolean;
}

let storeSeq = 0;

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface LiveLane {
  readonly storeId: string;
  readonly proxy: FaultProxy;
  readonly app: FastifyInstance;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * One lane, ready to sell: a store in the shared cloud database with the demo catalog, the fault
 * proxy (healthy: provisioning goes through clean, since a provisioning answer lost after the
 * cloud used the code needs a manager's new code), the browser host with its own
 * TerminalHostService on port 0, a cloud app allowing exactly that origin, and a fresh page
 * that has provisioned itself with the host's code and pulled.
 */
export async function openLane(
  env: FaultEnv,
  seed: number,
  o: { staff?: readonly NewStaff[] } = {},
): Promise<LiveLane> {
  const storeId = `cf-${seed}-${++storeSeq}`;
  await createStore(env.db, {
    id: storeId,
    name: `Chromium faults ${seed}`,
    profileId: 'us',
    products: demoCatalog(US),
    ...(o.staff ? { staff: o.staff } : {}),
  });
  const proxy = await startFaultProxy(null, browserFaultPicker(seeded(seed * 7919)));
  proxy.setMode('healthy');
  const service = createEmulatedHostService({
    shell: 'browser',
    appVersion: 'chromium-faults',
    terminalId: `lane-${seed}`,
    emulatorControls: true,
    cardProcessingMs: 50,
    drawerLeftOpenAfterMs: 600_000,
    scanner: { kind: 'none' },
  });
  service.cloud = {
    url: proxy.url,
    provisioningCode: await issueProvisioningCode(env.db, storeId),
  };
  const host = await startBrowserHost({
    service,
    staticDir: env.staticDir,
    port: 0,
    connectSrc: [proxy.url],
  });
  const app = await buildCloudApp({
    db: env.db,
    adminToken: ADMIN_TOKEN,
    allowedOrigins: [host.origin],
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  proxy.setTarget(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    await host.close();
    await service.dispose();
    app.server.closeAllConnections();
    await app.close();
    await proxy.close();
  };
  try {
    await page.goto(host.url);
    await laneReady(page);
    await until(
      'the lane to provision and pull',
      async () => ((await badge(page)).phase === 'idle' ? true : undefined),
      30_000,
    );
  } catch (e) {
    await close();
    throw e;
  }
  return { storeId, proxy, app, page, close };
}

/** The cloud apps' admin token (tests call the admin API with it). */
export const ADMIN_TOKEN = 'chromium-faults-admin';

export async function runSeed(env: FaultEnv, seed: number, o: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const healDeadlineMs = o.healDeadlineMs ?? 30_000;
  const rand = seeded(seed);
  const { storeId, proxy, page, close } = await openLane(env, seed);
  let reloads = 0;
  let deadPhases = 0;
  let harnessError: string | null = null;
  try {
    proxy.setMode('faulty');
    let deadFor = 0; // sales left in the current dead phase
    try {
      for (let attempt = 0; attempt < o.sales * 3; attempt++) {
        if ((await snapshot(page)).saleIds.length >= o.sales) break;
        if (deadFor === 0 && rand() < 0.12) {
          deadFor = 1 + Math.floor(rand() * 4);
          deadPhases += 1;
          proxy.setMode(rand() < 0.5 ? 'dead-refuse' : 'dead-blackhole');
        }
        const pick = shuffled(SCANNABLE, rand).slice(0, 1 + Math.floor(rand() * 2));
        const r = rand();
        const result = await ringSale(page, pick, {
          reloadMidSale: r < 0.12,
          reloadAfterPayMs: r >= 0.12 && r < 0.3 ? Math.floor(rand() * 60) : null,
        });
        reloads += result.reloads;
        if (deadFor > 0 && --deadFor === 0) proxy.setMode('faulty' satisfies ProxyMode);
        await new Promise((res) => setTimeout(res, Math.floor(rand() * 200)));
      }
    } catch (e) {
      // The cashier got stuck (a harness problem or a lane that stopped selling): keep the
      // picture, heal anyway and report the run as failed rather than end the whole suite.
      harnessError = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      await page
        .screenshot({ path: resolve(ROOT, `test/artifacts/chromium-faults-seed-${seed}.png`) })
        .catch(() => undefined);
    }

    // Heal, then wait, with no reload and no human action.
    proxy.setMode('healthy');
    const healedAt = Date.now();
    let healToEmptyMs: number | null = null;
    while (Date.now() - healedAt < healDeadlineMs) {
      const s = await snapshot(page).catch(() => null);
      if (s && unsynced(s).length === 0) {
        healToEmptyMs = Date.now() - healedAt;
        break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    const lane = await snapshot(page);
    const shown = await badge(page);

    const cloud = await env.db.query<{ id: string }>('SELECT id FROM sales WHERE store_id = $1', [
      storeId,
    ]);
    const totals = await env.db.query<{ n: number }>(
      'SELECT COALESCE(sum(sales_count), 0)::int AS n FROM store_daily_totals WHERE store_id = $1',
      [storeId],
    );
    const applied = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mutations WHERE store_id = $1 AND kind = 'sale.completed' AND status = 'applied'`,
      [storeId],
    );
    const inCloud = new Set(cloud.rows.map((r) => r.id));
    const onLane = new Set(lane.saleIds);
    const lost = lane.saleIds.filter((id) => !inCloud.has(id));
    const phantom = [...inCloud].filter((id) => !onLane.has(id));
    const duplicated = Math.max(
      0,
      (totals.rows[0]?.n ?? 0) - inCloud.size,
      (applied.rows[0]?.n ?? 0) - inCloud.size,
    );
    const rejected = lane.outbox.filter((r) => r.status === 'rejected').length;
    const counts = Object.fromEntries(
      Object.entries(proxy.counts).filter(([, n]) => n > 0),
    ) as Partial<Record<FaultKind, number>>;
    return {
      seed,
      sales: lane.saleIds.length,
      requests: Object.values(proxy.counts).reduce((a, b) => a + b, 0),
      faults: counts,
      resent: proxy.resent,
      reloads,
      deadPhases,
      lost,
      duplicated,
      phantom,
      rejected,
      healToEmptyMs,
      badge: shown,
      stuck: unsynced(lane),
      harnessError,
      ms: Date.now() - started,
      ok:
        harnessError === null &&
        lane.saleIds.length >= o.sales &&
        lost.length === 0 &&
        phantom.length === 0 &&
        duplicated === 0 &&
        rejected === 0 &&
        healToEmptyMs !== null,
    };
  } finally {
    await close();
  }
}

/** One line per run, as the suite and fuzz:sync print it. */
export function formatRun(r: RunReport): string {
  const faults = Object.entries(r.faults)
    .filter(([k]) => k !== 'pass')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const heal = r.healToEmptyMs === null ? 'NOT EMPTY' : `${r.healToEmptyMs} ms`;
  const head =
    `seed ${r.seed} ${r.ok ? 'ok  ' : 'FAIL'} sales ${r.sales}, requests ${r.requests} ` +
    `(re-sent by the browser ${r.resent}), reloads ${r.reloads}, dead phases ${r.deadPhases}, ` +
    `lost ${r.lost.length}, duplicated ${r.duplicated}, phantom ${r.phantom.length}, ` +
    `rejected ${r.rejected}, healing → empty outbox ${heal}\n    faults: ${faults}`;
  if (r.ok) return head;
  const stuckCashier = r.harnessError ? `\n    cashier stuck: ${r.harnessError}` : '';
  const errors = [...new Set(r.stuck.map((s) => s.lastError ?? '—'))].join(' | ');
  return (
    `${head}\n    page showed: [${r.badge.phase}] "${r.badge.text}" (title: ${r.badge.title ?? '—'})` +
    `\n    stuck rows: ${r.stuck.length} (${r.stuck.map((s) => s.status).join(', ')}); errors: ${errors}` +
    stuckCashier
  );
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs seeds with `parallel` pages at a time, printing each run as it ends. */
export async function runSeeds(
  env: FaultEnv,
  seeds: readonly number[],
  o: RunOptions & { parallel: number; print?: (line: string) => void },
): Promise<RunReport[]> {
  const queue = [...seeds];
  const reports: RunReport[] = [];
  await Promise.all(
    Array.from({ length: Math.min(o.parallel, seeds.length) }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
        const r = await runSeed(env, seed, o);
        reports.push(r);
        o.print?.(formatRun(r));
      }
    }),
  );
  return reports.sort((a, b) => a.seed - b.seed);
}

export function summary(reports: readonly RunReport[], wallMs: number, parallel: number): string {
  const heal = reports.flatMap((r) => (r.healToEmptyMs === null ? [] : [r.healToEmptyMs]));
  const failed = reports.filter((r) => !r.ok).map((r) => r.seed);
  const faults: Record<string, number> = {};
  for (const r of reports)
    for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + (v ?? 0);
  const sum = (f: (r: RunReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return [
    `chromium sync faults: ${reports.length} runs, ${sum((r) => r.sales)} sales; ` +
      `lost ${sum((r) => r.lost.length)}, duplicated ${sum((r) => r.duplicated)}, phantom ${sum((r) => r.phantom.length)}; ` +
      `failed seeds: ${failed.length ? failed.join(', ') : 'none'}`,
    `  requests ${sum((r) => r.requests)} (re-sent by the browser ${sum((r) => r.resent)}), reloads ${sum((r) => r.reloads)}, dead phases ${sum((r) => r.deadPhases)}`,
    `  faults: ${Object.entries(faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  healing → empty outbox: p50 ${percentile(heal, 50)} ms, max ${heal.length ? Math.max(...heal) : NaN} ms` +
      ` (${heal.length}/${reports.length} within the deadline)`,
    `  wall time ${(wallMs / 1000).toFixed(1)} s, ${parallel} pages at a time`,
  ].join('\n');
}
