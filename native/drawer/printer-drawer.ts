import type { DeviceStatus, DrawerState } from '../../common/host/contract';
import type { EscPosPrinter } from '../printer/receipt-printer';
import type { CashDrawer } from './cash-drawer';

export interface PrinterCashDrawerOptions {
  leftOpenAfterMs?: number;
  pollMs?: number;
}

/**
 * A cash drawer on a real printer's kick connector: opened by ESC p through the printer, and
 * watched through the connector's pin 3 (DLE EOT 1) while open. The level read before the kick
 * is "closed"; once it changed and came back the drawer is closed again. A drawer with no switch
 * never changes it: after a few seconds it is taken as closed (there is nothing to watch).
 */
export class PrinterCashDrawer implements CashDrawer {
  private state: DrawerState = 'closed';
  private readonly listeners = new Set<(s: DrawerState) => void>();
  private watching = false;

  constructor(
    private readonly printer: EscPosPrinter,
    private readonly o: PrinterCashDrawerOptions = {},
  ) {}

  status(): DeviceStatus & { drawer: DrawerState } {
    const p = this.printer.status();
    return { kind: p.kind, model: `Cash drawer on ${p.model}`, state: p.state, drawer: this.state };
  }

  onChange(listener: (s: DrawerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async open(): Promise<DrawerState> {
    const closedLevel = await this.printer.drawerPin3().catch(() => null);
    await this.printer.kickDrawer();
    this.set('open');
    if (closedLevel !== null && !this.watching) void this.watch(closedLevel);
    return this.state;
  }

  private async watch(closedLevel: boolean): Promise<void> {
    this.watching = true;
    const pollMs = this.o.pollMs ?? 1_000;
    const openedAt = Date.now();
    let seenOpen = false;
    try {
      while (this.state !== 'closed') {
        await new Promise((r) => setTimeout(r, pollMs));
        const level = await this.printer.drawerPin3().catch(() => null);
        if (level === null) continue;
        if (level !== closedLevel) seenOpen = true;
        const elapsed = Date.now() - openedAt;
        if ((seenOpen && level === closedLevel) || (!seenOpen && elapsed > 5_000))
          this.set('closed');
        else if (elapsed > (this.o.leftOpenAfterMs ?? 30_000)) this.set('left-open');
      }
    } finally {
      this.watching = false;
    }
  }

  private set(state: DrawerState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}
