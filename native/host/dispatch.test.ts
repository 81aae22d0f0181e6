import { afterEach, describe, expect, it } from 'vitest';
import { type TerminalHostService } from './terminal-host-service';
import { createEmulatedHostService } from './emulated-host';
import { dispatchHostCall } from './dispatch';
import { HOST_METHOD_NAMES } from '../../common/host/methods';

const services: TerminalHostService[] = [];
const make = (emulatorControls: boolean, deviceAckTimeoutMs = 200) => {
  const s = createEmulatedHostService({
    shell: 'browser',
    appVersion: '1.0.0',
    terminalId: 'lane-1',
    emulatorControls,
    deviceAckTimeoutMs,
    cardProcessingMs: 10,
  });
  services.push(s);
  return s;
};
afterEach(async () => {
  for (const s of services.splice(0))
    await s.emulatorSetCardTerminalResponsive(true).catch(() => {});
});

describe('host dispatch', () => {
  it('has a handler for exactly the methods of the table, and only those', () => {
    expect(Object.keys(make(false).handlers).sort()).toEqual([...HOST_METHOD_NAMES].sort());
  });

  it('answers getInfo with the devices', async () => {
    const r = await dispatchHostCall(make(false), 'getInfo', undefined);
    expect(r).toMatchObject({
      ok: true,
      result: {
        shell: 'browser',
        devices: { card: { kind: 'emulator', state: 'ready' }, drawer: { drawer: 'closed' } },
      },
    });
  });

  it('refuses unknown methods and bad arguments before any device sees them', async () => {
    const s = make(true);
    expect(await dispatchHostCall(s, 'fs.readFile', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    expect(await dispatchHostCall(s, '__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    const bad = [
      ['card.begin', { paymentId: 'pay-1234', amount: { amount: 1.5, currency: 'USD' } }],
      ['card.begin', { paymentId: 'pay-1234', amount: { amount: 0, currency: 'USD' } }],
      ['card.begin', { paymentId: 'pay-1234', amount: { amount: 100, currency: 'XXX' } }],
      ['card.begin', { paymentId: '../../etc', amount: { amount: 100, currency: 'USD' } }],
      ['card.begin', { paymentId: 'pay-1234', amount: { amount: 100, currency: 'USD' }, extra: 1 }],
      // A card setup waits on the customer, but never without a bound, and carries no card data.
      ['card.setup', { setupId: 'seti-1234', timeoutMs: 10_000_000 }],
      ['card.setup', { setupId: 'seti-1234' }],
      ['card.setup', { setupId: 'seti-1234', timeoutMs: 20_000, pan: '4242424242424242' }],
      ['card.setup', { setupId: '../seti', timeoutMs: 20_000 }],
      ['drawer.open', { force: true }],
      ['printer.print', { receiptNo: 'x', lines: 'not a list' }],
      // The renderer sends a document, never printer commands: no raw bytes, no unknown block,
      // no control characters smuggled into a QR payload, no endless job.
      ['printer.print', { document: { title: 'x', blocks: [] }, escpos: 'G0A=' }],
      [
        'printer.print',
        { document: { title: 'x', blocks: [{ kind: 'raw', bytes: [0x1b, 0x40] }] } },
      ],
      ['printer.print', { document: { title: 'x', blocks: [{ kind: 'qr', data: 'a\u001d(k' }] } }],
      ['printer.print', { document: { title: 'x', blocks: Array(2001).fill({ kind: 'rule' }) } }],
      ['emulator.setPrinterFault', { fault: 'on-fire' }],
      ['emulator.presentCard', { pan: '42; rm -rf' }],
    ] as const;
    for (const [method, args] of bad) {
      const r = await dispatchHostCall(s, method, args);
      expect(r, `${method} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect((await s.getInfo()).devices.card.state).toBe('ready');
  });

  it('refuses emulator controls unless enabled', async () => {
    const r = await dispatchHostCall(make(false), 'emulator.closeDrawer', undefined);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  });

  it('a device that does not acknowledge in time is reported as not responding', async () => {
    const s = make(true, 100);
    await s.emulatorSetCardTerminalResponsive(false);
    const r = await dispatchHostCall(s, 'card.begin', {
      paymentId: 'pay-12345',
      amount: { amount: 100, currency: 'USD' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'DEVICE_NOT_RESPONDING' } });
  });

  it('runs a card payment and emits its updates as events', async () => {
    const s = make(true);
    const events: string[] = [];
    s.onEvent((e) => e.type === 'card' && events.push(e.update.state));
    await dispatchHostCall(s, 'card.begin', {
      paymentId: 'pay-12345',
      amount: { amount: 100, currency: 'USD' },
    });
    expect(
      await dispatchHostCall(s, 'emulator.presentCard', { pan: '5555555555554444' }),
    ).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['waiting-for-card', 'processing', 'approved']);
    expect(await dispatchHostCall(s, 'card.status', { paymentId: 'pay-12345' })).toMatchObject({
      ok: true,
      result: { state: 'approved', brand: 'Mastercard' },
    });
  });

  it('opens the drawer and reports it left open', async () => {
    const s = createEmulatedHostService({
      shell: 'electron',
      appVersion: '1',
      terminalId: 't',
      emulatorControls: true,
      drawerLeftOpenAfterMs: 30,
    });
    const states: string[] = [];
    s.onEvent((e) => e.type === 'drawer' && states.push(e.state));
    expect(await dispatchHostCall(s, 'drawer.open', undefined)).toEqual({
      ok: true,
      result: 'open',
    });
    await new Promise((r) => setTimeout(r, 60));
    await dispatchHostCall(s, 'emulator.closeDrawer', undefined);
    expect(states).toEqual(['open', 'left-open', 'closed']);
  });
});
