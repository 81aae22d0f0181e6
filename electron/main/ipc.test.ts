import { describe, expect, it } from 'vitest';
import { ipcChannel } from '../../common/host/rpc';
import { createEmulatedHostService } from '../../native/host/emulated-host';
import { checkIpcCall, registerHostIpc, type InvokeEventLike, type IpcMainLike } from './ipc';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** A stand-in for Electron's ipcMain: records handlers; invoking an unregistered channel fails as Electron does. */
function mockIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = async (channel: string, event: InvokeEventLike, ...args: unknown[]) => {
    const h = handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  };
  return { ipcMain, handlers, invoke };
}

const WINDOW_ID = 7;
const policy = { webContentsId: () => WINDOW_ID, allowedOrigins: ['app://terminal'] };
const fromTerminal: InvokeEventLike = {
  sender: { id: WINDOW_ID },
  senderFrame: { url: 'app://terminal/index.html', parent: null },
};

function setup() {
  const service = createEmulatedHostService({
    shell: 'electron',
    appVersion: '1',
    terminalId: 't',
    emulatorControls: false,
  });
  const m = mockIpcMain();
  const unregister = registerHostIpc(m.ipcMain, service, policy);
  return { ...m, unregister };
}

describe('Electron IPC validation', () => {
  it('registers exactly one channel per contract method and serves a valid call', async () => {
    const { handlers, invoke } = setup();
    expect([...handlers.keys()]).toContain('host:card.begin');
    expect([...handlers.keys()].every((c) => c.startsWith('host:'))).toBe(true);
    expect(await invoke(ipcChannel('getInfo'), fromTerminal)).toMatchObject({
      ok: true,
      result: { shell: 'electron' },
    });
  });

  it('refuses unknown channels', async () => {
    const { invoke } = setup();
    await expect(invoke('host:shell.exec', fromTerminal, 'rm -rf /')).rejects.toThrow(/No handler/);
    expect(checkIpcCall('host:shell.exec', fromTerminal, policy)).toEqual({
      ok: false,
      reason: 'unknown channel host:shell.exec',
    });
    expect(checkIpcCall('other:getInfo', fromTerminal, policy).ok).toBe(false);
  });

  it('refuses foreign frames: other windows, sub-frames, other origins, vanished frames', async () => {
    const { invoke } = setup();
    const cases: Array<[InvokeEventLike, RegExp]> = [
      [{ ...fromTerminal, sender: { id: 99 } }, /not the terminal window/],
      [
        { ...fromTerminal, senderFrame: { url: 'app://terminal/index.html', parent: {} } },
        /sub-frames/,
      ],
      [
        { ...fromTerminal, senderFrame: { url: 'https://evil.example/', parent: null } },
        /origin https:\/\/evil.example/,
      ],
      [{ ...fromTerminal, senderFrame: { url: 'file:///etc/passwd', parent: null } }, /origin/],
      [{ ...fromTerminal, senderFrame: null }, /gone/],
    ];
    for (const [event, reason] of cases) {
      const r = (await invoke(ipcChannel('drawer.open'), event)) as {
        ok: boolean;
        error: { code: string; message: string };
      };
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('NOT_ALLOWED');
      expect(r.error.message).toMatch(reason);
    }
  });

  it('refuses bad arguments and extra arguments', async () => {
    const { invoke } = setup();
    expect(
      await invoke(ipcChannel('card.begin'), fromTerminal, {
        paymentId: 'pay-123456',
        amount: { amount: '100', currency: 'USD' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('amount.amount') },
    });
    expect(await invoke(ipcChannel('getInfo'), fromTerminal, undefined, 'extra')).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await invoke(ipcChannel('emulator.presentCard'), fromTerminal, { pan: '4242424242424242' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
  });

  it('unregisters every handler', () => {
    const { handlers, unregister } = setup();
    unregister();
    expect(handlers.size).toBe(0);
  });
});
