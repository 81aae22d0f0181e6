import { homedir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { scrubText } from '../../common/support/scrub';
import { ConfigError } from '../config';

/**
 * The host's structured log (pino, like the cloud's): JSON lines in rotating files — a new file
 * each day or at 10 MB, the last 14 kept — in Electron's user-data folder (`logs/`) or, in browser
 * mode, HOST_LOG_DIR (default `.host-logs`). What a host call carries never reaches it whole: the
 * fields that can hold a card number, a template, a signed capture, a passcode, a token, a
 * provisioning code or what a receipt says are redacted by name, and every message and error
 * text passes scrubText. The last warnings and errors are kept in memory for the diagnostics.
 */
export interface HostLogOptions {
  /** Folder for the rotating files; null: no files (tests, HOST_LOG=off). */
  readonly dir: string | null;
  readonly level?: string;
  /** Also write lines here (tests). */
  readonly stream?: { write(line: string): unknown };
  /** A file's size before it rolls over (default 10m; tests use less). */
  readonly rollSize?: string;
}

export interface LoggedProblem {
  readonly at: string;
  readonly level: 'warn' | 'error' | 'fatal';
  readonly msg: string;
  readonly code?: string;
  readonly method?: string;
  readonly device?: string;
}

export interface HostLog {
  readonly logger: Logger;
  readonly dir: string | null;
  /** The last 50 warnings and errors, oldest first (already redacted and scrubbed). */
  recentProblems(): readonly LoggedProblem[];
  close(): Promise<void>;
}

const REDACTED = '[redacted]';
/** Field names whose values are people's data or secrets, wherever they appear in a log object. */
export const HOST_REDACT_PATHS = [
  'pan',
  'passcode',
  'token',
  'hostToken',
  'provisioningCode',
  'template',
  'signed',
  'customerRef',
  'loyaltyId',
  'document',
  'lines',
  'args',
  '*.pan',
  '*.passcode',
  '*.token',
  '*.hostToken',
  '*.provisioningCode',
  '*.template',
  '*.signed',
  '*.customerRef',
  '*.loyaltyId',
  '*.document',
  '*.lines',
  '*.args',
];

const LEVELS: Record<number, LoggedProblem['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/** A user's home folder in a path is a name: shown as "~". */
export function withoutHome(path: string): string {
  const home = homedir();
  return home && path.startsWith(home) ? `~${path.slice(home.length)}` : path;
}

export async function createHostLog(o: HostLogOptions): Promise<HostLog> {
  const problems: LoggedProblem[] = [];
  const ring = {
    write(line: string) {
      try {
        const j = JSON.parse(line) as Record<string, unknown>;
        const level = LEVELS[j.level as number];
        if (!level) return;
        problems.push({
          at: new Date(j.time as number).toISOString(),
          level,
          msg: String(j.msg ?? ''),
          ...(typeof j.code === 'string' ? { code: j.code } : {}),
          ...(typeof j.method === 'string' ? { method: j.method } : {}),
          ...(typeof j.device === 'string' ? { device: j.device } : {}),
        });
        if (problems.length > 50) problems.shift();
      } catch {
        // a line that is not JSON is not ours to keep
      }
    },
  };
  const file = o.dir
    ? await pinoRoll({
        file: join(o.dir, 'host'),
        frequency: 'daily',
        size: o.rollSize ?? '10m',
        mkdir: true,
        limit: { count: 14 },
      })
    : null;
  const streams: pino.StreamEntry[] = [{ level: 'warn', stream: ring }];
  if (file) streams.push({ level: 'trace', stream: file });
  if (o.stream) streams.push({ level: 'trace', stream: o.stream });
  const logger = pino(
    {
      level: o.level ?? 'info',
      base: { app: 'palm-terminal-host' },
      redact: { paths: HOST_REDACT_PATHS, censor: REDACTED },
      hooks: {
        // Free text is scrubbed too: an error message may quote what a device or a cloud sent.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (e: unknown) => {
          const x = e as { name?: string; code?: unknown; message?: string };
          return {
            type: x?.name ?? 'Error',
            ...(typeof x?.code === 'string' ? { code: x.code } : {}),
            message: scrubText(String(x?.message ?? e)),
          };
        },
      },
    },
    pino.multistream(streams, { dedupe: false }),
  );
  return {
    logger,
    dir: o.dir,
    recentProblems: () => [...problems],
    close: async () => {
      logger.flush();
      file?.end();
    },
  };
}

/**
 * Where the host logs, from the environment: HOST_LOG=off for no files, HOST_LOG_DIR for the
 * folder (browser mode; Electron passes its user-data folder as the default), HOST_LOG_LEVEL.
 */
export function hostLogSetup(
  env: Record<string, string | undefined>,
  defaultDir: string,
): HostLogOptions {
  const level = env.HOST_LOG_LEVEL?.trim() || 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level))
    throw new ConfigError(
      `HOST_LOG_LEVEL must be trace, debug, info, warn, error, fatal or silent (got “${level}”)`,
    );
  const off = ['off', '0', 'false', 'no'].includes(env.HOST_LOG?.trim().toLowerCase() ?? '');
  return { dir: off ? null : env.HOST_LOG_DIR?.trim() || defaultDir, level };
}
