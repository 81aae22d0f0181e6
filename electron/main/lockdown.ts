/**
 * The Electron renderer's lockdown, kept apart from index.ts so it runs (and is tested) in plain
 * Node with fakes: Electron's own objects are seen only through the few methods used here.
 */

/** DevTools exist only in the dev-server build, and never in kiosk mode. */
export function devToolsAllowed(o: { devBuild: boolean; kiosk: boolean }): boolean {
  return o.devBuild && !o.kiosk;
}

/** The terminal window's webPreferences: no Node in the page, sandboxed, isolated. */
export function terminalWebPreferences(o: { preload: string; devTools: boolean }) {
  return {
    preload: o.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools: o.devTools,
  } as const;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

/**
 * Every permission is denied, asked (request) or merely checked (check: what the page's
 * `navigator.permissions.query` and many APIs consult without prompting), and so is every device
 * (WebHID, WebUSB, serial): the page reaches hardware only through the host contract.
 */
export function lockDownSession(s: SessionLike): void {
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
}

export interface WebContentsLike {
  on(event: 'will-navigate', listener: (e: { preventDefault(): void }, url: string) => void): void;
  on(
    event: 'will-redirect' | 'will-attach-webview',
    listener: (e: { preventDefault(): void }) => void,
  ): void;
  on(event: 'devtools-opened', listener: () => void): void;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
  closeDevTools(): void;
}

/**
 * The terminal shows one page, always: navigation away, redirects, new windows and webviews are
 * refused; and where DevTools are not allowed, any that open (a shortcut, a debugger) are shut.
 */
export function lockDownContents(
  wc: WebContentsLike,
  o: { home: string; devTools: boolean },
): void {
  wc.on('will-navigate', (e, url) => {
    if (url !== o.home) e.preventDefault();
  });
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (!o.devTools) wc.on('devtools-opened', () => wc.closeDevTools());
}
