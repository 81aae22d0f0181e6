import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HostError, type HostEvent } from '../../common/host/contract';
import { connectWsHost, type WebSocketLike } from '../../renderer/src/host/ws-client';
import { createEmulatedHostService } from '../../native/host/emulated-host';
import { startBrowserHost, type BrowserHost } from '../../native/browser-host/server';

const hosts: BrowserHost[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  for (const h of hosts.splice(0)) await h.close();
});

async function start() {
  const service = createEmulatedHostService({
    shell: 'browser',
    appVersion: '1.2.3',
    terminalId: 'lane-9',
    emulatorControls: true,
    cardProcessingMs: 20,
  });
  const host = await startBrowserHost({ service, port: 0 });
  hosts.push(host);
  return host;
}

/** The renderer's real client, with the `ws` package standing in for the browser's WebSocket. */
function client(host: BrowserHost, token = host.token, origin = host.origin) {
  const c = connectWsHost({
    url: `ws://127.0.0.1:${host.port}/host`,
    token,
    callTimeoutMs: 2_000,
    createSocket: (url, protocols) =>
      new WebSocket(url, protocols, { origin }) as unknown as WebSocketLike,
  });
  closers.push(c.close);
  return c;
}

function rawUpgrade(
  host: BrowserHost,
  protocols: string[],
  origin: string,
): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/host`, protocols, { origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('browser-mode host over WebSocket', () => {
  it('carries the contract: calls, results and device events', async () => {
    const host = await start();
    const c = client(host);
    const info = await c.getInfo();
    expect(info).toMatchObject({
      shell: 'browser',
      appVersion: '1.2.3',
      terminalId: 'lane-9',
      emulatorControls: true,
    });

    const events: HostEvent[] = [];
    c.onEvent((e) => events.push(e));
    const first = await c.card.begin({
      paymentId: 'pay-ws-0001',
      amount: { amount: 500, currency: 'EUR' },
    });
    expect(first.state).toBe('waiting-for-card');
    await c.emulator.presentCard({ pan: '4242424242424242' });
    await expect
      .poll(() =>
        events
          .filter((e) => e.type === 'card')
          .map((e) => (e.type === 'card' ? e.update.state : '')),
      )
      .toEqual(['waiting-for-card', 'processing', 'approved']);
    expect(await c.drawer.open()).toBe('open');
  });

  it('maps host refusals to HostError codes', async () => {
    const host = await start();
    const c = client(host);
    const err = await c.card
      .begin({ paymentId: 'x', amount: { amount: 5, currency: 'USD' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('only listens on 127.0.0.1 and refuses a wrong token, a foreign origin and a missing protocol', async () => {
    const host = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    expect(await rawUpgrade(host, ['palm-host.v1', `token.${host.token}`], host.origin)).toBe(
      'open',
    );
    expect(await rawUpgrade(host, ['palm-host.v1', 'token.wrong'], host.origin)).toBe(401);
    expect(await rawUpgrade(host, ['palm-host.v1'], host.origin)).toBe(401);
    expect(
      await rawUpgrade(host, ['palm-host.v1', `token.${host.token}`], 'https://evil.example'),
    ).toBe(403);
    expect(await rawUpgrade(host, [`token.${host.token}`], host.origin)).toBe(400);
  });

  it('answers a request with a bad method or bad arguments by its id, and keeps the connection', async () => {
    const host = await start();
    const ws = new WebSocket(
      `ws://127.0.0.1:${host.port}/host`,
      ['palm-host.v1', `token.${host.token}`],
      { origin: host.origin },
    );
    const replies: unknown[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as object;
      if (!('event' in m)) replies.push(m);
    });
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ id: 5, method: 'nope' }));
    ws.send(JSON.stringify({ id: 6, method: 'card.begin', args: { paymentId: 1 } }));
    ws.send(JSON.stringify({ id: 7, method: 'getInfo' }));
    await expect.poll(() => replies.length).toBeGreaterThanOrEqual(3);
    expect(replies).toMatchObject([
      { id: 5, ok: false, error: { code: 'UNKNOWN_METHOD' } },
      { id: 6, ok: false, error: { code: 'BAD_REQUEST' } },
      { id: 7, ok: true },
    ]);
    ws.close();
  });

  it('fails calls fast with TRANSPORT_CLOSED when the host is gone', async () => {
    const host = await start();
    const c = client(host);
    await c.getInfo();
    await host.close();
    hosts.length = 0;
    await expect(c.getInfo()).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });
});
