import { useSyncExternalStore } from 'react';
import type { TerminalDatabase } from '../db/database';
import { MatcherClient } from './client';
import { PalmPayController, trustFromTerminalDb } from './palm-pay';
import type { PalmPayInfo } from './palm-pay';
import { ShardDatabase } from './shard-db';

// Once per page: the lane remounts on a store change, the decrypted gallery must not be rebuilt.
let controller: PalmPayController | null = null;

function pageController(db: TerminalDatabase): PalmPayController {
  controller ??= new PalmPayController({
    openShardDb: () => new ShardDatabase(),
    trust: () => trustFromTerminalDb(db),
    createClient: (onState) => new MatcherClient(onState),
  });
  void controller.start();
  return controller;
}

/** Palm pay's readiness for the lane: no shard, loading (with chunk counts), ready or unavailable. */
export function usePalmPay(db: TerminalDatabase): PalmPayInfo {
  const c = pageController(db);
  return useSyncExternalStore(c.subscribe, c.get);
}
