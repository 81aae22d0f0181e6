import { arch, platform, release } from 'node:os';
import type { HostDiagnostics, HostInfo, ScannerStatus } from '../../common/host/contract';
import type { HostHandlers, HostMethod } from '../../common/host/methods';
import { scrubText } from '../../common/support/scrub';
import type { Logger } from 'pino';
import { withoutHome, type HostLog } from '../logging/host-logger';

/**
 * The host's half of the diagnostics a technician is sent: versions, device states and the log's
 * last problems. Built field by field from what is known to be harmless — never by copying an
 * object that might grow a personal field later: no provisioning code (only the cloud's origin),
 * no scanner public key, no card, template, receipt or token, no home folder in the log path.
 */
export function hostDiagnostics(o: {
  info: HostInfo;
  scanner: ScannerStatus;
  printerLastError: { code: string; at: string } | null;
  uptimeSeconds: number;
  log: HostLog | null;
}): HostDiagnostics {
  const { publicKey: _omitted, ...scanner } = o.scanner;
  const versions = process.versions as NodeJS.ProcessVersions & {
    electron?: string;
    chrome?: string;
  };
  return {
    generatedAt: new Date().toISOString(),
    shell: o.info.shell,
    appVersion: o.info.appVersion,
    terminalId: o.info.terminalId,
    runtime: {
      node: versions.node,
      electron: versions.electron ?? null,
      chrome: versions.chrome ?? null,
      platform: platform(),
      arch: arch(),
      osRelease: release(),
    },
    uptimeSeconds: o.uptimeSeconds,
    devices: o.info.devices,
    printerLastError: o.printerLastError && {
      code: o.printerLastError.code,
      at: o.printerLastError.at,
    },
    scanner: { ...scanner, lastError: scanner.lastError },
    cloudOrigin: o.info.cloud ? originOf(o.info.cloud.url) : null,
    logs: {
      dir: o.log?.dir ? withoutHome(o.log.dir) : null,
      recentProblems: (o.log?.recentProblems() ?? []).map((p) => ({
        ...p,
        msg: scrubText(p.msg),
      })),
    },
  };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Wraps each handler: a debug line per call, a warning with the error code when it fails. */
export function loggedHandlers(table: HostHandlers, logger: () => Logger): HostHandlers {
  const out: Record<string, (a: never) => Promise<unknown>> = {};
  for (const [method, handler] of Object.entries(table) as [
    HostMethod,
    (a: never) => Promise<unknown>,
  ][]) {
    out[method] = async (args: never) => {
      const started = performance.now();
      try {
        const r = await handler(args);
        logger().debug({ method, ms: Math.round(performance.now() - started) }, 'host call');
        return r;
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        logger().warn(
          { method, ...(typeof code === 'string' ? { code } : {}) },
          e instanceof Error ? e.message : String(e),
        );
        throw e;
      }
    };
  }
  return out as unknown as HostHandlers;
}
