import { contextBridge, ipcRenderer } from 'electron';
import { HostError, type HostEvent } from '../../common/host/contract';
import type { HostMethod } from '../../common/host/methods';
import { createHostProxy } from '../../common/host/proxy';
import { IPC_EVENT_CHANNEL, ipcChannel, type RpcErrorBody } from '../../common/host/rpc';

// The preload exposes the terminal-host contract and nothing else: no ipcRenderer, no Node.
type Reply = { ok: true; result: unknown } | { ok: false; error: RpcErrorBody };

const call = async (method: HostMethod, args?: unknown): Promise<unknown> => {
  const reply = (await ipcRenderer.invoke(ipcChannel(method), args)) as Reply;
  if (reply.ok) return reply.result;
  throw new HostError(reply.error.code, reply.error.message);
};

const host = createHostProxy(call, (listener) => {
  const handler = (_e: unknown, event: HostEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  };
});

contextBridge.exposeInMainWorld('terminalHost', host);
