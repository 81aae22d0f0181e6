import { describe, expect, it } from 'vitest';
import {
  devToolsAllowed,
  lockDownContents,
  lockDownSession,
  terminalWebPreferences,
  type SessionLike,
  type WebContentsLike,
} from './lockdown';

/** Electron's session, as a recorder of the handlers main installs. */
function fakeSession() {
  const h: {
    request?: Parameters<SessionLike['setPermissionRequestHandler']>[0];
    check?: Parameters<SessionLike['setPermissionCheckHandler']>[0];
    device?: Parameters<SessionLike['setDevicePermissionHandler']>[0];
  } = {};
  const s: SessionLike = {
    setPermissionRequestHandler: (f) => void (h.request = f),
    setPermissionCheckHandler: (f) => void (h.check = f),
    setDevicePermissionHandler: (f) => void (h.device = f),
  };
  return { s, h };
}

function fakeContents() {
  const listeners = new Map<string, (...a: never[]) => void>();
  let openHandler: (() => { action: string }) | null = null;
  let devToolsClosed = 0;
  const wc = {
    on: (event: string, l: (...a: never[]) => void) => void listeners.set(event, l),
    setWindowOpenHandler: (f: () => { action: 'deny' }) => void (openHandler = f),
    closeDevTools: () => void devToolsClosed++,
  } as unknown as WebContentsLike;
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    const l = listeners.get(event) as ((...a: unknown[]) => void) | undefined;
    l?.({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  };
  return {
    wc,
    fire,
    has: (e: string) => listeners.has(e),
    open: () => openHandler?.(),
    devToolsClosed: () => devToolsClosed,
  };
}

describe('Electron renderer lockdown', () => {
  it('DevTools only in the dev-server build, and never in kiosk mode', () => {
    expect(devToolsAllowed({ devBuild: true, kiosk: false })).toBe(true);
    expect(devToolsAllowed({ devBuild: true, kiosk: true })).toBe(false);
    expect(devToolsAllowed({ devBuild: false, kiosk: false })).toBe(false);
    expect(devToolsAllowed({ devBuild: false, kiosk: true })).toBe(false);
    expect(terminalWebPreferences({ preload: '/p.cjs', devTools: false })).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('denies every permission request and check, and every device, by default', () => {
    const { s, h } = fakeSession();
    lockDownSession(s);
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'clipboard-read']) {
      let granted: boolean | null = null;
      h.request!({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(h.check!({}, permission), permission).toBe(false);
    }
    expect(h.device!({ deviceType: 'hid', origin: 'app://terminal' })).toBe(false);
  });

  it('refuses navigation away, redirects, webviews and new windows', () => {
    const c = fakeContents();
    lockDownContents(c.wc, { home: 'app://terminal/index.html', devTools: true });
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'app://terminal/index.html')).toBe(false);
    expect(c.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.open()).toEqual({ action: 'deny' });
    expect(c.has('devtools-opened')).toBe(false); // the dev build keeps the DevTools it opens
  });

  it('shuts DevTools that open where they are not allowed', () => {
    const c = fakeContents();
    lockDownContents(c.wc, { home: 'app://terminal/index.html', devTools: false });
    c.fire('devtools-opened');
    expect(c.devToolsClosed()).toBe(1);
  });
});
