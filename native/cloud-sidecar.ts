import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { CloudInfo } from '../common/host/contract';

export interface CloudSidecarOptions {
  /** Project root: cloud/main.ts is resolved from here. */
  root: string;
  port: number;
  dataDir: string;
  /** Origins the terminal's page is served from (CORS on the cloud). */
  allowedOrigins: string[];
  /** The Node binary (Electron passes its own with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

export interface CloudSidecar extends CloudInfo {
  /** A one-time dashboard login link for the operator (CLOUD_READY's loginUrl; one use, 10 min). */
  readonly loginUrl: string;
  /** A fresh one-time code for the demo store, so every new lane profile can provision itself. */
  issueProvisioningCode(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded store cloud as a child process beside the terminal (the layers keep the
 * host from importing cloud/, and a separate process is what the cloud is anyway), and waits for
 * its one machine-readable `CLOUD_READY {json}` line.
 */
export function startCloudSidecar(o: CloudSidecarOptions): Promise<CloudSidecar> {
  const adminToken = randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(
    o.execPath ?? process.execPath,
    ['--import', 'tsx', 'cloud/main.ts'],
    {
      cwd: o.root,
      env: {
        ...process.env,
        ...o.env,
        PORT: String(o.port),
        HOST: '127.0.0.1',
        CLOUD_DATA_DIR: o.dataDir,
        CLOUD_ALLOWED_ORIGINS: o.allowedOrigins.join(','),
        CLOUD_ADMIN_TOKEN: adminToken,
        // Its request log goes to <data dir>/cloud.log: stdout is only read for CLOUD_READY.
        CLOUD_LOG: 'file',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
    });
  // The cloud dies with the terminal.
  process.once('exit', () => child.kill('SIGTERM'));

  return new Promise((resolve, reject) => {
    const stderr: string[] = [];
    child.stderr?.on('data', (d: Buffer) => stderr.push(String(d)));
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the store cloud did not start within ${o.readyTimeoutMs ?? 30_000} ms`));
    }, o.readyTimeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the store cloud exited (${code}): ${stderr
            .join('')
            .trim()
            .split('\n')
            .filter((l) => l.trim() && !l.startsWith('Node.js'))
            .slice(-4)
            .join(' | ')}`,
        ),
      );
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('CLOUD_READY ')) return;
      clearTimeout(timer);
      const info = JSON.parse(line.slice('CLOUD_READY '.length)) as {
        url: string;
        provisioningCode: string;
        storeId: string;
        loginUrl: string;
      };
      const issueProvisioningCode = async () => {
        const res = await fetch(
          `${info.url}/v1/admin/stores/${encodeURIComponent(info.storeId)}/provisioning-codes`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${adminToken}` },
          },
        );
        if (!res.ok) throw new Error(`the cloud refused a provisioning code (${res.status})`);
        return ((await res.json()) as { code: string }).code;
      };
      resolve({
        url: info.url,
        provisioningCode: info.provisioningCode,
        loginUrl: info.loginUrl,
        issueProvisioningCode,
        stop,
      });
    });
  });
}
