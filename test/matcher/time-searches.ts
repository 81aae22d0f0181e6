// The matcher benchmark's timing loop, shared by the Node bench (one thread and the pool), the
// Chromium page and its pool worker, so every row of docs/benchmarks.md is measured the same way.
// No Node or DOM imports: it runs in all three places.
import type { PrefilterGuard } from '../../wasm/loader/guard';
import type { Matcher } from '../../wasm/loader/kernel';
import type { MatchHit } from '../../wasm/loader/merge';

/** One timed series: ms per probe, each probe's top-k, and (guarded) how many fell back. */
export interface TimedRun {
  readonly name: string;
  readonly times: number[];
  readonly results: MatchHit[][];
  readonly fellBack?: number;
}

/** What is timed: a one-thread Matcher (see `oneThread`) or a MatcherPool. */
export interface TimedSearch {
  search(probe: Int8Array, k: number, candidates: number): MatchHit[];
  searchGuarded(
    probe: Int8Array,
    k: number,
    candidates: number,
    guard: PrefilterGuard,
  ): { hits: MatchHit[]; exact: boolean };
}

export function oneThread(m: Matcher): TimedSearch {
  return {
    search: (p, k, c) => m.search(p, k, { candidates: c }),
    searchGuarded: (p, k, c, g) => m.searchGuarded(p, k, c, g),
  };
}

/**
 * Times exact, pre-filtered and guarded top-2 searches, one probe at a time, after `warmRounds`
 * rounds of 10 probes each way (V8 tiers wasm up from its baseline compiler after a few calls; a
 * terminal is long-running, so steady state is what counts). Rows are named `${label}`,
 * `${label}+prefilter${C}` and `${label}+prefilter${C}+guard`, each followed by `suffix`.
 */
export function timeSearches(
  m: TimedSearch,
  probes: readonly Int8Array[],
  opts: {
    label: string;
    candidates: number;
    guard: PrefilterGuard;
    suffix?: string;
    warmRounds?: number;
  },
): TimedRun[] {
  const C = opts.candidates;
  const suffix = opts.suffix ?? '';
  for (let round = 0; round < (opts.warmRounds ?? 1); round++)
    for (const c of [0, C]) for (const p of probes.slice(0, 10)) m.search(p, 2, c);
  const runs: TimedRun[] = [];
  for (const [name, c] of [
    [opts.label, 0],
    [`${opts.label}+prefilter${C}`, C],
  ] as const) {
    const times: number[] = [];
    const results: MatchHit[][] = [];
    for (const p of probes) {
      const t0 = performance.now();
      results.push(m.search(p, 2, c));
      times.push(performance.now() - t0);
    }
    runs.push({ name: name + suffix, times, results });
  }
  const times: number[] = [];
  const results: MatchHit[][] = [];
  let fellBack = 0;
  for (const p of probes) {
    const t0 = performance.now();
    const r = m.searchGuarded(p, 2, C, opts.guard);
    times.push(performance.now() - t0);
    results.push(r.hits);
    if (r.exact) fellBack++;
  }
  runs.push({ name: `${opts.label}+prefilter${C}+guard${suffix}`, times, results, fellBack });
  return runs;
}
