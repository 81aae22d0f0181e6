/**
 * The one transport interface the palm-scanner driver talks to (Ledger hw-transport style).
 * node-hid's HIDAsync and the emulator both implement it, so the driver — and its tests —
 * cannot tell a real scanner from the emulator.
 */

/** One open scanner. Reports in and out are raw HID reports. */
export interface HidTransport {
  readonly path: string;
  /**
   * Write one output report: 65 bytes, report-ID byte 0x00 first (node-hid's convention,
   * palm-hid §1). Rejects if the device is gone.
   */
  write(report: Uint8Array): Promise<void>;
  /** Input reports as read: 64 bytes, or 65 with a leading report-ID 0x00 on some platforms. */
  onReport(listener: (report: Uint8Array) => void): () => void;
  /** The transport ended: unplugged, read error, or closed by us. Fires once. */
  onClose(listener: (reason: Error | null) => void): () => void;
  close(): Promise<void>;
}

export interface HidDeviceInfo {
  readonly path: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly usagePage?: number;
  readonly usage?: number;
  readonly serialNumber?: string;
  readonly product?: string;
  readonly manufacturer?: string;
  readonly kind: 'hardware' | 'emulator';
}

/** Lists and opens devices. node-hid, the emulator, and record/replay doubles implement it. */
export interface HidBackend {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidTransport>;
}

/** A small listener set with the unsubscribe-function convention used across the host. */
export class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();
  add(l: (...args: T) => void): () => void {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(...args: T): void {
    for (const l of [...this.set]) l(...args);
  }
  clear(): void {
    this.set.clear();
  }
  get size(): number {
    return this.set.size;
  }
}
