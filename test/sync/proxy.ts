import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real loopback HTTP proxy between the terminal and the cloud that misbehaves on purpose.
 * While `faulty` (the default) each request gets one fault from `choose()`:
 * - pass: forwarded as is;
 * - drop-request: the connection is cut before anything reaches the cloud;
 * - drop-response: forwarded, the cloud commits and answers, the answer is thrown away and the
 *   connection cut (the terminal cannot know whether its push landed; Chromium re-sends the very
 *   same request on a fresh connection when the cut one was a reused keep-alive socket);
 * - delay: forwarded after a pause;
 * - http-500 / http-503 / http-408 / http-429: answered by the proxy, nothing forwarded (with
 *   CORS headers when the request came from a page, as a gateway in front of the cloud would);
 * - cut-request-body: the cloud receives half the body, then the connection dies;
 * - cut-response-body: the terminal receives the headers and half the body, then the connection dies;
 * - blackhole: never answered (the terminal's own timeout has to fire).
 * `setMode` switches to a dead phase (`refuse`: every connection is cut at once; `blackhole`:
 * accepted and never answered), to `healthy` (healing: everything passes; requests already
 * swallowed by a blackhole stay unanswered, as on a real network) or back to `faulty`.
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'drop-request' }
  | { kind: 'drop-response' }
  | { kind: 'delay'; ms: number }
  | { kind: 'http-500' }
  | { kind: 'http-503' }
  | { kind: 'http-408' }
  | { kind: 'http-429' }
  | { kind: 'cut-request-body' }
  | { kind: 'cut-response-body' }
  | { kind: 'blackhole' };

export type FaultKind = Fault['kind'] | 'dead-refuse' | 'dead-blackhole';

export type ProxyMode = 'faulty' | 'healthy' | 'dead-refuse' | 'dead-blackhole';

export interface FaultProxy {
  readonly url: string;
  /** Requests by what happened to them (a refused connection counts once, as `dead-refuse`). */
  readonly counts: Record<FaultKind, number>;
  /** Requests that carried a nonce the proxy had already seen: a browser re-sending a request. */
  readonly resent: number;
  /** Points the proxy at the cloud (when the cloud starts after the proxy). */
  setTarget(url: string): void;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(
  target: URL,
  req: http.IncomingMessage,
  body: Buffer,
  cutHalfway: boolean,
  agent: http.Agent,
): Promise<Upstream | null> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: res.headers,
            body: Buffer.concat(parts),
          }),
        );
        res.on('error', reject);
      },
    );
    up.on('error', (e) => (cutHalfway ? resolve(null) : reject(e)));
    if (cutHalfway) {
      up.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => {
        up.destroy();
        resolve(null);
      }, 2);
    } else {
      up.end(body);
    }
  });
}

const PROXY_ANSWERS: Partial<
  Record<FaultKind, { status: number; headers: http.OutgoingHttpHeaders }>
> = {
  'http-500': { status: 500, headers: {} },
  'http-503': { status: 503, headers: {} },
  'http-408': { status: 408, headers: { connection: 'close' } },
  'http-429': { status: 429, headers: { 'retry-after': '1' } },
};

const ZERO_COUNTS = (): Record<FaultKind, number> => ({
  pass: 0,
  'drop-request': 0,
  'drop-response': 0,
  delay: 0,
  'http-500': 0,
  'http-503': 0,
  'http-408': 0,
  'http-429': 0,
  'cut-request-body': 0,
  'cut-response-body': 0,
  blackhole: 0,
  'dead-refuse': 0,
  'dead-blackhole': 0,
});

export async function startFaultProxy(
  target: string | null,
  choose: () => Fault,
): Promise<FaultProxy> {
  let targetUrl = target ? new URL(target) : null;
  let mode: ProxyMode = 'faulty';
  let resent = 0;
  const nonces = new Set<string>();
  const counts = ZERO_COUNTS();
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const nonce = req.headers['x-palm-nonce'];
      if (typeof nonce === 'string') {
        if (nonces.has(nonce)) resent += 1;
        nonces.add(nonce);
      }
      const fault: Fault | { kind: 'dead-blackhole' } =
        mode === 'faulty'
          ? choose()
          : mode === 'healthy'
            ? { kind: 'pass' }
            : { kind: 'dead-blackhole' };
      counts[fault.kind] += 1;
      const body = await readBody(req);
      const send = (u: Upstream): void => {
        const headers = { ...u.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(u.body.length);
        res.writeHead(u.status, headers);
        res.end(u.body);
      };
      const up = (): Promise<Upstream | null> => {
        if (!targetUrl) throw new Error('the proxy has no target yet');
        return forward(targetUrl, req, body, false, upstreamAgent);
      };
      switch (fault.kind) {
        case 'pass':
          return send((await up())!);
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          return send((await up())!);
        case 'drop-request':
          return req.socket.destroy();
        case 'drop-response':
          await up();
          return req.socket.destroy();
        case 'http-500':
        case 'http-503':
        case 'http-408':
        case 'http-429': {
          const answer = PROXY_ANSWERS[fault.kind]!;
          const origin = req.headers.origin;
          res.writeHead(answer.status, {
            'content-type': 'text/html',
            ...answer.headers,
            ...(origin
              ? {
                  'access-control-allow-origin': origin,
                  'cross-origin-resource-policy': 'cross-origin',
                  vary: 'Origin',
                }
              : {}),
          });
          return res.end('<html><body>Bad gateway day</body></html>');
        }
        case 'cut-request-body':
          if (!targetUrl) throw new Error('the proxy has no target yet');
          await forward(targetUrl, req, body, true, upstreamAgent);
          return req.socket.destroy();
        case 'cut-response-body': {
          const u = (await up())!;
          const headers = { ...u.headers, 'content-length': String(u.body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(u.status, headers);
          res.write(u.body.subarray(0, Math.floor(u.body.length / 2)));
          setTimeout(() => req.socket.destroy(), 1);
          return;
        }
        case 'blackhole':
        case 'dead-blackhole':
          return; // the socket is closed by the client's timeout, or at close()
      }
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    if (mode === 'dead-refuse') {
      counts['dead-refuse'] += 1;
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get resent() {
      return resent;
    },
    setTarget(url) {
      targetUrl = new URL(url);
    },
    setMode(next) {
      mode = next;
      // A link going down takes its open connections with it.
      if (next === 'dead-refuse') for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstreamAgent.destroy();
    },
  };
}

/** mulberry32: a tiny seeded PRNG, so every run can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault mix used by the Node suite: about 45 % of requests misbehave. */
export function faultPicker(rand: () => number): () => Fault {
  return () => {
    const r = rand();
    if (r < 0.55) return { kind: 'pass' };
    if (r < 0.63) return { kind: 'drop-request' };
    if (r < 0.73) return { kind: 'drop-response' };
    if (r < 0.8) return { kind: 'delay', ms: 1 + Math.floor(rand() * 30) };
    if (r < 0.86) return { kind: 'http-500' };
    if (r < 0.92) return { kind: 'http-503' };
    if (r < 0.96) return { kind: 'cut-request-body' };
    if (r < 0.99) return { kind: 'cut-response-body' };
    return { kind: 'blackhole' };
  };
}

/**
 * The mix the Chromium suite uses: a little gentler per request (the page makes CORS preflights
 * too), with the proxy's 408 and 429, and answers dropped after the cloud committed weighted up,
 * because that is where a browser re-sends a request on its own.
 */
export function browserFaultPicker(rand: () => number): () => Fault {
  return () => {
    const r = rand();
    if (r < 0.6) return { kind: 'pass' };
    if (r < 0.66) return { kind: 'drop-request' };
    if (r < 0.78) return { kind: 'drop-response' };
    if (r < 0.84) return { kind: 'delay', ms: 1 + Math.floor(rand() * 80) };
    if (r < 0.87) return { kind: 'http-500' };
    if (r < 0.9) return { kind: 'http-503' };
    if (r < 0.92) return { kind: 'http-408' };
    if (r < 0.94) return { kind: 'http-429' };
    if (r < 0.96) return { kind: 'cut-request-body' };
    if (r < 0.99) return { kind: 'cut-response-body' };
    return { kind: 'blackhole' };
  };
}
