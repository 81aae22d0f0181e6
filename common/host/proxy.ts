import type { HostEvent, TerminalHost } from './contract';
import { HOST_METHOD_NAMES, type HostMethod } from './methods';

export type HostCall = (method: HostMethod, args?: unknown) => Promise<unknown>;
export type HostSubscribe = (listener: (event: HostEvent) => void) => () => void;

/**
 * Builds the TerminalHost object from a transport's `call` and `subscribe`, one function per
 * entry of HOST_METHODS (`card.begin` becomes `host.card.begin`). Both shells' client sides use
 * it, so the renderer always receives the same shape, and a method added to the table appears
 * here with nothing else to write.
 */
export function createHostProxy(call: HostCall, subscribe: HostSubscribe): TerminalHost {
  const api: Record<string, unknown> = {};
  for (const method of HOST_METHOD_NAMES) {
    const send = (args?: unknown) => call(method, args);
    const dot = method.indexOf('.');
    if (dot < 0) {
      api[method] = send;
      continue;
    }
    const group = method.slice(0, dot);
    const members = (api[group] ??= {}) as Record<string, unknown>;
    members[method.slice(dot + 1)] = send;
  }
  api['onEvent'] = (listener: (event: HostEvent) => void) => subscribe(listener);
  return api as unknown as TerminalHost;
}
