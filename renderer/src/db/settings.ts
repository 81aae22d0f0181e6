import { STORE_PROFILES, storeProfile, type StoreProfile } from '../../../common/store-profile';
import type { TerminalDatabase } from './database';

export interface LaneSettings {
  readonly profileId: string;
  readonly laneCode: string; // printed on receipts: L01-000042
  /** How long the lane waits on a card terminal that has stopped answering. */
  readonly cardWatchdogMs: number;
}

export const DEFAULT_LANE_SETTINGS: LaneSettings = {
  profileId: 'us',
  laneCode: 'L01',
  cardWatchdogMs: 90_000,
};

export interface Counters {
  readonly nextMutationId: number;
  readonly nextReceiptNo: number;
}

export const LANE_KEY = 'lane';
export const COUNTERS_KEY = 'counters';

export async function laneSettings(db: TerminalDatabase): Promise<LaneSettings> {
  const row = await db.settings.get(LANE_KEY);
  return { ...DEFAULT_LANE_SETTINGS, ...(row?.value as Partial<LaneSettings> | undefined) };
}

export function profileFor(settings: LaneSettings): StoreProfile {
  return STORE_PROFILES.some((p) => p.id === settings.profileId)
    ? storeProfile(settings.profileId)
    : storeProfile(DEFAULT_LANE_SETTINGS.profileId);
}

export function readCounters(value: unknown): Counters {
  const v = (value ?? {}) as Partial<Counters>;
  return { nextMutationId: v.nextMutationId ?? 1, nextReceiptNo: v.nextReceiptNo ?? 1 };
}
