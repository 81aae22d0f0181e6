import type { LaneType } from '../../../common/host/contract';

const REMEMBERED = 'palm.laneType';

/**
 * Whether this page is a shopper's kiosk. The device side decides (LANE_TYPE=self on the host,
 * which no shopper can reach); a `?lane=self` launch option can only turn a lane into a kiosk,
 * never a kiosk into a cashier's lane, so a query string is no way out of the kiosk. The host's
 * word is remembered, so a reload shows the kiosk before the host has answered.
 */
export function isKioskLane(
  hostLaneType: LaneType | null,
  search: string,
  remembered: string | null,
): boolean {
  if (hostLaneType === 'self' || remembered === 'self') return true;
  return new URLSearchParams(search).get('lane') === 'self';
}

export function rememberLaneType(hostLaneType: LaneType | null, storage: Storage): void {
  if (hostLaneType === 'self') storage.setItem(REMEMBERED, 'self');
  else if (hostLaneType === 'attended') storage.removeItem(REMEMBERED);
}

export const rememberedLaneType = (storage: Storage): string | null => storage.getItem(REMEMBERED);
