import type { ShardRecord } from '../../common/shard/format';
import type { ShopperStore } from '../payments/shoppers';
import { EmulatedCardSetup, type CardSetup } from './card-setup';

/** A change to a store's enrolled shoppers, for its template shard (a delta on the next pull). */
export interface ShopperChange {
  readonly adds: readonly ShardRecord[];
  readonly tombstones: readonly string[];
}

/**
 * Publishes a change to the store's shard; resolves to the version that carries it, or null when
 * the store has no shard publisher (its lanes then have no palm pay to update).
 */
export type PublishShopperChange = (
  storeId: string,
  change: ShopperChange,
) => Promise<number | null>;

export interface EnrolmentServices {
  readonly cardSetup: CardSetup;
  /** H6's shopper store (cloud/payments/shoppers.ts): the sealed templates and their vault. */
  readonly shoppers: ShopperStore;
  readonly publish: PublishShopperChange;
}

export interface EnrolmentOptions {
  /** Saves the presented card with the processor (default: the emulated one). */
  readonly cardSetup?: CardSetup;
  readonly publish?: PublishShopperChange;
}

export function enrolmentServices(
  shoppers: ShopperStore,
  o: EnrolmentOptions = {},
): EnrolmentServices {
  return {
    cardSetup: o.cardSetup ?? new EmulatedCardSetup(),
    shoppers,
    publish: o.publish ?? (async () => null),
  };
}
