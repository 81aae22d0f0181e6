import type { CloudLauncher } from '../../native/cloud-sidecar';

/** The part of Electron's `utilityProcess.fork` and its child that the cloud launcher uses. */
export interface UtilityChildLike {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}
export type UtilityForkLike = (
  modulePath: string,
  args: string[],
  options: { env: Record<string, string | undefined>; stdio: 'pipe'; serviceName: string },
) => UtilityChildLike;

/**
 * The desktop app's cloud: out/main/cloud.js (cloud/main.ts bundled as a second main entry by
 * electron.vite.config.ts) in an Electron utility process — a Node child that needs no
 * ELECTRON_RUN_AS_NODE, so the RunAsNode fuse stays off (electron/main/fuses.ts).
 */
export function utilityCloudLauncher(fork: UtilityForkLike, entry: string): CloudLauncher {
  return (env) => {
    const child = fork(entry, [], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
      serviceName: 'Palm store cloud',
    });
    if (!child.stdout || !child.stderr) throw new Error('the store cloud has no stdout to read');
    let exitCode: number | undefined;
    const waiting: Array<(code: number | null) => void> = [];
    child.once('exit', (code) => {
      exitCode = code;
      waiting.splice(0).forEach((l) => l(code));
    });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      onExit: (l) => (exitCode === undefined ? void waiting.push(l) : l(exitCode)),
      // A utility process has one way to stop: kill() (SIGTERM on POSIX). Asked twice is the same.
      kill: () => void child.kill(),
    };
  };
}
