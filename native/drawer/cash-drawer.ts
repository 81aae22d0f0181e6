import type { DeviceStatus, DrawerState } from '../../common/host/contract';

/** A cash drawer: kicked open by the host, closed by hand; the host is told either way. */
export interface CashDrawer {
  status(): DeviceStatus & { drawer: DrawerState };
  open(): Promise<DrawerState>;
  onChange(listener: (state: DrawerState) => void): () => void;
}
