import { Listeners, type HidTransport } from './transport';

/**
 * The host's end of one open emulated device: what the host writes goes to the emulator, what
 * the emulator sends comes back as reports, and unplugging closes or severs it.
 */
export class EmulatorTransport implements HidTransport {
  private readonly reports = new Listeners<[Uint8Array]>();
  private readonly closes = new Listeners<[Error | null]>();
  private closed = false;
  private severed = false;

  constructor(
    readonly path: string,
    private readonly toDevice: (r: Uint8Array) => void,
    private readonly onClosed: () => void,
  ) {}

  async write(report: Uint8Array): Promise<void> {
    if (this.closed || this.severed) throw new Error('device disconnected');
    this.toDevice(report.slice());
  }

  onReport(l: (r: Uint8Array) => void): () => void {
    return this.reports.add(l);
  }

  onClose(l: (reason: Error | null) => void): () => void {
    return this.closes.add(l);
  }

  async close(): Promise<void> {
    this.end(null);
  }

  deliver(r: Uint8Array): void {
    if (!this.closed && !this.severed) this.reports.emit(r.slice());
  }

  disconnect(reason: Error): void {
    this.end(reason);
  }

  /** The device is gone but no read error reaches the host: writes fail, reads stay silent. */
  sever(): void {
    this.severed = true;
  }

  private end(reason: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    this.closes.emit(reason);
    this.reports.clear();
    this.closes.clear();
  }
}
