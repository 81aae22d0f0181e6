import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HostEvent, TerminalHost } from '../../common/host/contract';
import { createPopulation } from '../../common/palm/population';
import { HOST_WS_PATH, startBrowserHost, type BrowserHost } from '../../native/browser-host/server';
import { dispatchHostCall } from '../../native/host/dispatch';
import { createEmulatedHostService } from '../../native/host/emulated-host';
import type { TerminalHostService } from '../../native/host/terminal-host-service';
import { connectWsHost, type WebSocketLike } from '../../renderer/src/host/ws-client';

/**
 * The palm scanner through the terminal-host contract: the shared dispatcher (both shells) and
 * the browser-mode WebSocket carried end to end, against the emulated scanner.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function service(emulatorControls = true): TerminalHostService {
  const s = createEmulatedHostService({
    shell: 'browser',
    appVersion: 'test',
    terminalId: 'lane-1',
    emulatorControls,
    scanner: { kind: 'emulator', hoverMs: 300, seed: 11 },
  });
  cleanups.push(() => s.dispose());
  return s;
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('scanner through dispatchHostCall', () => {
  it('reports the emulated scanner ready and delivers a verified capture', async () => {
    const s = service();
    const status = await until(
      () => dispatchHostCall(s, 'scanner.status', undefined),
      (r) => r.ok && (r.result as { state: string }).state === 'ready',
      3000,
    );
    expect(status).toMatchObject({ ok: true, result: { kind: 'emulator', keyState: 'approved' } });
    const capture = dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 3000 });
    await new Promise((r) => setTimeout(r, 30));
    expect(
      await dispatchHostCall(s, 'emulator.presentPalm', {
        identity: 77,
        quality: 88,
        liveness: 93,
      }),
    ).toEqual({ ok: true, result: null });
    const r = await capture;
    expect(r.ok).toBe(true);
    const c = (r as { result: { template: number[]; counter: number; quality: number } }).result;
    expect(c.template).toEqual(Array.from(createPopulation({ seed: 11 }).capture(77, 88, 1)));
    expect(c).toMatchObject({ counter: 1, quality: 88 });
  });

  it('validates arguments strictly and gates emulator controls', async () => {
    const s = service(false);
    expect(
      await dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 100 }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 1000, extra: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await dispatchHostCall(s, 'emulator.presentPalm', { identity: 1, quality: 90, liveness: 90 }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await dispatchHostCall(s, 'scanner.approveKey', { serial: 'NO-SUCH' })).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_OFFLINE' },
    });
  });

  it('maps scanner failures to host error codes', async () => {
    const s = service();
    await until(
      () => s.scannerStatus(),
      (st) => st.state === 'ready',
      3000,
    );
    await s.emulatorPresentPalm({ identity: 1, quality: 90, liveness: 5 });
    expect(
      await dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 2000 }),
    ).toMatchObject({ ok: false, error: { code: 'LIVENESS_FAILED' } });
    const pending = dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 30));
    await s.emulatorUnplugScanner();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'DEVICE_OFFLINE' } });
    expect(
      await dispatchHostCall(s, 'scanner.capture', { mode: 'identify', timeoutMs: 2000 }),
    ).toMatchObject({ ok: false, error: { code: 'DEVICE_OFFLINE' } });
    await s.emulatorReplugScanner();
    await until(
      () => s.scannerStatus(),
      (st) => st.state === 'ready',
      2000,
    );
  });
});

describe('scanner over the browser-mode WebSocket', () => {
  it('carries status, guidance events, captures and errors', async () => {
    const s = service();
    const host: BrowserHost = await startBrowserHost({ service: s, port: 0 });
    cleanups.push(() => host.close());
    const client: TerminalHost & { close(): void } = connectWsHost({
      url: `ws://127.0.0.1:${host.port}${HOST_WS_PATH}`,
      token: host.token,
      createSocket: (url, protocols) =>
        new WebSocket(url, protocols, { origin: host.origin }) as unknown as WebSocketLike,
    });
    cleanups.push(() => client.close());
    const events: HostEvent[] = [];
    client.onEvent((e) => events.push(e));
    await until(
      () => client.scanner.status(),
      (st) => st.state === 'ready',
      3000,
    );

    const capture = client.scanner.capture({ mode: 'enroll', timeoutMs: 3000 });
    await new Promise((r) => setTimeout(r, 50));
    await client.emulator.presentPalm({ identity: 5, quality: 50, liveness: 90 });
    const c = await capture;
    expect(c.mode).toBe('enroll');
    expect(c.template).toHaveLength(512);
    const guidance = events.flatMap((e) =>
      e.type === 'scanner' && e.event.kind === 'guidance' ? [e.event.guidance] : [],
    );
    expect(guidance).toContain('MOVE_CLOSER');
    expect(
      events.some(
        (e) =>
          e.type === 'scanner' && e.event.kind === 'status' && e.event.status.state === 'capturing',
      ),
    ).toBe(true);

    const cancelled = client.scanner.capture({ mode: 'identify', timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    await client.scanner.cancel();
    await expect(cancelled).rejects.toMatchObject({ code: 'CAPTURE_CANCELLED' });
  });
});
