import type { TerminalDatabase } from '../db/database';
import { storedShardFeed } from '../shard/feed';
import type { ShardTrust } from '../shard/trust';
import { loadIdentity } from './identity';

/** The lane's store, terminal id and cloud verification key, as provisioning and pull left them. */
export async function trustFromTerminalDb(db: TerminalDatabase): Promise<ShardTrust | null> {
  const identity = await loadIdentity(db);
  const feed = await storedShardFeed(db);
  if (!identity || !feed?.verifyKey) return null;
  return {
    store: identity.storeId,
    terminalId: identity.terminalId,
    cloudKey: feed.verifyKey as JsonWebKey,
  };
}
