import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterPaint, holdWhile } from './render-hold';

/** A store whose `change()` notifies its listeners at once, as the checkout driver does. */
function store() {
  const listeners = new Set<() => void>();
  return {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    change: () => listeners.forEach((l) => l()),
    listeners,
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('holdWhile', () => {
  it('holds the changes of a fast stretch back and passes them on as one when it ends', () => {
    const s = store();
    const seen = vi.fn();
    let inFlight = true;
    holdWhile(s.subscribe, () => inFlight)(seen);
    s.change(); // matched → authorizing
    s.change(); // authorized → committing
    expect(seen).not.toHaveBeenCalled();
    inFlight = false;
    s.change(); // the receipt: at once
    expect(seen).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000); // the held one was that same notification
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('shows a slow stretch after the hold at the latest, then holds again', () => {
    const s = store();
    const seen = vi.fn();
    holdWhile(s.subscribe, () => true, 100)(seen);
    s.change();
    vi.advanceTimersByTime(99);
    expect(seen).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(seen).toHaveBeenCalledTimes(1);
    s.change();
    s.change();
    vi.advanceTimersByTime(100);
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it('passes everything on at once when nothing is in flight (keys, clicks, scans)', () => {
    const s = store();
    const seen = vi.fn();
    holdWhile(s.subscribe, () => false)(seen);
    s.change();
    s.change();
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it('unsubscribing drops a held notification and the store listener', () => {
    const s = store();
    const seen = vi.fn();
    const off = holdWhile(s.subscribe, () => true)(seen);
    s.change();
    off();
    vi.advanceTimersByTime(1000);
    expect(seen).not.toHaveBeenCalled();
    expect(s.listeners.size).toBe(0);
  });
});

describe('afterPaint', () => {
  /** A page's frames, run by hand. */
  function frames() {
    let queue = new Map<number, () => void>();
    let next = 1;
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => {
      queue.set(next, cb);
      return next++;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => queue.delete(id));
    return {
      frame() {
        const run = queue;
        queue = new Map();
        for (const cb of run.values()) cb();
      },
    };
  }

  it('runs in the task after the next frame, which painted what was rendered', () => {
    const f = frames();
    const painted = vi.fn();
    afterPaint(painted);
    vi.advanceTimersByTime(100);
    expect(painted).not.toHaveBeenCalled(); // no frame yet
    f.frame();
    expect(painted).not.toHaveBeenCalled(); // the frame paints after its callbacks
    vi.advanceTimersByTime(0);
    expect(painted).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled', () => {
    const f = frames();
    const painted = vi.fn();
    afterPaint(painted)();
    f.frame();
    vi.advanceTimersByTime(10);
    expect(painted).not.toHaveBeenCalled();
  });
});
