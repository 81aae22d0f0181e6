/**
 * Marks on the page's performance timeline for each step of a palm payment, so
 * `npm run bench:palm-pay` can read hover → paid and its parts from the real app in the same
 * run (docs/benchmarks.md). A mark is a few hundred nanoseconds and holds no payment data.
 */
export type PalmMark =
  | 'presented'
  | 'captured'
  | 'match-start'
  | 'matched'
  | 'authorize-start'
  | 'authorized'
  | 'commit-start'
  | 'committed'
  | 'paid';

export function markPalm(name: PalmMark): void {
  performance.mark(`palm:${name}`);
}

/** Around a port call: a start mark, then the end mark once it settled either way. */
export async function timedPalm<T>(start: PalmMark, end: PalmMark, run: () => Promise<T>) {
  markPalm(start);
  try {
    return await run();
  } finally {
    markPalm(end);
  }
}
