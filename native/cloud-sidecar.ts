import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { CloudInfo } from '../common/host/contract';

/**
 * The embedded store cloud, started beside the terminal as a separate process (the layers keep
 * the host from importing cloud/, and a separate process is what the cloud is anyway). How the
 * process is started is injected: plain Node for the browser host (`nodeCloudLauncher`),
 * Electron's utilityProcess in the desktop app (electron/main/cloud-process.ts). Either way the
 * cloud prints one machine-readable `CLOUD_READY {json}` line, read here and nowhere else.
 */

/** What a launcher hands back: the started process, seen through the little the sidecar needs. */
export interface CloudProcess {
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Called once, when the process has ended (code null: ended by a signal). */
  onExit(listener: (code: number | null) => void): void;
  /** Asks the process to stop; `force` when it did not stop when asked. */
  kill(force?: boolean): void;
}

/** Starts the cloud process with this environment (added to the launcher's own). */
export type CloudLauncher = (env: Record<string, string>) => CloudProcess;

/** Browser mode: `node --import tsx cloud/main.ts` from the project root. */
export function nodeCloudLauncher(root: string, execPath = process.execPath): CloudLauncher {
  return (env) => {
    const child = spawn(execPath, ['--import', 'tsx', 'cloud/main.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      onExit: (listener) => {
        if (child.exitCode !== null || child.signalCode !== null) listener(child.exitCode);
        else child.once('exit', (code) => listener(code));
      },
      kill: (force) => void child.kill(force ? 'SIGKILL' : 'SIGTERM'),
    };
  };
}

/**
 * The cloud's start-up line. No admin token travels in it: `loginUrl` is a one-time dashboard
 * login link.
 */
export const cloudReadySchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  storeId: z.string().min(1),
  provisioningCode: z.string().min(1).nullable(),
  loginUrl: z.url({ protocol: /^https?$/ }),
  /** The demo launcher's scanner the cloud approved (DEMO_SCANNER_KEY): resume its counter here. */
  demoScanner: z
    .strictObject({
      serial: z.string().min(1).max(16),
      nextCounter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .optional(),
});
export type CloudReady = z.infer<typeof cloudReadySchema>;

export const CLOUD_READY_PREFIX = 'CLOUD_READY ';

/** Reads one `CLOUD_READY {json}` line; a line that is not one is a clear error. */
export function parseCloudReady(line: string): CloudReady {
  let json: unknown;
  try {
    json = JSON.parse(line.slice(CLOUD_READY_PREFIX.length));
  } catch {
    throw new Error(`the store cloud's ready line is not JSON: ${line.slice(0, 120)}`);
  }
  const r = cloudReadySchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(
      `the store cloud's ready line is malformed (${issue.path.join('.') || 'line'}: ${issue.message})`,
    );
  }
  return r.data;
}

export interface CloudSidecarOptions {
  launch: CloudLauncher;
  port: number;
  dataDir: string;
  /** Origins the terminal's page is served from (CORS on the cloud). */
  allowedOrigins: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface CloudSidecar extends CloudInfo {
  readonly storeId: string;
  /** The cloud's one-time dashboard login link (one use, 10 min). */
  readonly loginUrl: string;
  /** Set when the cloud approved the launcher's demo scanner (DEMO_SCANNER_KEY). */
  readonly demoScanner?: { readonly serial: string; readonly nextCounter: number };
  stop(): Promise<void>;
}

/** Starts the embedded cloud and waits for its CLOUD_READY line. */
export function startCloudSidecar(o: CloudSidecarOptions): Promise<CloudSidecar> {
  const child = o.launch({
    ...o.env,
    PORT: String(o.port),
    HOST: '127.0.0.1',
    CLOUD_DATA_DIR: o.dataDir,
    CLOUD_ALLOWED_ORIGINS: o.allowedOrigins.join(','),
    // Its request log goes to <data dir>/cloud.log: stdout is only read for CLOUD_READY.
    CLOUD_LOG: 'file',
  });
  let exited = false;
  const exitWaiters: Array<() => void> = [];
  child.onExit(() => {
    exited = true;
    exitWaiters.splice(0).forEach((w) => w());
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited) return resolve();
      exitWaiters.push(resolve);
      child.kill();
      setTimeout(() => !exited && child.kill(true), 3_000).unref();
    });
  // The cloud dies with the terminal.
  process.once('exit', () => !exited && child.kill());

  // PGlite starts in ~3 s on an idle machine; a busy or slow one can take several times that.
  const timeoutMs = o.readyTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(String(d)));
    const fail = (e: Error) => {
      clearTimeout(timer);
      void stop();
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new Error(`the store cloud did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.onExit((code) => {
      clearTimeout(timer);
      const tail = stderr
        .join('')
        .trim()
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('Node.js'))
        .slice(-4)
        .join(' | ');
      reject(new Error(`the store cloud exited (${code})${tail ? `: ${tail}` : ''}`));
    });
    let seen = false;
    // Read stdout to its end (a pipe nobody drains would stall the cloud's logging).
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (seen || !line.startsWith(CLOUD_READY_PREFIX)) return;
      seen = true;
      let ready: CloudReady;
      try {
        ready = parseCloudReady(line);
      } catch (e) {
        return fail(e as Error);
      }
      clearTimeout(timer);
      resolve({
        url: ready.url,
        storeId: ready.storeId,
        provisioningCode: ready.provisioningCode,
        loginUrl: ready.loginUrl,
        ...(ready.demoScanner ? { demoScanner: ready.demoScanner } : {}),
        stop,
      });
    });
  });
}
