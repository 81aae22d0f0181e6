import Dexie, { type ObservabilitySet } from 'dexie';
import type { TerminalDatabase } from '../db/database';

/**
 * Calls `onChange` (at most every `minIntervalMs`, always once after the last change) whenever a
 * transaction that wrote the lane's outbox commits — in this page or, through Dexie's
 * cross-tab channel, another one. The badge counts from this, so it is right in every phase of
 * the engine (a stopped engine included), and a long drain does not recount on every batch.
 */
export function watchOutbox(
  db: TerminalDatabase,
  onChange: () => Promise<void>,
  minIntervalMs = 250,
): () => void {
  const prefix = `idb://${db.name}/outbox/`;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let lastRun = 0;
  let closed = false;
  const run = (): void => {
    timer = null;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    lastRun = Date.now();
    void onChange()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = (): void => {
    if (timer !== null || closed) return;
    timer = setTimeout(run, Math.max(0, lastRun + minIntervalMs - Date.now()));
  };
  const listener = (parts: ObservabilitySet): void => {
    if (Object.keys(parts).some((k) => k.startsWith(prefix))) schedule();
  };
  Dexie.on('storagemutated', listener);
  return () => {
    closed = true;
    if (timer !== null) clearTimeout(timer);
    Dexie.on.storagemutated.unsubscribe(listener);
  };
}
