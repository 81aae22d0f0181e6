import { describe, expect, it } from 'vitest';
import { ConfigError, loadHostConfig, refuseDemoSettings } from './config';

const PROD = { CLOUD_URL: 'https://cloud.example.com' };

describe('a production launch refuses demo settings', () => {
  it.each([
    [{ ...PROD, EMULATOR_CONTROLS: '1' }, /^EMULATOR_CONTROLS is a demo setting/],
    [{ ...PROD, EMULATOR_CONTROLS: '0' }, /^EMULATOR_CONTROLS is a demo setting/],
    [{ ...PROD, DEMO_SHOPPERS: '2000' }, /^DEMO_SHOPPERS is a demo setting/],
    [{ ...PROD, DEMO_SHOPPERS: '0' }, /^DEMO_SHOPPERS is a demo setting/],
    [{ ...PROD, DEMO_SHOPPERS_ENROL: 'at-start' }, /^DEMO_SHOPPERS_ENROL is a demo setting/],
    [{ ...PROD, PALM_SCANNER: 'Emulator' }, /^PALM_SCANNER=emulator is a demo setting/],
    [{}, /^CLOUD_URL is required in production/],
    [{ CLOUD_URL: '  ', NO_CLOUD: '1' }, /^CLOUD_URL is required in production/],
    [{ CLOUD_URL: 'http://cloud.example.com' }, /^CLOUD_URL must be https:\/\//],
  ])('%o', (env, message) => {
    expect(() => loadHostConfig(env, { production: true })).toThrow(ConfigError);
    expect(() => refuseDemoSettings(env)).toThrow(message);
    // One line each: launchers and logs show it whole.
    expect(() => refuseDemoSettings(env)).toThrow(/^[^\n]+$/);
  });

  it('accepts a real store cloud and a real or no scanner, and starts no embedded cloud', () => {
    for (const env of [
      PROD,
      { CLOUD_URL: 'http://127.0.0.1:8787', PALM_SCANNER: 'hid', PROVISIONING_CODE: 'K7QM-2D9X' },
      { ...PROD, PALM_SCANNER: 'none', HOST_TOKEN: 'kiosk-token-0123456789' },
    ]) {
      const c = loadHostConfig(env, { production: true });
      expect(c).toMatchObject({ production: true, embeddedCloud: null, emulatorControls: false });
    }
  });

  it('the same settings are fine outside production (the demo)', () => {
    const c = loadHostConfig({
      EMULATOR_CONTROLS: '1',
      DEMO_SHOPPERS: '10',
      PALM_SCANNER: 'emulator',
    });
    expect(c).toMatchObject({ production: false, emulatorControls: true });
    expect(c.embeddedCloud).not.toBeNull();
  });
});

describe('LANE_TYPE', () => {
  it('is attended unless set to self, and refuses anything else', () => {
    expect(loadHostConfig({}).laneType).toBe('attended');
    expect(loadHostConfig({ LANE_TYPE: 'self' }).laneType).toBe('self');
    expect(() => loadHostConfig({ LANE_TYPE: 'kiosk' })).toThrow(
      /LANE_TYPE must be attended or self/,
    );
  });
});
