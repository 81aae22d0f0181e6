import { useEffect, useRef, useState } from 'react';
import type { HostInfo } from '../../../common/host/contract';
import type { TerminalDatabase } from '../db/database';
import type { LaneSettings } from '../db/settings';
import { ShardDatabase } from '../shard/shard-db';
import { shardSyncTarget } from '../shard/sync-target';
import { startSyncEngine, type SyncEngine } from './engine';

/**
 * Starts the lane's one sync engine once the host has said where the store cloud is (the
 * embedded cloud the launcher started, or CLOUD_URL), and pulls template-shard parts into the
 * lane's shard database. A lane provisioned earlier syncs even if the host names no cloud.
 */
export function useLaneSync(
  db: TerminalDatabase,
  hostInfo: HostInfo | null,
  terminalId: string,
  settings: LaneSettings,
  /** The palm scanner's state, carried on heartbeats so the store dashboard shows it per lane. */
  scannerState: string,
): SyncEngine | null {
  const [engine, setEngine] = useState<SyncEngine | null>(null);
  const ready = hostInfo !== null;
  const cloudUrl = hostInfo?.cloud?.url ?? null;
  // Read through a ref: each host connection may bring a fresh code, which must not restart sync.
  const code = useRef<string | null>(null);
  code.current = hostInfo?.cloud?.provisioningCode ?? null;
  const appVersion = hostInfo?.appVersion ?? '0.0.0';
  // Read through a ref, like the code: a scanner state change must not restart sync.
  const scanner = useRef(scannerState);
  scanner.current = scannerState;
  useEffect(() => {
    if (!ready) return;
    const shardDb = new ShardDatabase();
    const e = startSyncEngine({
      db,
      cloudUrl,
      provisioningCode: code.current,
      deviceId: terminalId,
      laneCode: settings.laneCode,
      appVersion,
      scannerState: () => scanner.current,
      shard: shardSyncTarget(shardDb),
    });
    setEngine(e);
    return () => {
      setEngine(null);
      void e.stop();
      shardDb.close();
    };
  }, [db, ready, cloudUrl, terminalId, settings.laneCode, appVersion]);
  return engine;
}
