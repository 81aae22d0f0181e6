import type { ShardFeed } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';

/**
 * The template-shard feed as last pulled (manifests, chunk counts, the cloud's verification
 * key), in the lane's settings: sync writes it with each pull page, the shard loader reads it.
 */
export const SHARD_FEED_KEY = 'shard-feed';

export async function storedShardFeed(db: TerminalDatabase): Promise<ShardFeed | null> {
  return ((await db.settings.get(SHARD_FEED_KEY))?.value as ShardFeed | undefined) ?? null;
}
