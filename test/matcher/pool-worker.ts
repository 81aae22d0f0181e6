// One helper thread of a Node matcher pool (wasm/loader/pool.ts): runs jobs until stopped.
// Started by node-pool.ts through pool-worker.mjs (tsx).
import { workerData } from 'node:worker_threads';
import { runPoolHelper } from '../../wasm/loader/pool';
import type { PoolHelperInit } from '../../wasm/loader/pool';

await runPoolHelper(workerData as PoolHelperInit);
