/**
 * Kiosk mode for the Electron shell (KIOSK=1): the window a shopper stands in front of. Kept apart
 * from index.ts so it runs, and is tested, in plain Node with fakes of the few Electron methods
 * it uses. What the OS itself owns (Ctrl+Alt+Del, Alt+Tab, the power button) is the kiosk
 * account's job (assigned access, a kiosk session), not the app's: docs/security.md.
 */

/** BrowserWindow options: a full screen without a frame, a menu, or a way to close or shrink it. */
export function kioskWindowOptions(kiosk: boolean) {
  return kiosk
    ? ({
        kiosk: true,
        fullscreen: true,
        frame: false,
        autoHideMenuBar: true,
        closable: false,
        minimizable: false,
        maximizable: false,
        resizable: false,
        movable: false,
      } as const)
    : ({ kiosk: false, autoHideMenuBar: true } as const);
}

/** The fields of Electron's `Input` (before-input-event) a shortcut is told by. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly meta: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
}

/** Keys that act with Ctrl (Cmd on macOS): close, quit, reload, print, zoom, find, new window. */
const WITH_MOD = new Set([...'wqrpntosfhmu', '+', '=', '-', '0']);
/** DevTools and view-source, with Ctrl+Shift (Cmd+Alt on macOS). */
const DEVTOOLS = new Set(['i', 'j', 'c', 'u']);

/**
 * Whether a key press is one of the ways out of, or into the insides of, a browser window: those
 * the default menu and Chromium bind (close, quit, reload, DevTools, full screen, zoom, print,
 * history). The app's own keys (F1–F10, Escape, Enter, digits) pass. Only key-downs are judged.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (key === 'F4' && input.alt) return true; // close window (Windows, many Linux desktops)
  if (key === 'F5' || key === 'F11' || key === 'F12') return true; // reload, full screen, DevTools
  if (key === 'BrowserBack' || key === 'BrowserForward' || key === 'BrowserRefresh') return true;
  if (input.alt && (key === 'ArrowLeft' || key === 'ArrowRight')) return true; // history
  const mod = input.control || input.meta;
  if (!mod) return false;
  if ((input.shift || input.alt) && DEVTOOLS.has(key)) return true;
  return WITH_MOD.has(key);
}

/** The parts of webContents kiosk mode hooks (so tests can fake them). */
export interface KioskContentsLike {
  on(
    event: 'before-input-event',
    listener: (e: { preventDefault(): void }, input: KeyInput) => void,
  ): void;
  on(
    event: 'render-process-gone',
    listener: (e: unknown, details: { reason: string; exitCode: number }) => void,
  ): void;
  on(event: 'unresponsive' | 'responsive', listener: () => void): void;
  reload(): void;
  forcefullyCrashRenderer(): void;
  isDestroyed(): boolean;
}

export interface KioskRecoveryOptions {
  /** Called for every page loss, to log it and show it on the lane light. */
  readonly onPageGone: (details: { reason: string; exitCode: number; reloadInMs: number }) => void;
  /** Called once the page is back (its first load after a loss). */
  readonly onRecovered?: () => void;
  readonly setTimer?: (f: () => void, ms: number) => unknown;
  readonly clearTimer?: (t: unknown) => void;
  readonly now?: () => number;
  /** A page that stops answering for this long is crashed on purpose, then reloaded. */
  readonly unresponsiveMs?: number;
}

/** Crashes within this window count as a crash loop and back off. */
export const CRASH_WINDOW_MS = 60_000;
/** The longest wait between reloads of a crashing page. */
export const MAX_RELOAD_DELAY_MS = 30_000;

/**
 * The reload delay after a page loss: at once for the first in a minute (the shopper's sale comes
 * back from its draft), then doubling from 1 s up to 30 s, so a page that crashes on load does not
 * spin the CPU while the attendant (called by the flashing light) comes over.
 */
export function reloadDelayMs(recentCrashes: number): number {
  if (recentCrashes <= 1) return 0;
  return Math.min(MAX_RELOAD_DELAY_MS, 1000 * 2 ** (recentCrashes - 2));
}

/** Kiosk mode: the window's shortcuts do nothing (before-input-event). */
export function blockKioskShortcuts(wc: Pick<KioskContentsLike, 'on'>): void {
  wc.on('before-input-event', (e, input) => {
    if (isBlockedShortcut(input)) e.preventDefault();
  });
}

/**
 * Reloads the page when its renderer is gone (a crash, an OOM kill; not a clean exit), and
 * crashes-then-reloads a page that hangs: every lane, attended or kiosk, comes back into the sale
 * its draft holds. Returns a function that tells it the page loaded again (wire it to
 * `did-finish-load`).
 */
export function recoverLostPage(wc: KioskContentsLike, o: KioskRecoveryOptions): () => void {
  const setTimer = o.setTimer ?? ((f, ms) => setTimeout(f, ms));
  const clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const now = o.now ?? Date.now;
  const unresponsiveMs = o.unresponsiveMs ?? 10_000;
  let crashes: number[] = [];
  let hang: unknown = null;
  let lost = false;

  wc.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit') return;
    const t = now();
    crashes = [...crashes.filter((c) => t - c < CRASH_WINDOW_MS), t];
    const reloadInMs = reloadDelayMs(crashes.length);
    lost = true;
    o.onPageGone({ ...details, reloadInMs });
    setTimer(() => {
      if (!wc.isDestroyed()) wc.reload();
    }, reloadInMs);
  });
  wc.on('unresponsive', () => {
    if (hang !== null) return;
    hang = setTimer(() => {
      hang = null;
      // The renderer goes; render-process-gone reloads it.
      if (!wc.isDestroyed()) wc.forcefullyCrashRenderer();
    }, unresponsiveMs);
  });
  wc.on('responsive', () => {
    if (hang === null) return;
    clearTimer(hang);
    hang = null;
  });
  return () => {
    if (!lost) return;
    lost = false;
    o.onRecovered?.();
  };
}

/** The parts of a BrowserWindow kiosk mode needs to keep it open. */
export interface KioskWindowLike {
  on(event: 'close', listener: (e: { preventDefault(): void }) => void): void;
}

/**
 * A kiosk window does not close on its own account (a shortcut the OS forwards, a stray close
 * request): only the app quitting (the service manager's stop, a technician's `app.quit`) does.
 */
export function keepKioskWindowOpen(win: KioskWindowLike, quitting: () => boolean): void {
  win.on('close', (e) => {
    if (!quitting()) e.preventDefault();
  });
}
