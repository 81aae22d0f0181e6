/// <reference lib="webworker" />
import { ShardError, TEMPLATE_BYTES } from '../../../common/shard/format';
import { deriveTransform } from '../../../common/shard/transform';
import type { TemplateTransform } from '../../../common/shard/transform';
import { browserKernelSource } from '../../../wasm/loader/browser';
import { Matcher } from '../../../wasm/loader/kernel';
import { MatcherPool } from '../../../wasm/loader/pool';
import { selectKernel } from '../../../wasm/loader/select';
import { buildGallery } from './gallery';
import { spawnPoolHelper } from './pool-helper';
import type { FromWorker, ShopperInfo, ToWorker } from './protocol';
import { bestTwo } from './search';
import type { RowSearch } from './search';
import { ShardDatabase } from '../shard/shard-db';
import { loadShard } from './shard-loader';
import { checkPhoneLast4 } from '../../../common/shard/shard-crypto';
import { StepUpGuard } from './step-up-guard';

// The only place decrypted templates exist: this worker's memory and its wasm linear memory
// (shared with the pool's helper threads, which only ever see that memory).
declare const self: DedicatedWorkerGlobalScope;

/** From this many rows a pool over every core pays for its start-up (~2.7 ms per exact scan). */
const POOL_MIN_ROWS = 50_000;
/** Rows the guarded pre-filter re-ranks exactly (bench:matcher measures agreement at this C). */
const PREFILTER_CANDIDATES = 512;
/** Below this many rows an exact scan is fast enough that the pre-filter is not worth a doubt. */
const PREFILTER_MIN_ROWS = 200_000;

let search: RowSearch | undefined;
let closeSearch: () => void = () => {};
let rowTemplate: readonly string[] = [];
let shoppers = new Map<string, ShopperInfo>();
// The store's template transform from the shard: the gallery is under it, so every probe is too.
let transform: TemplateTransform | undefined;
const rotated = new Int8Array(TEMPLATE_BYTES);
/** Salted hashes of the last four phone digits, per template: checked here, never posted. */
let phones = new Map<string, { readonly salt: string; readonly hash: string }>();
const stepUpGuard = new StepUpGuard();
const post = (m: FromWorker) => self.postMessage(m);

const threadsHere = () => Math.min(8, navigator.hardwareConcurrency || 1);
const poolPossible = () => self.crossOriginIsolated && threadsHere() > 1;

/**
 * Kernel selection (feature detection, self-test, calibration: ~90 ms) started with the shard
 * load instead of after it: the build a pool would need where a pool is possible at all.
 */
function startKernelSelection(): ReturnType<typeof selectKernel> {
  const choosing = selectKernel(
    browserKernelSource,
    'auto',
    poolPossible() ? { shared: true } : undefined,
  );
  choosing.catch(() => {}); // awaited in createSearch
  return choosing;
}

async function createSearch(
  rows: Int8Array,
  choosing: ReturnType<typeof selectKernel>,
): Promise<{ search: RowSearch; threads: number; variant: string; report: string }> {
  const n = rows.length / TEMPLATE_BYTES;
  const threads = threadsHere();
  if (poolPossible() && n >= POOL_MIN_ROWS) {
    const choice = await choosing;
    const pool = await MatcherPool.create(
      choice.module,
      choice.variant,
      rows,
      threads,
      spawnPoolHelper,
    );
    closeSearch = () => pool.close();
    return {
      search: (p, k, c) => pool.search(p, k, c),
      threads,
      variant: choice.variant,
      report: `${choice.report}; ${threads} threads over shared memory`,
    };
  }
  const choice = poolPossible() ? await selectKernel(browserKernelSource, 'auto') : await choosing;
  const matcher = await Matcher.create(choice.module, choice.variant, rows);
  return {
    search: (p, k, c) => matcher.search(p, k, { candidates: c }),
    threads: 1,
    variant: choice.variant,
    report: choice.report,
  };
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'load') {
    search = undefined;
    transform = undefined;
    closeSearch();
    try {
      const choosing = startKernelSelection();
      const cloudKey = await crypto.subtle.importKey(
        'jwk',
        msg.cloudKey,
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
      const shard = await loadShard(new ShardDatabase(), {
        store: msg.store,
        terminalId: msg.terminalId,
        cloudKey,
        onProgress: (p) => post({ type: 'progress', ...p }),
      });
      transform = await deriveTransform(msg.store, shard.transform);
      shard.transform.key.fill(0); // the derived rotation is all the worker keeps
      const gallery = buildGallery(shard.records.values());
      const created = await createSearch(gallery.rows, choosing);
      // The kernel holds its own copy: the gallery's and the records' decrypted templates are
      // wiped rather than left to the garbage collector.
      gallery.rows.fill(0);
      const nextShoppers = new Map<string, ShopperInfo>();
      const nextPhones = new Map<string, { readonly salt: string; readonly hash: string }>();
      for (const r of shard.records.values()) {
        for (const t of r.templates) t.fill(0);
        const { customerRef, loyaltyId, ageVerified, limits } = r;
        nextShoppers.set(r.templateId, { customerRef, loyaltyId, ageVerified, limits });
        nextPhones.set(r.templateId, r.phoneLast4);
      }
      search = created.search;
      rowTemplate = gallery.rowTemplate;
      shoppers = nextShoppers;
      phones = nextPhones;
      post({
        type: 'ready',
        templates: rowTemplate.length,
        records: shard.records.size,
        variant: created.variant,
        report: created.report,
        threads: created.threads,
      });
    } catch (err) {
      const reason = err instanceof ShardError ? err.reason : 'matcher';
      post({ type: 'unavailable', reason, message: (err as Error).message });
    }
  } else if (msg.type === 'match') {
    if (!search || !transform)
      return post({ type: 'error', id: msg.id, message: 'palm matcher is not ready' });
    try {
      const prefilter =
        msg.guard && rowTemplate.length >= PREFILTER_MIN_ROWS
          ? { candidates: PREFILTER_CANDIDATES, guard: msg.guard }
          : undefined;
      const probe = transform.apply(msg.probe, rotated);
      const reply = bestTwo(search, rowTemplate, probe, prefilter);
      const shopper = reply.templateId === null ? null : (shoppers.get(reply.templateId) ?? null);
      post({ type: 'result', id: msg.id, ...reply, shopper });
    } catch (err) {
      post({ type: 'error', id: msg.id, message: (err as Error).message });
    } finally {
      msg.probe.fill(0); // the probe lives only for one decision
      rotated.fill(0);
    }
  } else if (msg.type === 'stepUp') {
    const stored = phones.get(msg.templateId);
    if (!stored) return post({ type: 'error', id: msg.id, message: 'no such palm record' });
    const now = Date.now();
    if (!stepUpGuard.allows(msg.templateId, now))
      return post({ type: 'stepUpResult', id: msg.id, ok: false });
    const ok = await checkPhoneLast4(msg.digits, stored);
    stepUpGuard.record(msg.templateId, ok, now);
    post({ type: 'stepUpResult', id: msg.id, ok });
  }
};
