import { describe, expect, it } from 'vitest';
import { realtimeStatusBytes } from './printer-driver';
import { EscPosPrinter } from './receipt-printer';
import { UsbPrinterDriver, type UsbPrinterDevice } from './usb-driver';

/** A USB receipt printer as libusb's WebUSB API shows it: printer class 7, bulk OUT 1, bulk IN 2. */
function fakeUsbPrinter(o: { paperOut?: boolean; vendorId?: number; cls?: number } = {}) {
  const out: number[] = [];
  const answers: number[] = [];
  const calls: string[] = [];
  const status = realtimeStatusBytes({ paperOut: o.paperOut ?? false });
  const device: UsbPrinterDevice = {
    vendorId: o.vendorId ?? 0x04b8,
    productId: 0x0202,
    configuration: {
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            interfaceClass: o.cls ?? 7,
            endpoints: [
              { endpointNumber: 1, direction: 'out', type: 'bulk' },
              { endpointNumber: 2, direction: 'in', type: 'bulk' },
            ],
          },
        },
      ],
    },
    open: async () => void calls.push('open'),
    close: async () => void calls.push('close'),
    selectConfiguration: async () => void calls.push('select'),
    detachKernelDriver: async (n) => void calls.push(`detach ${n}`),
    claimInterface: async (n) => void calls.push(`claim ${n}`),
    releaseInterface: async (n) => void calls.push(`release ${n}`),
    transferOut: async (ep, data) => {
      expect(ep).toBe(1);
      for (let i = 0; i < data.length; i++) {
        if (data[i] === 0x10 && data[i + 1] === 0x04) {
          const n = data[i + 2];
          answers.push(n === 1 ? status[0] : n === 2 ? status[1] : status[2]);
          i += 2;
        } else out.push(data[i]!);
      }
      return { status: 'ok', bytesWritten: data.length };
    },
    transferIn: async (ep) => {
      expect(ep).toBe(2);
      const b = answers.splice(0, answers.length);
      return { status: 'ok', data: new DataView(Uint8Array.from(b).buffer) };
    },
  };
  return { device, out, calls };
}

const doc = { title: 't', blocks: [{ kind: 'text' as const, text: 'Vielen Dank' }] };

describe('USB printer', () => {
  it('finds the printer by its class, takes the interface from usblp and prints on bulk OUT', async () => {
    const p = fakeUsbPrinter();
    const other = fakeUsbPrinter({ cls: 3, vendorId: 0x1234 }); // a keyboard (HID)
    const printer = new EscPosPrinter(
      new UsbPrinterDriver({ devices: async () => [other.device, p.device] }),
      { columns: 42 },
    );
    await printer.print(doc);
    expect(Buffer.from(p.out).includes(Buffer.from('Vielen Dank', 'latin1'))).toBe(true);
    expect(p.calls).toEqual(['open', 'detach 0', 'claim 0', 'release 0', 'close']);
    expect(other.calls).toEqual([]);
  });

  it('reads paper-out over bulk IN and prints nothing', async () => {
    const p = fakeUsbPrinter({ paperOut: true });
    const printer = new EscPosPrinter(new UsbPrinterDriver({ devices: async () => [p.device] }), {
      columns: 42,
    });
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PAPER_OUT' });
    expect(p.out).toEqual([]);
  });

  it('is offline when no printer (or not the configured one) is attached', async () => {
    const p = fakeUsbPrinter();
    const printer = new EscPosPrinter(
      new UsbPrinterDriver({
        ids: { vendorId: 0x0519, productId: 0x0001 },
        devices: async () => [p.device],
      }),
      { columns: 42 },
    );
    await expect(printer.print(doc)).rejects.toMatchObject({
      code: 'DEVICE_OFFLINE',
      message: 'No USB printer 0519:0001 is connected',
    });
  });
});
