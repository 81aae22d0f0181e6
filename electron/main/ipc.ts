import { HOST_METHOD_NAMES, isHostMethod } from '../../common/host/methods';
import { IPC_CHANNEL_PREFIX, ipcChannel } from '../../common/host/rpc';
import { dispatchHostCall } from '../../native/host/dispatch';
import type { TerminalHostService } from '../../native/host/terminal-host-service';

/** The parts of Electron's IpcMainInvokeEvent the validator reads (so tests can mock it). */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcPolicy {
  /** webContents id of the terminal window: the only sender allowed. */
  readonly webContentsId: () => number | null;
  /** Origins the terminal's page may be loaded from (app://terminal, or the dev server). */
  readonly allowedOrigins: readonly string[];
}

export type IpcVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks one IPC call before it reaches the host: a known channel, sent by the terminal window's
 * own top-level frame on an allowed origin. Argument schemas are checked by dispatchHostCall.
 */
export function checkIpcCall(
  channel: string,
  event: InvokeEventLike,
  policy: IpcPolicy,
): IpcVerdict {
  if (
    !channel.startsWith(IPC_CHANNEL_PREFIX) ||
    !isHostMethod(channel.slice(IPC_CHANNEL_PREFIX.length))
  ) {
    return { ok: false, reason: `unknown channel ${channel}` };
  }
  const frame = event.senderFrame;
  if (!frame) return { ok: false, reason: 'sender frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'calls from sub-frames are refused' };
  if (event.sender.id !== policy.webContentsId())
    return { ok: false, reason: 'sender is not the terminal window' };
  let origin: string;
  try {
    const u = new URL(frame.url);
    origin = u.protocol === 'app:' ? `app://${u.host}` : u.origin;
  } catch {
    return { ok: false, reason: 'sender frame has no URL' };
  }
  if (!policy.allowedOrigins.includes(origin))
    return { ok: false, reason: `origin ${origin} is not the terminal` };
  return { ok: true };
}

/** Registers one handler per host method; each call is checked, then dispatched. */
export function registerHostIpc(
  ipcMain: IpcMainLike,
  service: TerminalHostService,
  policy: IpcPolicy,
): () => void {
  for (const method of HOST_METHOD_NAMES) {
    const channel = ipcChannel(method);
    ipcMain.handle(channel, async (event, ...args) => {
      const verdict = checkIpcCall(channel, event, policy);
      if (!verdict.ok) {
        return {
          ok: false,
          error: { code: 'NOT_ALLOWED', message: `IPC refused: ${verdict.reason}` },
        };
      }
      if (args.length > 1) {
        return {
          ok: false,
          error: { code: 'BAD_REQUEST', message: `${method} takes at most one argument` },
        };
      }
      return dispatchHostCall(service, method, args[0]);
    });
  }
  return () => HOST_METHOD_NAMES.forEach((m) => ipcMain.removeHandler(ipcChannel(m)));
}
