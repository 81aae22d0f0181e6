import type { DeviceStatus, DrawerState } from '../../common/host/contract';
import type { CashDrawer } from './cash-drawer';

export interface EmulatedCashDrawerOptions {
  /** After this long open, the drawer reports `left-open` so the lane can warn the cashier. */
  leftOpenAfterMs?: number;
}

export class EmulatedCashDrawer implements CashDrawer {
  private state: DrawerState = 'closed';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(s: DrawerState) => void>();
  private readonly leftOpenAfterMs: number;

  constructor(options: EmulatedCashDrawerOptions = {}) {
    this.leftOpenAfterMs = options.leftOpenAfterMs ?? 30_000;
  }

  status(): DeviceStatus & { drawer: DrawerState } {
    return { kind: 'emulator', model: 'Emulated cash drawer', state: 'ready', drawer: this.state };
  }

  async open(): Promise<DrawerState> {
    if (this.state === 'closed') {
      this.set('open');
      this.timer = setTimeout(() => this.set('left-open'), this.leftOpenAfterMs);
    }
    return this.state;
  }

  /** Emulator control: someone pushes the drawer shut. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.state !== 'closed') this.set('closed');
  }

  onChange(listener: (s: DrawerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private set(state: DrawerState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}
