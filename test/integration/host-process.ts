import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const HOST_MAIN = path.join(ROOT, 'native/browser-host/main.ts');

/** A port the OS says is free right now (the host's PORT must be known before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface HostProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly token: string;
  readonly origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** A stand-in renderer build: the host only checks that index.html exists. */
export function fakeBuildDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'host-build-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>lane</title>');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `native/browser-host/main.ts` as `npm run start:browser` does, and waits for "Open: ". */
export async function startHostProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<HostProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const token = env.HOST_TOKEN ?? 'integration-token-0123456789';
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST_TOKEN: token, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(String(d)));
  child.stderr!.on('data', (d: Buffer) => out.push(String(d)));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`the host did not start:\n${out.join('')}`));
    }, 60_000); // the embedded cloud's PGlite takes seconds, more on a loaded machine
    const check = () => {
      if (out.join('').includes('Open: ')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the host exited (${code}):\n${out.join('')}`));
    });
  });
  return {
    child,
    port,
    token,
    origin: `http://127.0.0.1:${port}`,
    output: () => out.join(''),
    stop,
  };
}

/** A raw `ws` connection as the host's own page makes it (origin, subprotocol, token). */
export function openSocket(host: { port: number; token: string; origin: string }) {
  const ws = new WebSocket(
    `ws://127.0.0.1:${host.port}/host`,
    ['palm-host.v1', `token.${host.token}`],
    { origin: host.origin },
  );
  type Reply = { id?: number; ok?: boolean; result?: unknown; error?: unknown };
  const replies: Reply[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as Reply | { event: unknown };
    if (!('event' in m)) replies.push(m);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(e));
    ws.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  ws.on('error', () => {}); // after opening, the close event carries what the tests check
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  let nextId = 1;
  /** One request; resolves with the host's reply to it. */
  const call = async (method: string, args?: unknown) => {
    const id = nextId++;
    ws.send(JSON.stringify({ id, method, args }));
    for (let i = 0; i < 200; i++) {
      const r = replies.find((x) => x.id === id);
      if (r) return r;
      await new Promise((t) => setTimeout(t, 10));
    }
    throw new Error(`no reply to ${method} (#${id})`);
  };
  return { ws, opened, closed, call };
}
