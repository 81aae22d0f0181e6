import { HostError } from '../../common/host/contract';
import type { PrinterDriver, PrinterLink } from './printer-driver';

/** USB class 7: printers. Every USB receipt printer we know declares it on its interface. */
const PRINTER_CLASS = 7;

/** The part of a WebUSB device (the `usb` package's, or a test's) the driver uses. */
export interface UsbPrinterDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName?: string;
  readonly opened?: boolean;
  readonly configuration: {
    readonly interfaces: readonly {
      readonly interfaceNumber: number;
      readonly alternate: {
        readonly interfaceClass: number;
        readonly endpoints: readonly {
          readonly endpointNumber: number;
          readonly direction: 'in' | 'out';
          readonly type: string;
        }[];
      };
    }[];
  } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  detachKernelDriver?(n: number): Promise<void>;
  transferOut(
    endpoint: number,
    data: Uint8Array,
  ): Promise<{ status: string; bytesWritten: number }>;
  transferIn(endpoint: number, length: number): Promise<{ status: string; data?: DataView }>;
}

export interface UsbPrinterOptions {
  /** Only this printer (`04b8:0202`); else the first device with a printer-class interface. */
  ids?: { vendorId: number; productId: number };
  /** Lists attached devices; the `usb` package by default (loaded on first use). */
  devices?: () => Promise<readonly UsbPrinterDevice[]>;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

async function usbDevices(): Promise<readonly UsbPrinterDevice[]> {
  // Loaded on demand: a lane with a network or emulated printer never loads libusb.
  const { usb } = await import('usb');
  return (await usb.getDevices()) as unknown as UsbPrinterDevice[];
}

/**
 * A USB receipt printer through libusb (the `usb` package's WebUSB API), found by its printer
 * class, so there is no device path to configure and the same code runs on Linux, Windows and
 * macOS. On Linux it detaches the usblp kernel driver from the interface first. Jobs go out on
 * the bulk OUT endpoint; status answers come back on bulk IN.
 */
export class UsbPrinterDriver implements PrinterDriver {
  readonly kind = 'hardware' as const;
  readonly model: string;

  constructor(private readonly o: UsbPrinterOptions = {}) {
    this.model = o.ids
      ? `USB printer ${hex4(o.ids.vendorId)}:${hex4(o.ids.productId)}`
      : 'USB printer';
  }

  async open(): Promise<PrinterLink> {
    const list = await (this.o.devices ?? usbDevices)().catch((e: unknown) => {
      throw new HostError(
        'DEVICE_OFFLINE',
        `USB is not available: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    const ids = this.o.ids;
    const device = list.find((d) =>
      ids
        ? d.vendorId === ids.vendorId && d.productId === ids.productId
        : printerInterface(d) !== null,
    );
    if (!device) throw new HostError('DEVICE_OFFLINE', `No ${this.model} is connected`);
    try {
      await device.open();
      if (!device.configuration) await device.selectConfiguration(1);
      const iface = printerInterface(device);
      if (!iface) throw new Error('it has no printer interface with a bulk OUT endpoint');
      // usblp holds the interface on Linux; elsewhere (or when none is bound) this is a no-op.
      await device.detachKernelDriver?.(iface.number).catch(() => undefined);
      await device.claimInterface(iface.number);
      return usbLink(device, iface);
    } catch (e) {
      await device.close().catch(() => undefined);
      throw new HostError(
        'DEVICE_OFFLINE',
        `The USB printer ${hex4(device.vendorId)}:${hex4(device.productId)} could not be opened (${e instanceof Error ? e.message : String(e)}); on Linux a udev rule must give this user access`,
      );
    }
  }
}

interface PrinterInterface {
  number: number;
  out: number;
  in: number | null;
}

function printerInterface(d: UsbPrinterDevice): PrinterInterface | null {
  for (const i of d.configuration?.interfaces ?? []) {
    if (i.alternate.interfaceClass !== PRINTER_CLASS) continue;
    const bulk = i.alternate.endpoints.filter((e) => e.type === 'bulk');
    const out = bulk.find((e) => e.direction === 'out');
    if (!out) continue;
    const inEp = bulk.find((e) => e.direction === 'in');
    return { number: i.interfaceNumber, out: out.endpointNumber, in: inEp?.endpointNumber ?? null };
  }
  return null;
}

function usbLink(device: UsbPrinterDevice, iface: PrinterInterface): PrinterLink {
  let pending: number[] = [];
  // One IN transfer at a time; what it brings lands in `pending` even after a read gave up.
  let inflight: Promise<void> | null = null;
  const poll = (ep: number) =>
    (inflight ??= device
      .transferIn(ep, 64)
      .then((r) => {
        if (r.data)
          pending.push(...new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
      })
      .finally(() => (inflight = null)));
  return {
    async write(bytes) {
      const r = await device.transferOut(iface.out, bytes);
      if (r.status !== 'ok' || r.bytesWritten !== bytes.length)
        throw new HostError(
          'DEVICE_OFFLINE',
          `The USB printer took ${r.bytesWritten} of ${bytes.length} bytes (${r.status})`,
        );
    },
    async read(n, timeoutMs) {
      if (iface.in === null) return null; // a write-only printer: no status
      const deadline = Date.now() + timeoutMs;
      while (pending.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) return null;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          poll(iface.in),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, left))),
        ]).finally(() => clearTimeout(timer));
      }
      const out = Uint8Array.from(pending.slice(0, n));
      pending = pending.slice(n);
      return out;
    },
    async close() {
      await device.releaseInterface(iface.number).catch(() => undefined);
      await device.close().catch(() => undefined);
    },
  };
}
