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

/**
 * Close codes the browser host ends one connection with (RFC 6455 §7.4.1); the host itself keeps
 * serving. 1002, 1007 and 1009 are sent by the `ws` library as it parses the frame.
 */
export const HOST_WS_CLOSE = {
  protocolError: 1002, // a frame that breaks RFC 6455 (unmasked, bad opcode, reserved bits)
  unsupportedData: 1003, // a binary frame: the protocol is JSON text only
  invalidPayload: 1007, // text that is not valid UTF-8
  policy: 1008, // text that is not a request envelope {"id": integer, "method": string, …}
  tooBig: 1009, // a message over the host's size limit
} as const;

/** The IPC channel names Electron uses: one per method, plus one for events. */
export const IPC_CHANNEL_PREFIX = 'host:';
export const IPC_EVENT_CHANNEL = 'host-event';
export function ipcChannel(method: HostMethod): string {
  return IPC_CHANNEL_PREFIX + method;
}
