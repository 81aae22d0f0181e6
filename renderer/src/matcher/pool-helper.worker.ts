/// <reference lib="webworker" />
import { runPoolHelper } from '../../../wasm/loader/pool';
import type { PoolHelperInit } from '../../../wasm/loader/pool';

// One helper thread of the matcher pool (wasm/loader/pool.ts), started by the matcher worker.
// It sees the shared gallery memory, never a message with a template, and answers through
// shared control words; after the first message its thread blocks waiting for jobs.
declare const self: DedicatedWorkerGlobalScope;
self.onmessage = (e: MessageEvent<PoolHelperInit>) => {
  runPoolHelper(e.data).catch((err: unknown) => {
    // The coordinator sees this as a helper that never starts or never answers.
    console.error('matcher helper failed', err);
  });
};
