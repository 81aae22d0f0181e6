import { liveQuery } from 'dexie';
import { useSyncExternalStore } from 'react';
import type { TerminalDatabase } from '../db/database';
import { MatcherClient } from '../matcher/client';
import { PalmPayController } from '../matcher/palm-pay';
import type { PalmPayInfo } from '../matcher/palm-pay';
import { ShardDatabase } from '../shard/shard-db';
import { trustFromTerminalDb } from '../sync/shard-trust';

// Once per page: the lane remounts on a store change, the decrypted gallery must not be rebuilt.
let controller: PalmPayController | null = null;

function pageController(db: TerminalDatabase): PalmPayController {
  if (!controller) {
    const c = new PalmPayController({
      openShardDb: () => new ShardDatabase(),
      trust: () => trustFromTerminalDb(db),
      createClient: (onState) => new MatcherClient(onState),
    });
    controller = c;
    void c.start();
    // The sync engine stores pulled parts through its own connection to `palm-shard`; Dexie tells
    // every live query in the page about those writes, so a shard (or a rekey) that arrives
    // while the lane runs is loaded without a reload. Only versions are read, never chunks.
    const versions = new ShardDatabase();
    liveQuery(() => versions.manifests.toCollection().primaryKeys()).subscribe({
      next: () => void c.refresh(),
      error: () => undefined, // palm pay keeps its last state; the next start looks again
    });
  }
  return controller;
}

/** Palm pay's readiness for the lane: no shard, loading (with chunk counts), ready or unavailable. */
export function usePalmPay(db: TerminalDatabase): PalmPayInfo {
  const c = pageController(db);
  return useSyncExternalStore(c.subscribe, c.get);
}
