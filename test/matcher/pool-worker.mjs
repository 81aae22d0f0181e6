// worker_threads cannot load TypeScript directly: register tsx in this worker, then load it.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
