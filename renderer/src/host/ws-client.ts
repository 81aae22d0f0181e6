import { HostError, type HostEvent, type TerminalHost } from '../../../common/host/contract';
import { hostCallTimeoutMs, type HostMethod } from '../../../common/host/methods';
import { createHostProxy } from '../../../common/host/proxy';
import {
  HOST_WS_PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  type RpcEventMessage,
  type RpcRequest,
  type RpcResponse,
} from '../../../common/host/rpc';

/** The subset of the WebSocket API this client uses (browsers' and the `ws` package's agree). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface WsHostOptions {
  url: string; // ws://127.0.0.1:PORT/host
  token: string;
  createSocket?: WebSocketFactory;
  callTimeoutMs?: number;
  /** Connection state changes, for the status bar. */
  onConnectionChange?: (connected: boolean) => void;
}

/**
 * The browser-mode transport: one WebSocket to the local host, request/response by id, events
 * pushed by the host. It reconnects with backoff when the host restarts; calls made while
 * disconnected fail at once with TRANSPORT_CLOSED rather than hanging the lane.
 */
export function connectWsHost(o: WsHostOptions): TerminalHost & { close(): void } {
  const create: WebSocketFactory =
    o.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
  const timeoutMs = o.callTimeoutMs ?? 15_000;
  const listeners = new Set<(e: HostEvent) => void>();
  const pending = new Map<
    number,
    {
      resolve: (v: unknown) => void;
      reject: (e: Error) => void;
      timer: ReturnType<typeof setTimeout>;
    }
  >();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let open = false;
  let closedByUser = false;
  let retry = 0;
  let waiters: Array<() => void> = [];

  const connect = () => {
    const ws = create(o.url, [HOST_WS_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${o.token}`]);
    socket = ws;
    ws.addEventListener('open', () => {
      open = true;
      retry = 0;
      o.onConnectionChange?.(true);
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    });
    ws.addEventListener('message', (ev) => onMessage(String(ev.data)));
    ws.addEventListener('close', () => {
      const wasOpen = open;
      open = false;
      socket = null;
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new HostError('TRANSPORT_CLOSED', 'Lost the connection to the terminal host'));
        pending.delete(id);
      }
      if (wasOpen) o.onConnectionChange?.(false);
      if (!closedByUser) {
        const delay = Math.min(5_000, 200 * 2 ** retry) * (0.5 + Math.random() / 2);
        retry += 1;
        setTimeout(connect, delay);
      }
    });
  };

  const onMessage = (text: string) => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if ('event' in msg) {
      const event = (msg as RpcEventMessage).event;
      for (const l of listeners) l(event);
      return;
    }
    const res = msg as RpcResponse;
    const p = pending.get(res.id);
    if (!p) return;
    pending.delete(res.id);
    clearTimeout(p.timer);
    if (res.ok) p.resolve(res.result);
    else p.reject(new HostError(res.error.code, res.error.message));
  };

  const whenOpen = (): Promise<void> =>
    open
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const t = setTimeout(
            () => reject(new HostError('TRANSPORT_CLOSED', 'The terminal host is not reachable')),
            3_000,
          );
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });

  const call = async (method: HostMethod, args?: unknown): Promise<unknown> => {
    await whenOpen();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          pending.delete(id);
          reject(new HostError('TIMEOUT', `The terminal host did not answer ${method} in time`));
        },
        hostCallTimeoutMs(method, args, timeoutMs),
      );
      pending.set(id, { resolve, reject, timer });
      const request: RpcRequest = { id, method, args };
      socket?.send(JSON.stringify(request));
    });
  };

  connect();
  const host = createHostProxy(call, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  return {
    ...host,
    close: () => {
      closedByUser = true;
      socket?.close();
    },
  };
}
