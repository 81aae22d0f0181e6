import { describe, expect, it } from 'vitest';
import {
  blockKioskShortcuts,
  isBlockedShortcut,
  keepKioskWindowOpen,
  kioskWindowOptions,
  recoverLostPage,
  reloadDelayMs,
  type KeyInput,
  type KioskContentsLike,
} from './kiosk-mode';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key: k,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

/** webContents as a recorder: listeners by event, reloads, crashes, and a manual clock. */
function fakeContents() {
  const listeners = new Map<string, (...a: never[]) => void>();
  const timers: { at: number; f: () => void; id: number }[] = [];
  let clock = 0;
  let nextId = 1;
  const calls = { reloads: 0, crashes: 0 };
  const wc = {
    on: (event: string, l: (...a: never[]) => void) => void listeners.set(event, l),
    reload: () => void calls.reloads++,
    forcefullyCrashRenderer: () => void calls.crashes++,
    isDestroyed: () => false,
  } as unknown as KioskContentsLike;
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    const l = listeners.get(event) as ((...a: unknown[]) => void) | undefined;
    if (!l) throw new Error(`no listener for ${event}`);
    l({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  };
  const fireBare = (event: string) => (listeners.get(event) as () => void)();
  const advance = (ms: number) => {
    clock += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at)) {
      if (t.at > clock) continue;
      timers.splice(timers.indexOf(t), 1);
      t.f();
    }
  };
  const timerOpts = {
    now: () => clock,
    setTimer: (f: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: clock + ms, f, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  return { wc, fire, fireBare, advance, calls, timerOpts };
}

describe('kiosk window', () => {
  it('is full screen with no frame, and cannot be closed, minimised or resized by the shopper', () => {
    const o = kioskWindowOptions(true);
    expect(o).toMatchObject({
      kiosk: true,
      fullscreen: true,
      frame: false,
      closable: false,
      minimizable: false,
      resizable: false,
    });
    expect(kioskWindowOptions(false)).toEqual({ kiosk: false, autoHideMenuBar: true });
  });

  it('refuses a close request unless the app is quitting', () => {
    let listener: ((e: { preventDefault(): void }) => void) | null = null;
    let quitting = false;
    keepKioskWindowOpen({ on: (_e, l) => void (listener = l) }, () => quitting);
    let prevented = false;
    listener!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    quitting = true;
    prevented = false;
    listener!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
  });
});

describe('kiosk shortcuts', () => {
  it.each([
    ['Alt+F4', key('F4', { alt: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+Q', key('q', { control: true })],
    ['Cmd+Q', key('q', { meta: true })],
    ['Ctrl+R', key('r', { control: true })],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
    ['F5', key('F5')],
    ['F11', key('F11')],
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Cmd+Alt+I', key('i', { meta: true, alt: true })],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
    ['Ctrl+U', key('u', { control: true })],
    ['Ctrl+P', key('p', { control: true })],
    ['Ctrl+=', key('=', { control: true })],
    ['Ctrl+-', key('-', { control: true })],
    ['Alt+ArrowLeft', key('ArrowLeft', { alt: true })],
    ['Cmd+H', key('h', { meta: true })],
  ])('%s is blocked', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['F1 (sale)', key('F1')],
    ['F8 (cancel card)', key('F8')],
    ['F10 (history)', key('F10')],
    ['Escape', key('Escape')],
    ['Enter', key('Enter')],
    ['a digit', key('7')],
    ['a letter', key('q')],
    ['Shift+A', key('A', { shift: true })],
    ['ArrowLeft', key('ArrowLeft')],
    ['Tab', key('Tab')],
  ])('%s reaches the page', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });

  it('judges key-downs only, and the hook prevents what it blocks', () => {
    expect(isBlockedShortcut({ ...key('F4', { alt: true }), type: 'keyUp' })).toBe(false);
    const f = fakeContents();
    blockKioskShortcuts(f.wc);
    expect(f.fire('before-input-event', key('w', { control: true }))).toBe(true);
    expect(f.fire('before-input-event', key('F1'))).toBe(false);
  });
});

describe('a lost page', () => {
  it('reloads at once after a crash, and the lane hears of it once per loss', () => {
    const f = fakeContents();
    const gone: { reason: string; reloadInMs: number }[] = [];
    let recoveredCount = 0;
    const loaded = recoverLostPage(f.wc, {
      ...f.timerOpts,
      onPageGone: (d) => gone.push(d),
      onRecovered: () => recoveredCount++,
    });
    loaded(); // the first load of the day is not a recovery
    expect(recoveredCount).toBe(0);
    f.fire('render-process-gone', { reason: 'crashed', exitCode: 139 });
    expect(gone).toEqual([{ reason: 'crashed', exitCode: 139, reloadInMs: 0 }]);
    f.advance(0);
    expect(f.calls.reloads).toBe(1);
    loaded();
    loaded();
    expect(recoveredCount).toBe(1);
  });

  it('a clean exit is not a loss', () => {
    const f = fakeContents();
    const gone: unknown[] = [];
    recoverLostPage(f.wc, { ...f.timerOpts, onPageGone: (d) => gone.push(d) });
    f.fire('render-process-gone', { reason: 'clean-exit', exitCode: 0 });
    f.advance(60_000);
    expect(gone).toHaveLength(0);
    expect(f.calls.reloads).toBe(0);
  });

  it('a crash loop backs off from 1 s to at most 30 s, and a quiet minute resets it', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(reloadDelayMs)).toEqual([
      0, 1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    const f = fakeContents();
    const delays: number[] = [];
    recoverLostPage(f.wc, { ...f.timerOpts, onPageGone: (d) => delays.push(d.reloadInMs) });
    for (let i = 0; i < 3; i++) {
      f.fire('render-process-gone', { reason: 'oom', exitCode: 0 });
      f.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([0, 1000, 2000]);
    expect(f.calls.reloads).toBe(3);
    f.advance(61_000);
    f.fire('render-process-gone', { reason: 'crashed', exitCode: 1 });
    expect(delays.at(-1)).toBe(0);
  });

  it('a page that hangs for 10 s is crashed on purpose (then reloaded); one that recovers is left', () => {
    const f = fakeContents();
    recoverLostPage(f.wc, { ...f.timerOpts, onPageGone: () => undefined });
    f.fireBare('unresponsive');
    f.advance(5_000);
    f.fireBare('responsive');
    f.advance(10_000);
    expect(f.calls.crashes).toBe(0);
    f.fireBare('unresponsive');
    f.fireBare('unresponsive'); // Electron repeats it; one timer only
    f.advance(10_000);
    expect(f.calls.crashes).toBe(1);
  });
});
