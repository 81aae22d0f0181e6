// One matcher worker of the bench's Node pool: owns a kernel instance over the shared memory and
// scans the row range it is given. Started by node-pool.ts through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { KernelRunner } from '../../wasm/loader/kernel';
import type { Layout } from '../../wasm/loader/layout';
import type { Variant } from '../../wasm/loader/features';

const { module, memory, layout, variant, slot } = workerData as {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  layout: Layout;
  variant: Variant;
  slot: number;
};
const runner = await KernelRunner.create(module, variant, memory, layout);
parentPort!.on(
  'message',
  (m: { probe: Int8Array; start: number; end: number; k: number; candidates: number }) => {
    runner.setProbe(slot, m.probe);
    parentPort!.postMessage(runner.searchRange(slot, m.start, m.end, m.k, m.candidates));
  },
);
parentPort!.postMessage('ready');
