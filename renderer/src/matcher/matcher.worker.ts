/// <reference lib="webworker" />
import { ShardError, TEMPLATE_BYTES } from '../../../common/shard/format';
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
/** Salted hashes of the last four phone digits, per template: checked here, never posted. */
let phones = new Map<string, { readonly salt: string; readonly hash: string }>();
const stepUpGuard = new StepUpGuard();
const post = (m: FromWorker) => self.postMessage(m);

async function createSearch(
  rows: Int8Array,
): Promise<{ search: RowSearch; threads: number; variant: string; report: string }> {
  const n = rows.length / TEMPLATE_BYTES;
  const threads = Math.min(8, navigator.hardwareConcurrency || 1);
  if (self.crossOriginIsolated && threads > 1 && n >= POOL_MIN_ROWS) {
    const choice = await selectKernel(browserKernelSource, 'auto', { shared: true });
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
  const choice = await selectKernel(browserKernelSource, 'auto');
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
    closeSearch();
    try {
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
      const gallery = buildGallery(shard.records.values());
      const created = await createSearch(gallery.rows);
      gallery.rows.fill(0); // the kernel holds its own copy
      search = created.search;
      rowTemplate = gallery.rowTemplate;
      shoppers = new Map(
        [...shard.records.values()].map((r) => [
          r.templateId,
          {
            customerRef: r.customerRef,
            loyaltyId: r.loyaltyId,
            ageVerified: r.ageVerified,
            limits: r.limits,
          },
        ]),
      );
      phones = new Map([...shard.records.values()].map((r) => [r.templateId, r.phoneLast4]));
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
    if (!search) return post({ type: 'error', id: msg.id, message: 'palm matcher is not ready' });
    try {
      const prefilter =
        msg.guard && rowTemplate.length >= PREFILTER_MIN_ROWS
          ? { candidates: PREFILTER_CANDIDATES, guard: msg.guard }
          : undefined;
      const reply = bestTwo(search, rowTemplate, msg.probe, prefilter);
      const shopper = reply.templateId === null ? null : (shoppers.get(reply.templateId) ?? null);
      post({ type: 'result', id: msg.id, ...reply, shopper });
    } catch (err) {
      post({ type: 'error', id: msg.id, message: (err as Error).message });
    } finally {
      msg.probe.fill(0); // the probe lives only for one decision
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
