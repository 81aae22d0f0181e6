import type * as NodeHid from 'node-hid';
import {
  REFERENCE_PRODUCT_ID,
  REFERENCE_VENDOR_ID,
  USAGE_PAGE,
} from '../../common/palm-hid/constants';
import { Listeners, type HidBackend, type HidDeviceInfo, type HidTransport } from './transport';

/**
 * The real scanner over node-hid's async API (devicesAsync, HIDAsync). The binding is loaded on
 * first use, so a host with only the emulator never touches native code.
 */

export interface VendorProduct {
  readonly vendorId: number;
  readonly productId: number;
}

export interface NodeHidBackendOptions {
  /** Extra vendor/product pairs to accept besides usage page 0xFF50 (palm-hid §1). */
  readonly ids?: readonly VendorProduct[];
  /** Accept the reference ids 0x1209:0x50A1 too (default true). */
  readonly includeReferenceIds?: boolean;
}

type NodeHidModule = typeof NodeHid;
let nodeHid: Promise<NodeHidModule> | null = null;

/** Loads the node-hid binding (throws a clear error if the native module cannot load). */
export function loadNodeHid(): Promise<NodeHidModule> {
  nodeHid ??= import('node-hid').then(
    (m) => ((m as { default?: NodeHidModule }).default ?? m) as NodeHidModule,
    (e: unknown) => {
      nodeHid = null;
      throw new Error(
        `cannot load the node-hid binding: ${e instanceof Error ? e.message : String(e)}`,
      );
    },
  );
  return nodeHid;
}

export function isPalmScanner(
  d: { vendorId: number; productId: number; usagePage?: number },
  ids: readonly VendorProduct[],
): boolean {
  if (d.usagePage === USAGE_PAGE) return true;
  return ids.some((x) => x.vendorId === d.vendorId && x.productId === d.productId);
}

export class NodeHidBackend implements HidBackend {
  private readonly ids: VendorProduct[];

  constructor(o: NodeHidBackendOptions = {}) {
    this.ids = [...(o.ids ?? [])];
    if (o.includeReferenceIds ?? true)
      this.ids.push({ vendorId: REFERENCE_VENDOR_ID, productId: REFERENCE_PRODUCT_ID });
  }

  /** Every HID device node-hid can see, unfiltered (palmctl and the smoke test use it). */
  static async enumerateAll(): Promise<HidDeviceInfo[]> {
    const hid = await loadNodeHid();
    const list = await hid.devicesAsync();
    return list.flatMap((d) =>
      d.path
        ? [
            {
              path: d.path,
              vendorId: d.vendorId,
              productId: d.productId,
              usagePage: d.usagePage,
              usage: d.usage,
              serialNumber: d.serialNumber,
              product: d.product,
              manufacturer: d.manufacturer,
              kind: 'hardware' as const,
            },
          ]
        : [],
    );
  }

  async list(): Promise<HidDeviceInfo[]> {
    return (await NodeHidBackend.enumerateAll()).filter((d) => isPalmScanner(d, this.ids));
  }

  async open(path: string): Promise<HidTransport> {
    const hid = await loadNodeHid();
    const dev = await hid.HIDAsync.open(path);
    return new NodeHidTransport(path, dev);
  }
}

type HidAsync = Awaited<ReturnType<NodeHidModule['HIDAsync']['open']>>;

class NodeHidTransport implements HidTransport {
  private readonly reports = new Listeners<[Uint8Array]>();
  private readonly closes = new Listeners<[Error | null]>();
  private closed = false;

  constructor(
    readonly path: string,
    private readonly dev: HidAsync,
  ) {
    dev.on('data', (data: Buffer) =>
      this.reports.emit(new Uint8Array(data.buffer, data.byteOffset, data.length)),
    );
    // node-hid reports a read error when the device is unplugged: that is our hot-unplug signal.
    dev.on('error', (e: unknown) => this.end(e instanceof Error ? e : new Error(String(e))));
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('the scanner is closed');
    await this.dev.write(Buffer.from(report));
  }

  onReport(l: (r: Uint8Array) => void): () => void {
    return this.reports.add(l);
  }

  onClose(l: (reason: Error | null) => void): () => void {
    return this.closes.add(l);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.end(null);
    try {
      await this.dev.close();
    } catch {
      // Already gone (unplugged): nothing left to release.
    }
  }

  private end(reason: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.dev.removeAllListeners('data');
    this.closes.emit(reason);
    this.reports.clear();
    this.closes.clear();
  }
}
