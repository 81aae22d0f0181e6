import type { DeviceStatus, DrawerState } from '../../common/host/contract';
import type { CashDrawer } from './cash-drawer';

export interface EmulatedCashDrawerOptions {
  /** After this long open, the drawer reports `left-open` so the lane can warn the cashier. */
  leftOpenAfterMs?: number;
  /**
   * The drawer hangs off the printer's kick connector: `open()` sends the kick through the
   * printer, and the drawer opens when the printer receives it (`kicked()`). Without it, the
   * drawer opens by itself (tests of the drawer alone).
   */
  kick?: () => Promise<void>;
}

export class EmulatedCashDrawer implements CashDrawer {
  private state: DrawerState = 'closed';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(s: DrawerState) => void>();
  private readonly leftOpenAfterMs: number;

  constructor(private readonly options: EmulatedCashDrawerOptions = {}) {
    this.leftOpenAfterMs = options.leftOpenAfterMs ?? 30_000;
  }

  status(): DeviceStatus & { drawer: DrawerState } {
    return { kind: 'emulator', model: 'Emulated cash drawer', state: 'ready', drawer: this.state };
  }

  async open(): Promise<DrawerState> {
    if (this.options.kick) await this.options.kick();
    else this.kicked();
    return this.state;
  }

  /** The solenoid got its pulse (from the emulated printer's kick connector). */
  kicked(): void {
    if (this.state !== 'closed') return;
    this.set('open');
    this.timer = setTimeout(() => this.set('left-open'), this.leftOpenAfterMs);
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
