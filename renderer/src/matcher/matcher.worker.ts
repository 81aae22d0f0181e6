/// <reference lib="webworker" />
import { ShardError } from '../../../common/shard/format';
import { browserKernelSource } from '../../../wasm/loader/browser';
import { Matcher } from '../../../wasm/loader/kernel';
import { selectKernel } from '../../../wasm/loader/select';
import { buildGallery } from './gallery';
import type { FromWorker, ToWorker } from './protocol';
import { bestTwo } from './search';
import { ShardDatabase } from './shard-db';
import { loadShard } from './shard-loader';

// The only place decrypted templates exist: this worker's memory and its wasm linear memory.
declare const self: DedicatedWorkerGlobalScope;
let matcher: Matcher | undefined;
let rowTemplate: readonly string[] = [];
const post = (m: FromWorker) => self.postMessage(m);

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'load') {
    matcher = undefined;
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
      const choice = await selectKernel(browserKernelSource, 'auto');
      matcher = await Matcher.create(choice.module, choice.variant, gallery.rows);
      rowTemplate = gallery.rowTemplate;
      post({
        type: 'ready',
        templates: rowTemplate.length,
        records: shard.records.size,
        variant: choice.variant,
        report: choice.report,
      });
    } catch (err) {
      const reason = err instanceof ShardError ? err.reason : 'matcher';
      post({ type: 'unavailable', reason, message: (err as Error).message });
    }
  } else if (msg.type === 'match') {
    if (!matcher) return post({ type: 'error', id: msg.id, message: 'palm matcher is not ready' });
    try {
      post({ type: 'result', id: msg.id, ...bestTwo(matcher, rowTemplate, msg.probe) });
    } catch (err) {
      post({ type: 'error', id: msg.id, message: (err as Error).message });
    } finally {
      msg.probe.fill(0); // the probe lives only for one decision
    }
  }
};
