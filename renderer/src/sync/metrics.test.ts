import { describe, expect, it } from 'vitest';
import { BUCKET_MS, WINDOW_MS, chartSeries, recordSample, type SyncMetrics } from './metrics';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('sync metrics', () => {
  it('merges samples into five-minute buckets: max depth, mean latency', () => {
    let m: SyncMetrics = { buckets: [] };
    m = recordSample(m, T0 + 1_000, 10, 100);
    m = recordSample(m, T0 + 60_000, 4, 300);
    m = recordSample(m, T0 + 120_000, 12, null); // idle observation: depth only
    expect(m.buckets).toEqual([
      { t: T0, maxDepth: 12, pushes: 2, latencySumMs: 400, maxLatencyMs: 300 },
    ]);
    const s = chartSeries(m, T0 + 2 * BUCKET_MS);
    expect(s.labels).toHaveLength(WINDOW_MS / BUCKET_MS);
    expect(s.depth.at(-3)).toBe(12);
    expect(s.meanLatencyMs.at(-3)).toBe(200);
    expect(s.depth.at(-1)).toBeNull(); // no observation: a gap, not a zero
  });

  it('forgets buckets older than 24 hours', () => {
    let m: SyncMetrics = { buckets: [] };
    m = recordSample(m, T0, 5, 50);
    m = recordSample(m, T0 + WINDOW_MS + BUCKET_MS, 1, 10);
    expect(m.buckets.map((b) => b.t)).toEqual([T0 + WINDOW_MS + BUCKET_MS]);
  });
});
