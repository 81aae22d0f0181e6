import type { TerminalDatabase } from './database';

/**
 * The store's clock as this lane last learned it: the sync engine measures the cloud's time on
 * every answer (x-palm-time) and keeps the offset here, so the lane stamps its sales with the
 * store's time even while offline. A sale stamped by a lane clock running fast would otherwise
 * land in the cloud's future, where it is refused for good (a completion after the cloud's clock
 * plus the skew), and be counted nowhere.
 */
export const STORE_CLOCK_KEY = 'store-clock';

/** Below this a change is noise (network delay): not worth a write. */
const RESOLUTION_MS = 1_000;

interface StoredClock {
  readonly offsetMs: number;
  readonly learnedAt: string;
}

export async function storeClockOffset(db: TerminalDatabase): Promise<number> {
  const v = (await db.settings.get(STORE_CLOCK_KEY))?.value as Partial<StoredClock> | undefined;
  return typeof v?.offsetMs === 'number' && Number.isFinite(v.offsetMs) ? v.offsetMs : 0;
}

export async function rememberStoreClockOffset(
  db: TerminalDatabase,
  offsetMs: number,
): Promise<void> {
  if (!Number.isFinite(offsetMs)) return;
  if (Math.abs(offsetMs - (await storeClockOffset(db))) < RESOLUTION_MS) return;
  const value: StoredClock = {
    offsetMs: Math.round(offsetMs),
    learnedAt: new Date().toISOString(),
  };
  await db.settings.put({ key: STORE_CLOCK_KEY, value });
}

/** Now, on the store's clock (the lane's own clock until it has heard from the cloud). */
export async function storeNow(db: TerminalDatabase): Promise<Date> {
  return new Date(Date.now() + (await storeClockOffset(db)));
}
