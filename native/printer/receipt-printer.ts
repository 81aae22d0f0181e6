import { HostError, type DeviceState, type DeviceStatus } from '../../common/host/contract';
import type { PrintDocument } from '../../common/printer/document';
import { drawerKickBytes, encodeEscPos, statusRequest, type EscPosOptions } from './escpos-encode';
import {
  isStatusByte,
  parseRealtimeStatus,
  type PrinterDriver,
  type PrinterLink,
  type PrinterRealtimeStatus,
} from './printer-driver';

export interface ReceiptPrinter {
  status(): DeviceStatus;
  /** Lays the document out, encodes it and prints it; rejects with a HostError saying why not. */
  print(document: PrintDocument): Promise<void>;
  /** Pulses the cash drawer on the printer's kick connector. */
  kickDrawer(): Promise<void>;
  onChange(listener: (status: DeviceStatus) => void): () => void;
  /** The last problem, for diagnostics (a code and when), or null. */
  lastError(): { code: string; message: string; at: string } | null;
}

export interface EscPosPrinterOptions extends EscPosOptions {
  /** How long the printer gets to answer a status request (it has none: the job goes anyway). */
  statusTimeoutMs?: number;
  /** Logs what the cashier cannot see (a printer that never answers status). */
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * An ESC/POS receipt printer behind any driver. Before each job it asks the printer's real-time
 * status (DLE EOT 1, 2, 4) and refuses to send a job into an empty roll or an open cover: the
 * cashier is told why, the sale is already saved, and printing again works once it is fixed.
 * A printer that does not answer status requests at all (some cheap ones) still gets the job.
 */
export class EscPosPrinter implements ReceiptPrinter {
  private state: DeviceState = 'ready';
  private last: { code: string; message: string; at: string } | null = null;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly driver: PrinterDriver,
    private readonly o: EscPosPrinterOptions,
  ) {}

  status(): DeviceStatus {
    return { kind: this.driver.kind, model: this.driver.model, state: this.state };
  }

  lastError() {
    return this.last;
  }

  onChange(listener: (s: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  print(document: PrintDocument): Promise<void> {
    const bytes = encodeEscPos(document, this.o);
    return this.job(async (link) => {
      const s = await this.realtimeStatus(link);
      if (s?.paperOut) throw new HostError('PAPER_OUT', 'The receipt printer is out of paper');
      if (s?.coverOpen) throw new HostError('COVER_OPEN', 'The receipt printer’s cover is open');
      if (s?.offline)
        throw new HostError('DEVICE_OFFLINE', 'The receipt printer reports itself offline');
      await link.write(bytes);
    });
  }

  kickDrawer(): Promise<void> {
    // An empty roll does not stop the kick; a printer that cannot be reached does.
    return this.job((link) => link.write(drawerKickBytes(this.o)));
  }

  /** The drawer switch on the kick connector's pin 3 (DLE EOT 1), or null with no answer. */
  async drawerPin3(): Promise<boolean | null> {
    let level: boolean | null = null;
    await this.job(async (link) => {
      await link.write(statusRequest(1));
      const b = await link.read(1, this.o.statusTimeoutMs ?? 1_000);
      level = b && isStatusByte(b[0]!) ? (b[0]! & 0x04) !== 0 : null;
    });
    return level;
  }

  /** Jobs run one at a time, each on its own link, and set the state the status bar shows. */
  private job(f: (link: PrinterLink) => Promise<void>): Promise<void> {
    const run = async () => {
      this.set('busy');
      let link: PrinterLink | null = null;
      try {
        link = await this.driver.open();
        await f(link);
        this.set('ready');
      } catch (e) {
        const err =
          e instanceof HostError
            ? e
            : new HostError('DEVICE_OFFLINE', e instanceof Error ? e.message : String(e));
        this.last = { code: err.code, message: err.message, at: new Date().toISOString() };
        this.set(err.code === 'DEVICE_OFFLINE' ? 'offline' : 'fault');
        throw err;
      } finally {
        await link?.close().catch(() => undefined);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async realtimeStatus(link: PrinterLink): Promise<PrinterRealtimeStatus | null> {
    const timeout = this.o.statusTimeoutMs ?? 1_000;
    const answers: number[] = [];
    for (const n of [1, 2, 4] as const) {
      await link.write(statusRequest(n));
      const b = await link.read(1, timeout);
      if (!b || !isStatusByte(b[0]!)) {
        this.o.log?.('warn', 'the receipt printer did not answer a status request', { n });
        return null;
      }
      answers.push(b[0]!);
    }
    return parseRealtimeStatus(answers[0]!, answers[1]!, answers[2]!);
  }

  private set(state: DeviceState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.listeners) l(this.status());
  }
}
