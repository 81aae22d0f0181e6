import { spawn, execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import {
  DEMO_POLICY,
  demoCardBehaviour,
  demoHasLowDailyLimit,
  demoPhoneLast4,
  demoPopulation,
} from '../../../cloud/demo-shoppers';
import { PT1_DIMS } from '../../../common/palm/population';
import { thresholds } from '../../../common/shard/policy';
import { demoCatalog } from '../../../common/demo-catalog';
import { storeProfile } from '../../../common/store-profile';
import { CHROMIUM } from '../../../playwright.config';
import { percentile, summarise, type PaymentMarks, type Row } from './stats';

/**
 * `npm run bench:palm-pay [-- --json] [--n 200] [--shoppers 100000]`: palm payments in Chromium
 * through the real app (the browser-mode build, its matcher worker over the shard of `shoppers`
 * demo shoppers, its Dexie commit) against the embedded cloud on loopback. For each payment the
 * page's own performance marks (renderer/src/palm-pay/timing.ts) give: the scanner's last report
 * (the capture result reaching the page) → "Paid" painted, and its parts — capture (present →
 * result, the emulator's default 500 ms hover), match (the worker's 1:N search), authorize (the
 * cloud round trip, or the offline limit checks), commit (the sale's Dexie transaction). Online
 * first (each payment another shopper: the cloud's velocity rule steps up a shopper's third
 * payment in ten minutes), then offline: the cloud cut off at the page, payments stored. Every
 * demo shopper is enrolled in the cloud before the first payment (DEMO_SHOPPERS_ENROL=at-start).
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const JSON_OUT = args.includes('--json');
/** The emulator panel's default capture quality. */
const QUALITY = 85;
const N = flag('n', 200);
const SHOPPERS = flag('shoppers', 100_000);
const PORT = Number(process.env.BENCH_PORT ?? 5290);
const PROFILE = process.env.BENCH_CPU_PROFILE;
const CLOUD_PORT = PORT + 1;
const DATA_DIR = '.bench-palm-pay-cloud';
const TOKEN = 'bench-token-0123456789abcdef';
/** The 1-minute load average: the machine is shared, so every figure comes with it. */
const load = () => loadavg()[0]!.toFixed(1);
const log = (s: string) => {
  if (!JSON_OUT) console.log(s);
  else console.error(s);
};

const chips = demoCatalog(storeProfile('us')).find((p) => p.name === 'Potato Chips 8 oz')!;

async function startHost() {
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'native/browser-host/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST_TOKEN: TOKEN,
      CLOUD_PORT: String(CLOUD_PORT),
      CLOUD_DATA_DIR: DATA_DIR,
      DEMO_SHOPPERS: String(SHOPPERS),
      // Every shopper enrolled before the first payment, as in a store: by default the demo
      // cloud enrols a shopper inside their first payment, which no real payment does.
      DEMO_SHOPPERS_ENROL: 'at-start',
      // The demo's default: the embedded demo cloud approves the emulator's key at start.
      PALM_EMULATOR_KEY: 'approved',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`host did not start:\n${out}`)), 180_000);
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('Open: ')) {
        clearTimeout(timer);
        ready();
      }
    });
    // Without its cloud the lane never gets a shard: say so now rather than in 15 minutes.
    child.stderr.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('embedded store cloud did not start')) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        fail(new Error(`the host started without its cloud:\n${out}`));
      }
    });
    child.once('exit', (code) => fail(new Error(`host exited (${code}):\n${out}`)));
  });
  return async () => {
    if (child.exitCode === null)
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  };
}

/** One palm payment through the UI; its marks, or null when it was not a plain accept. */
async function pay(page: Page, shopper: number): Promise<PaymentMarks | null> {
  const done = page.getByRole('heading', { name: 'Sale complete' });
  if (await done.isVisible()) await page.getByRole('button', { name: 'New sale' }).click();
  await page.keyboard.type(`${chips.barcode}\n`, { delay: 0 });
  await page.getByTestId('cart-line').first().waitFor();
  await page.getByRole('button', { name: 'Palm', exact: true }).click();
  await page.getByTestId('palm-status').and(page.locator('[data-state="waiting"]')).waitFor();
  await page.evaluate(() => performance.clearMarks());
  const panel = page.getByRole('group', { name: 'Palm scanner emulator' });
  await panel.getByLabel('Shopper #').fill(String(shopper));
  await panel.getByRole('button', { name: 'Present palm' }).click();
  // Polled in the page (no named functions inside: tsx's `__name` helper does not exist there;
  // no string either: the app's CSP forbids eval). A no-match — the lane says "not recognised"
  // and arms the scanner again — is over once the match is and the lane waits for a palm again
  // without authorizing.
  const outcome = (await (
    await page.waitForFunction(
      () => {
        if (document.getElementById('receipt-title')) return 'paid';
        const s = document.querySelector('[data-testid="palm-status"]')?.getAttribute('data-state');
        if (s && ['stepUp', 'fallback', 'paused', 'unresolved'].includes(s)) return 'other';
        // Not recognised: matched, and no authorization started (an accept starts it in the
        // same task; the lane draws the states in between only at the next frame).
        if (
          s === 'waiting' &&
          performance.getEntriesByName('palm:matched').length > 0 &&
          performance.getEntriesByName('palm:authorize-start').length === 0
        )
          return 'other';
        return false;
      },
      undefined,
      { timeout: 60_000, polling: 20 },
    )
  ).jsonValue()) as 'paid' | 'other';
  if (outcome === 'other') {
    // A thin match (step-up), no match or a refusal: finish the sale, leave it out of the figures.
    if (await page.getByTestId('palm-keypad').isVisible()) {
      for (const d of demoPhoneLast4(shopper))
        await page.getByTestId('palm-keypad').getByRole('button', { name: d, exact: true }).click();
      await done.waitFor({ timeout: 15_000 }).catch(() => undefined);
    }
    if (!(await done.isVisible())) {
      await page.getByRole('button', { name: 'Pay with cash' }).click();
      await page.getByRole('button', { name: /^Exact / }).click();
      await done.waitFor();
    }
    return null;
  }
  await page.waitForFunction(() => performance.getEntriesByName('palm:paid').length > 0);
  // A string, not a function: tsx's helpers (`__name`) do not exist in the page.
  return page.evaluate(`(() => {
    const at = (n) => performance.getEntriesByName('palm:' + n).at(-1)?.startTime ?? NaN;
    return {
      presented: at('presented'),
      captured: at('captured'),
      matchStart: at('match-start'),
      matched: at('matched'),
      authorizeStart: at('authorize-start'),
      authorized: at('authorized'),
      commitStart: at('commit-start'),
      committed: at('committed'),
      paid: at('paid'),
    };
  })()`) as Promise<PaymentMarks>;
}

/**
 * The cloud's own time for each POST /v1/payments (its request log's responseTime, from the
 * request arriving to the answer sent): the online authorize part less the network and the lane.
 */
async function demoShoppersEnrolled(): Promise<void> {
  const file = resolve(ROOT, DATA_DIR, 'cloud.log');
  const t0 = Date.now();
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const line = text.split('\n').find((l) => l.includes('"demoShoppersEnrolled"'));
    if (line) return log(`  ${(JSON.parse(line) as { msg: string }).msg}`);
    if (text.includes('demo shoppers not enrolled at start'))
      throw new Error('the cloud could not enrol the demo shoppers (see its cloud.log)');
    if (Date.now() - t0 > 900_000) throw new Error('the demo shoppers were not enrolled in 15 min');
    await new Promise((r) => setTimeout(r, 500));
  }
}

function cloudHandling(): Row {
  const text = readFileSync(resolve(ROOT, DATA_DIR, 'cloud.log'), 'utf8');
  const payments = new Set<string>();
  const times: number[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as {
      reqId?: string;
      req?: { method: string; url: string };
      responseTime?: number;
    };
    if (e.req?.method === 'POST' && e.req.url === '/v1/payments' && e.reqId) payments.add(e.reqId);
    else if (e.responseTime !== undefined && e.reqId && payments.delete(e.reqId))
      times.push(e.responseTime);
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    mode: 'online-cloud',
    n: times.length,
    p50Ms: r(percentile(times, 50)),
    p95Ms: r(percentile(times, 95)),
  };
}

async function main() {
  if (!CHROMIUM) throw new Error('no Chromium (set CHROMIUM_PATH or apt-get install chromium)');
  log('building the renderer (build:browser)…');
  execFileSync('npm', ['run', 'build:browser', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  log(`starting the browser host with ${SHOPPERS} demo shoppers…`);
  const stopHost = await startHost();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--disable-background-timer-throttling'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const t0 = Date.now();
    await page.goto(`http://127.0.0.1:${PORT}/#token=${TOKEN}`);
    await page
      .getByTestId('palm-pay-status')
      .and(page.locator('[data-state="ready"]'))
      .waitFor({ timeout: 900_000 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`page ${m.type()}: ${m.text()}`);
    });
    log(`lane ready with the shard in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await demoShoppersEnrolled();
    const rows = [];
    const cloudRoutes = `http://127.0.0.1:${CLOUD_PORT}/**`;
    let next = 0;
    let captures = 0; // the emulator's capture counter: it starts at 0 on a fresh cloud
    const population = demoPopulation();
    // The cloud counts a lane's near-threshold matches and steps up every payment after 5 in
    // 30 min (risk.ts): the bench presents only shoppers whose next capture (its counter is
    // known) clears the accept threshold for the gallery with room to spare, as a shopper who
    // has paid by palm before would. The cloud's re-match scores exactly this dot product.
    const acceptAt = thresholds(DEMO_POLICY, SHOPPERS).accept * 1.03;
    const clearAccept = (i: number) => {
      const e = population.enrollTemplate(i);
      const c = population.capture(i, QUALITY, captures + 1);
      let d = 0;
      for (let k = 0; k < PT1_DIMS; k++) d += e[k]! * c[k]!;
      return d >= acceptAt;
    };
    const nextShopper = () => {
      for (;;) {
        const i = next++;
        if (i >= SHOPPERS) throw new Error(`out of demo shoppers after ${i}`);
        if (demoCardBehaviour(i) === 'approve' && !demoHasLowDailyLimit(i) && clearAccept(i))
          return i;
      }
    };
    for (const mode of ['online', 'offline'] as const) {
      // Offline: the cloud cut off at the page, and navigator.onLine false as the browser would
      // report it (Chromium's own offline switch would also cut the host's WebSocket).
      if (mode === 'offline') {
        await page.route(cloudRoutes, (r) => r.abort('internetdisconnected'));
        await page.evaluate(
          `Object.defineProperty(navigator, 'onLine', { get: () => false, configurable: true })`,
        );
      }
      log(`${mode}: starting (load ${load()})`);
      // BENCH_CPU_PROFILE=file.cpuprofile: the page's CPU profile over the offline payments
      // (open it in Chrome DevTools' Performance panel), to see what the whole path spends.
      const profiler =
        mode === 'offline' && PROFILE ? await page.context().newCDPSession(page) : null;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
        await profiler.send('Profiler.start');
      }
      const marks: PaymentMarks[] = [];
      let skipped = 0;
      while (marks.length < N) {
        const shopper = nextShopper();
        captures++; // every presented palm gives a capture result (quality and liveness pass)
        const m = await pay(page, shopper).catch(async (e: unknown) => {
          // What the lane showed when a payment got stuck, for the one who reads the log.
          const state = await page
            .getByTestId('palm-status')
            .evaluate((el) => `${el.getAttribute('data-state')}: ${el.textContent}`)
            .catch(() => 'no palm status');
          await page.screenshot({ path: resolve(ROOT, 'test/artifacts/bench-palm-pay-stuck.png') });
          throw new Error(`${mode} payment ${marks.length + 1} stuck (${state})`, { cause: e });
        });
        if (m) marks.push(m);
        else if (++skipped > Math.max(10, N / 4))
          throw new Error(`${mode}: ${skipped} payments were not plain accepts; see the lane`);
        if ((marks.length + skipped) % 25 === 0)
          log(`${mode}: ${marks.length} paid, ${skipped} left out (load ${load()})`);
      }
      if (profiler && PROFILE) {
        const { profile } = await profiler.send('Profiler.stop');
        writeFileSync(resolve(ROOT, PROFILE), JSON.stringify(profile));
        log(`CPU profile: ${PROFILE}`);
      }
      const done = summarise(mode, marks, skipped);
      if (mode === 'online') done.push(cloudHandling());
      rows.push(...done);
      // Each mode's rows as soon as it is done: a long run's first half is never lost.
      if (JSON_OUT) for (const r of done) console.log(JSON.stringify(r));
      if (mode === 'offline') {
        await page.evaluate('delete navigator.onLine');
        await page.unroute(cloudRoutes);
      }
    }
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Chromium ${browser.version()}, load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`;
    if (JSON_OUT) log(`machine: ${machine}`);
    else {
      console.log(`palm pay, ${SHOPPERS} shoppers in the shard, ${N} payments a mode — ${machine}`);
      for (const r of rows)
        console.log(
          `${r.mode.padEnd(22)} n=${r.n}  p50 ${r.p50Ms.toFixed(1)} ms  p95 ${r.p95Ms.toFixed(1)} ms` +
            (r.partsMs ? `  parts p50 ${JSON.stringify(r.partsMs)}` : ''),
        );
    }
  } finally {
    await browser.close();
    await stopHost();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
