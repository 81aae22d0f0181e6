import { describe, expect, it } from 'vitest';
import { parseVendorProducts, scannerSetupFromEnv } from './config';

describe('scannerSetupFromEnv', () => {
  it('defaults to the emulator', () => {
    expect(scannerSetupFromEnv({})).toEqual({
      kind: 'emulator',
      hoverMs: undefined,
      seed: undefined,
      autoApprove: true,
      demoCloudApproves: true,
    });
    // A demo of the approval flow: the emulator's key waits like a real scanner's.
    expect(scannerSetupFromEnv({ PALM_EMULATOR_KEY: 'pending' })).toMatchObject({
      kind: 'emulator',
      autoApprove: false,
      demoCloudApproves: false,
    });
    // A scanner the store never approved: the host trusts it, the cloud is never told.
    expect(scannerSetupFromEnv({ PALM_EMULATOR_KEY: 'host-only' })).toMatchObject({
      kind: 'emulator',
      autoApprove: true,
      demoCloudApproves: false,
    });
  });
  it('selects node-hid with PALM_SCANNER=hid or configured ids', () => {
    expect(scannerSetupFromEnv({ PALM_SCANNER: 'hid', PALM_SCANNER_KEYS: '/k.json' })).toEqual({
      kind: 'hid',
      ids: [],
      keyFile: '/k.json',
    });
    const s = scannerSetupFromEnv({
      PALM_SCANNER_IDS: '1209:50a1, 0xABCD:0x0001',
      XDG_CONFIG_HOME: '/cfg',
    });
    expect(s).toEqual({
      kind: 'hid',
      ids: [
        { vendorId: 0x1209, productId: 0x50a1 },
        { vendorId: 0xabcd, productId: 1 },
      ],
      keyFile: '/cfg/palm-terminal/scanner-keys.json',
    });
  });
  it('gives clear errors', () => {
    expect(() => scannerSetupFromEnv({ PALM_SCANNER: 'usb' })).toThrow(/emulator, hid or none/);
    expect(() => parseVendorProducts('12345:1')).toThrow(/vendor:product/);
    expect(() => scannerSetupFromEnv({ PALM_EMULATOR_HOVER_MS: 'soon' })).toThrow(
      /PALM_EMULATOR_HOVER_MS/,
    );
    expect(() => scannerSetupFromEnv({ PALM_EMULATOR_KEY: 'yes' })).toThrow(/PALM_EMULATOR_KEY/);
  });

  it('a production launch defaults to real scanners; an explicit choice still wins', () => {
    expect(scannerSetupFromEnv({ HOME: '/home/lane' }, 'hid')).toMatchObject({
      kind: 'hid',
      ids: [],
    });
    expect(scannerSetupFromEnv({ PALM_SCANNER: 'none' }, 'hid')).toEqual({ kind: 'none' });
    expect(scannerSetupFromEnv({ PALM_SCANNER_IDS: '1209:50a1' }, 'hid')).toMatchObject({
      kind: 'hid',
      ids: [{ vendorId: 0x1209, productId: 0x50a1 }],
    });
  });
});
