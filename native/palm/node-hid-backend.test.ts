import { describe, expect, it } from 'vitest';
import { isPalmScanner, loadNodeHid, NodeHidBackend } from './node-hid-backend';

describe('node-hid backend', () => {
  it('smoke: loads the real node-hid binding and enumerates devices', async () => {
    const hid = await loadNodeHid();
    expect(typeof hid.getHidapiVersion()).toBe('string');
    const all = await NodeHidBackend.enumerateAll();
    expect(Array.isArray(all)).toBe(true); // an empty list is right on a machine without HID devices
    const scanners = await new NodeHidBackend().list();
    expect(scanners.every((d) => all.some((a) => a.path === d.path))).toBe(true);
  });

  it('recognises scanners by usage page 0xFF50 or configured ids', () => {
    const ids = [{ vendorId: 0xabcd, productId: 0x0001 }];
    expect(isPalmScanner({ vendorId: 1, productId: 2, usagePage: 0xff50 }, ids)).toBe(true);
    expect(isPalmScanner({ vendorId: 0xabcd, productId: 1, usagePage: 0x0001 }, ids)).toBe(true);
    expect(isPalmScanner({ vendorId: 0xabcd, productId: 2, usagePage: 0x0001 }, ids)).toBe(false);
    expect(isPalmScanner({ vendorId: 0x046d, productId: 0xc52b }, [])).toBe(false);
  });
});
