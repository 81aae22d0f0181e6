import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy, ISOLATION_HEADERS } from '../../common/csp';
import {
  HOST_WS_CLOSE,
  HOST_WS_PATH,
  HOST_WS_PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  type RpcResponse,
} from '../../common/host/rpc';
import { dispatchHostCall } from '../host/dispatch';
import type { TerminalHostService } from '../host/terminal-host-service';

export { HOST_WS_PATH };

/** The largest message a page may send; a bigger one closes that connection with 1009. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface BrowserHostOptions {
  service: TerminalHostService;
  /** Built renderer to serve; omit to serve only the WebSocket (tests). */
  staticDir?: string;
  port?: number; // 0 picks a free port
  /** Per-launch secret; generated when omitted. */
  token?: string;
  /** Extra connect-src entries for the CSP (the store cloud's URL). */
  connectSrc?: string[];
  /** Where the host reports a connection it closed or a socket error (default: stderr). */
  log?: (line: string) => void;
}

export interface BrowserHost {
  readonly url: string; // the URL to open, token included in the fragment
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Browser mode: serves the built renderer and carries the terminal-host contract over a WebSocket
 * on 127.0.0.1 only. A connection must come from this origin (so other web pages the kiosk
 * browser opens cannot reach the devices) and present the per-launch token as a subprotocol.
 */
export async function startBrowserHost(o: BrowserHostOptions): Promise<BrowserHost> {
  const log = o.log ?? ((line: string) => console.warn(line));
  const token = o.token ?? randomBytes(24).toString('base64url');
  let origin = '';
  let csp = '';
  const serveStatic = o.staticDir
    ? sirv(o.staticDir, {
        single: true,
        dev: false,
        etag: true,
        setHeaders: (res, pathname) => {
          for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
          res.setHeader('Content-Security-Policy', csp);
          res.setHeader('X-Content-Type-Options', 'nosniff');
          res.setHeader('Referrer-Policy', 'no-referrer');
          if (pathname === '/' || pathname.endsWith('.html'))
            res.setHeader('Cache-Control', 'no-store');
        },
      })
    : null;

  const server: Server = createServer((req, res) => {
    if (!serveStatic) {
      res.statusCode = 404;
      res.end();
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(HOST_WS_PROTOCOL) ? HOST_WS_PROTOCOL : false),
  });

  // Errors on any socket end that socket only: with no listener, Node would end the process
  // (and the devices and embedded cloud with it).
  server.on('error', (e) => log(`browser host: server error: ${errorText(e)}`));
  server.on('upgrade', (req, socket, head) => {
    // Node drops its own error listener from a socket it hands to 'upgrade'; until `ws` adds
    // one (and after a refusal) a reset by the peer would be unhandled.
    // A peer that resets (a closed tab) is normal and not logged.
    const onSocketError = (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET') log(`browser host: upgrade socket error: ${errorText(e)}`);
    };
    socket.on('error', onSocketError);
    const refusal = refuseUpgrade(req, origin, token);
    if (refusal) {
      socket.write(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onSocketError); // the WebSocket's own handler has it from here
      onConnection(ws, o.service, log);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`, ...(o.connectSrc ?? [])]);

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function refuseUpgrade(req: IncomingMessage, origin: string, token: string): string | null {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname !== HOST_WS_PATH) return '404 Not Found';
  if (req.headers.origin !== origin) return '403 Forbidden';
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (!offered.includes(HOST_WS_PROTOCOL)) return '400 Bad Request';
  const presented = offered
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
    ?.slice(TOKEN_PROTOCOL_PREFIX.length);
  if (!presented || !sameSecret(presented, token)) return '401 Unauthorized';
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function onConnection(ws: WebSocket, service: TerminalHostService, log: (l: string) => void): void {
  const unsubscribe = service.onEvent((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
  });
  ws.on('close', unsubscribe);
  // `ws` has already closed the connection with the frame's code (1002, 1007, 1009) when it
  // emits this; the listener is what keeps the error from ending the process.
  ws.on('error', (e) => log(`browser host: closed a connection: ${errorText(e)}`));
  const refuse = (code: number, reason: string) => {
    log(`browser host: closed a connection (${code}): ${reason}`);
    ws.close(code, reason);
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return refuse(HOST_WS_CLOSE.unsupportedData, 'binary frames are not accepted');
    const msg = parseJson(String(data));
    // Without an id no reply can be matched to it: that is not our page speaking the protocol.
    if (!isRequestShape(msg)) return refuse(HOST_WS_CLOSE.policy, REQUEST_SHAPE);
    void (async () => {
      let response: RpcResponse;
      try {
        const r = await dispatchHostCall(service, msg.method, msg.args);
        response = r.ok
          ? { id: msg.id, ok: true, result: r.result }
          : { id: msg.id, ok: false, error: r.error };
      } catch (e) {
        response = {
          id: msg.id,
          ok: false,
          error: { code: 'INTERNAL', message: e instanceof Error ? e.message : 'internal error' },
        };
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
    })();
  });
}

const REQUEST_SHAPE = 'a request is {"id": integer, "method": string, "args"?: …}';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  return code ? `${e.message} [${code}]` : e.message;
}

function isRequestShape(m: unknown): m is { id: number; method: unknown; args?: unknown } {
  return (
    typeof m === 'object' &&
    m !== null &&
    Number.isSafeInteger((m as { id?: unknown }).id) &&
    'method' in m
  );
}
