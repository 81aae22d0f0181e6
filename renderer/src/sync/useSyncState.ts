import { useSyncExternalStore } from 'react';
import type { SyncEngine, SyncState } from './engine';

const subscribeNone = (): (() => void) => () => undefined;
const getNull = (): null => null;

/** The engine's live state for React (null when no engine runs). */
export function useSyncState(engine: SyncEngine | null): SyncState | null {
  return useSyncExternalStore<SyncState | null>(
    engine ? (cb) => engine.state$.subscribe(cb) : subscribeNone,
    engine ? engine.state$.get : getNull,
  );
}
