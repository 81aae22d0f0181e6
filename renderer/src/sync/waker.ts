/**
 * How the engine loop waits: a sleep that `poke()` ends early (a new sale, the network coming
 * back, "Sync now"), and the bookkeeping that lets `syncNow()` resolve after a cycle that
 * *started* after it was asked, not the one already running.
 */
export class Waker {
  private wake: (() => void) | null = null;
  private pending = false; // a poke that came while the loop was busy: skip the next sleep
  private closed = false;
  private cycle = 0;
  private waiters: { after: number; resolve: () => void }[] = [];

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.pending) {
        this.pending = false;
        return resolve();
      }
      const timer = Number.isFinite(ms) ? setTimeout(() => done(), Math.max(0, ms)) : null;
      const done = (): void => {
        if (timer !== null) clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }

  poke(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }

  /** A new cycle of the loop begins. */
  beginCycle(): void {
    this.cycle += 1;
  }

  /** Resolves once a cycle that begins after this call has ended. */
  nextCycleDone(): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ after: this.cycle, resolve }));
  }

  /** The current cycle has done what it could: release the waiters it satisfies. */
  endCycle(all = false): void {
    const ready = this.waiters.filter((w) => all || w.after < this.cycle);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  close(): void {
    this.closed = true;
    this.poke();
    this.endCycle(true);
  }
}
