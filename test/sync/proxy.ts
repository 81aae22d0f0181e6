import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real loopback HTTP proxy between the terminal and the cloud that misbehaves on purpose.
 * Each request gets one fault from `choose()`:
 * - pass: forwarded as is;
 * - drop-request: the connection is cut before anything reaches the cloud;
 * - drop-response: forwarded, the cloud commits and answers, the answer is thrown away and the
 *   connection cut (the terminal cannot know whether its push landed);
 * - delay: forwarded after a pause;
 * - http-500 / http-503: answered by the proxy, nothing forwarded;
 * - cut-request-body: the cloud receives half the body, then the connection dies;
 * - cut-response-body: the terminal receives the headers and half the body, then the connection dies;
 * - blackhole: never answered (the terminal's own timeout has to fire).
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'drop-request' }
  | { kind: 'drop-response' }
  | { kind: 'delay'; ms: number }
  | { kind: 'http-500' }
  | { kind: 'http-503' }
  | { kind: 'cut-request-body' }
  | { kind: 'cut-response-body' }
  | { kind: 'blackhole' };

export type FaultKind = Fault['kind'];

export interface FaultProxy {
  readonly url: string;
  readonly counts: Record<FaultKind, number>;
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
        agent: upstreamAgent,
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

const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export async function startFaultProxy(target: string, choose: () => Fault): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const counts: Record<FaultKind, number> = {
    pass: 0,
    'drop-request': 0,
    'drop-response': 0,
    delay: 0,
    'http-500': 0,
    'http-503': 0,
    'cut-request-body': 0,
    'cut-response-body': 0,
    blackhole: 0,
  };
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const fault = choose();
      counts[fault.kind] += 1;
      const body = await readBody(req);
      const send = (u: Upstream): void => {
        const headers = { ...u.headers };
        delete headers['transfer-encoding'];
        headers['content-length'] = String(u.body.length);
        res.writeHead(u.status, headers);
        res.end(u.body);
      };
      switch (fault.kind) {
        case 'pass':
          return send((await forward(targetUrl, req, body, false))!);
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          return send((await forward(targetUrl, req, body, false))!);
        case 'drop-request':
          return req.socket.destroy();
        case 'drop-response':
          await forward(targetUrl, req, body, false);
          return req.socket.destroy();
        case 'http-500':
        case 'http-503':
          res.writeHead(fault.kind === 'http-500' ? 500 : 503, { 'content-type': 'text/html' });
          return res.end('<html><body>Bad gateway day</body></html>');
        case 'cut-request-body':
          await forward(targetUrl, req, body, true);
          return req.socket.destroy();
        case 'cut-response-body': {
          const u = (await forward(targetUrl, req, body, false))!;
          const headers = { ...u.headers, 'content-length': String(u.body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(u.status, headers);
          res.write(u.body.subarray(0, Math.floor(u.body.length / 2)));
          setTimeout(() => req.socket.destroy(), 1);
          return;
        }
        case 'blackhole':
          return; // the socket is closed by the client's timeout, or at close()
      }
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
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

/** The fault mix used by the suite: about 45 % of requests misbehave. */
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
