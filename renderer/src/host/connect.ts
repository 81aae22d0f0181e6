import type { TerminalHost } from '../../../common/host/contract';
import { HOST_WS_PATH } from '../../../common/host/rpc';
import { connectWsHost } from './ws-client';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in browser mode. */
    terminalHost?: TerminalHost;
  }
}

const TOKEN_KEY = 'palm-terminal.host-token';

/**
 * Find the terminal host: Electron's preload bridge if present, else the browser-mode WebSocket.
 * The token arrives once in the URL fragment and is kept for the tab's life (so a reload works),
 * then removed from the address bar so it is not left on screen.
 */
export function connectHost(onConnectionChange?: (connected: boolean) => void): TerminalHost {
  if (window.terminalHost) {
    onConnectionChange?.(true);
    return window.terminalHost;
  }
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${HOST_WS_PATH}`;
  return connectWsHost({ url, token, onConnectionChange });
}
