import { createContext, useContext } from 'react';
import type { HostInfo, TerminalHost } from '../../common/host/contract';
import type { StaffRef } from '../../common/staff';
import type { StoreProfile } from '../../common/store-profile';
import type { TerminalDatabase } from './db/database';
import type { LaneSettings } from './db/settings';
import type { SyncEngine } from './sync/engine';

export interface AppServices {
  readonly db: TerminalDatabase;
  readonly host: TerminalHost;
  readonly hostInfo: HostInfo | null;
  readonly hostConnected: boolean;
  readonly profile: StoreProfile;
  readonly settings: LaneSettings;
  readonly terminalId: string;
  /** The lane's sync engine, once the store cloud is known (null: sales wait in the outbox). */
  readonly syncEngine: SyncEngine | null;
  /** Changes the lane's store; `approvedBy` is the manager whose credential allowed it. */
  changeProfile(profileId: string, approvedBy: StaffRef): Promise<void>;
}

export const AppContext = createContext<AppServices | null>(null);

/** The app's services, or null where a view is mounted on its own (the sync tier's test page). */
export function useOptionalApp(): AppServices | null {
  return useContext(AppContext);
}

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}
