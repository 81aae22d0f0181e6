import type { HostErrorCode, HostEvent } from './contract';
import type { HostMethod } from './methods';

/** The wire shapes shared by both transports (IPC and WebSocket). */
export interface RpcRequest {
  readonly id: number;
  readonly method: HostMethod;
  readonly args?: unknown;
}

export type RpcResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: RpcErrorBody };

export interface RpcErrorBody {
  readonly code: HostErrorCode;
  readonly message: string;
}

export interface RpcEventMessage {
  readonly event: HostEvent;
}

/** Browser mode: the WebSocket path, its subprotocol, and how the launch token is presented. */
export const HOST_WS_PATH = '/host';
export const HOST_WS_PROTOCOL = 'palm-host.v1';
export const TOKEN_PROTOCOL_PREFIX = 'token.';

/** The IPC channel names Electron uses: one per method, plus one for events. */
export const IPC_CHANNEL_PREFIX = 'host:';
export const IPC_EVENT_CHANNEL = 'host-event';
export function ipcChannel(method: HostMethod): string {
  return IPC_CHANNEL_PREFIX + method;
}
