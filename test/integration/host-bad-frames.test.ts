import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_WS_CLOSE } from '../../common/host/rpc';
import { MAX_MESSAGE_BYTES } from '../../native/browser-host/server';
import { fakeBuildDir, openSocket, startHostProcess, type HostProcess } from './host-process';

/**
 * A connected page that sends bad frames, against the real browser-mode host process: each bad
 * frame closes that one connection with its code, and the host process stays up, answering a
 * good connection that was open all along and a new one opened after.
 */
let host: HostProcess;
let good: ReturnType<typeof openSocket>;
const build = fakeBuildDir();

beforeAll(async () => {
  host = await startHostProcess({ BROWSER_BUILD_DIR: build.dir, NO_CLOUD: '1' });
  good = openSocket(host);
  await good.opened;
}, 40_000);

afterAll(async () => {
  good?.ws.close();
  await host?.stop();
  build.remove();
});

/** After every attack: the process is alive, the old good connection and a fresh one answer. */
async function expectHostStillServes(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50)); // a crash would have been reported by now
  expect(host.child.exitCode, `the host process ended:\n${host.output()}`).toBeNull();
  expect(await good.call('getInfo')).toMatchObject({ ok: true, result: { shell: 'browser' } });
  const fresh = openSocket(host);
  await fresh.opened;
  expect(await fresh.call('drawer.open')).toMatchObject({ ok: true, result: 'open' });
  fresh.ws.close();
}

async function attack(send: (ws: ReturnType<typeof openSocket>['ws']) => void) {
  const bad = openSocket(host);
  await bad.opened;
  send(bad.ws);
  return bad.closed;
}

describe('a connected page sending bad frames', () => {
  it('an oversize message closes that connection with 1009', async () => {
    const closed = await attack((ws) => ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1)));
    expect(closed.code).toBe(HOST_WS_CLOSE.tooBig);
    await expectHostStillServes();
  });

  it('an oversize message in fragments closes that connection with 1009', async () => {
    const half = 'y'.repeat(MAX_MESSAGE_BYTES / 2 + 1);
    const closed = await attack((ws) => {
      ws.send(half, { fin: false });
      ws.send(half, { fin: true });
    });
    expect(closed.code).toBe(HOST_WS_CLOSE.tooBig);
    await expectHostStillServes();
  });

  it('text that is not UTF-8 closes that connection with 1007', async () => {
    const closed = await attack((ws) =>
      ws.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), { binary: false }),
    );
    expect(closed.code).toBe(HOST_WS_CLOSE.invalidPayload);
    await expectHostStillServes();
  });

  it('a binary frame closes that connection with 1003', async () => {
    const closed = await attack((ws) =>
      ws.send(Buffer.from(JSON.stringify({ id: 1, method: 'getInfo' })), { binary: true }),
    );
    expect(closed).toEqual({ code: HOST_WS_CLOSE.unsupportedData, reason: expect.any(String) });
    expect(closed.reason).toMatch(/binary/);
    await expectHostStillServes();
  });

  it('text that is not a request envelope closes that connection with 1008', async () => {
    for (const text of ['not json', '[]', 'null', '{"id":"x","method":"getInfo"}', '{"id":1.5}']) {
      const closed = await attack((ws) => ws.send(text));
      expect(closed.code, text).toBe(HOST_WS_CLOSE.policy);
      expect(closed.reason).toMatch(/"id": integer/);
    }
    await expectHostStillServes();
  });

  it('a frame that breaks RFC 6455 (unmasked from a client) closes with 1002', async () => {
    const raw = await rawHandshake(host);
    // FIN + text opcode, no mask bit: servers must fail such a connection.
    raw.socket.write(Buffer.concat([Buffer.from([0x81, 0x02]), Buffer.from('{}')]));
    expect(await raw.closeCode).toBe(HOST_WS_CLOSE.protocolError);
    await expectHostStillServes();
  });

  it('a peer that resets mid-handshake or mid-refusal leaves the host serving', async () => {
    for (const token of [host.token, 'wrong-token-0123456789']) {
      const s = connect(host.port, '127.0.0.1');
      await new Promise((r) => s.once('connect', r));
      s.write(upgradeRequest(host, token));
      s.resetAndDestroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    await expectHostStillServes();
  });

  it('a well-formed request with a bad method or bad arguments is answered, not closed', async () => {
    expect(await good.call('shell.exec', 'rm -rf /')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    expect(await good.call('card.begin', { paymentId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(good.ws.readyState).toBe(good.ws.OPEN);
  });
});

function upgradeRequest(h: HostProcess, token: string): string {
  return [
    'GET /host HTTP/1.1',
    `Host: 127.0.0.1:${h.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: palm-host.v1, token.${token}`,
    `Origin: ${h.origin}`,
    '',
    '',
  ].join('\r\n');
}

/** A WebSocket opened by hand over TCP, so the test can write frames `ws` would never send. */
async function rawHandshake(
  h: HostProcess,
): Promise<{ socket: Socket; closeCode: Promise<number> }> {
  const socket = connect(h.port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  socket.write(upgradeRequest(h, h.token));
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const closeCode = new Promise<number>((resolve, reject) => {
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, end).toString().startsWith('HTTP/1.1 101'))
          return reject(new Error(buf.toString()));
        upgraded = true;
        buf = buf.subarray(end + 4);
      }
      // The server's close frame: 0x88, length, then the 2-byte code.
      if (buf.length >= 4 && buf[0] === 0x88) resolve(buf.readUInt16BE(2));
    });
    socket.once('close', () => reject(new Error('closed without a close frame')));
  });
  await new Promise<void>((resolve) => {
    const wait = () => (upgraded ? resolve() : setTimeout(wait, 5));
    wait();
  });
  return { socket, closeCode };
}
