import { describe, expect, it } from 'vitest';
import { dispatchHostCall } from '../host/dispatch';
import { TerminalHostService } from '../host/terminal-host-service';
import { createEmulatedHostService } from '../host/emulated-host';
import { EmulatedCardTerminal } from '../card/emulated-card-terminal';
import { EmulatedCashDrawer } from '../drawer/emulated-cash-drawer';
import { createPrinterAndDrawer } from '../printer/create-printer';
import type { LightTower } from './light-tower';

const service = () =>
  createEmulatedHostService({
    shell: 'browser',
    appVersion: '1.0.0',
    terminalId: 'kiosk-1',
    emulatorControls: false,
    laneType: 'self',
    scanner: { kind: 'none' },
  });

describe('the light tower on the host contract', () => {
  it('sets and reports the tower through the dispatch, and says the lane is a kiosk', async () => {
    const s = service();
    expect(await dispatchHostCall(s, 'light.set', { state: 'red' })).toMatchObject({
      ok: true,
      result: { state: 'red', kind: 'emulator' },
    });
    expect(await dispatchHostCall(s, 'light.status', undefined)).toMatchObject({
      ok: true,
      result: { state: 'red' },
    });
    expect(await dispatchHostCall(s, 'getInfo', undefined)).toMatchObject({
      ok: true,
      result: { laneType: 'self' },
    });
  });

  it('refuses a state the tower does not have, or extra arguments, before the tower sees them', async () => {
    const s = service();
    for (const bad of [{ state: 'purple' }, { state: 'red', blink: true }, 'red', undefined]) {
      const r = await dispatchHostCall(s, 'light.set', bad);
      expect(r.ok).toBe(false);
    }
    expect((await s.handlers['light.status'](undefined)).state).toBe('off');
  });

  it('a tower that never answers is "not responding", not a hung kiosk', async () => {
    const stuck: LightTower = {
      set: () => new Promise(() => {}),
      status: () => ({ state: 'off', kind: 'serial', changedAt: new Date(0).toISOString() }),
    };
    const s = new TerminalHostService({
      shell: 'browser',
      appVersion: '1',
      terminalId: 'k',
      emulatorControls: false,
      deviceAckTimeoutMs: 50,
      card: new EmulatedCardTerminal({}),
      drawer: new EmulatedCashDrawer({}),
      printer: createPrinterAndDrawer({ kind: 'emulator', columns: 42 }, {}).printer,
      light: stuck,
    });
    const r = await dispatchHostCall(s, 'light.set', { state: 'green' });
    expect(r).toMatchObject({ ok: false, error: { code: 'DEVICE_NOT_RESPONDING' } });
  });
});
