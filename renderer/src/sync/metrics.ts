/**
 * Queue depth and sync latency over the last 24 hours, for the manager's chart. Five-minute
 * buckets (288 a day) in one settings row, merged in the same transaction that acknowledges a
 * push, so recording them costs no extra write.
 */
export const METRICS_KEY = 'sync-metrics';
export const BUCKET_MS = 5 * 60_000;
export const WINDOW_MS = 24 * 60 * 60_000;

export interface MetricsBucket {
  readonly t: number; // bucket start, ms since 1970
  readonly maxDepth: number;
  readonly pushes: number;
  readonly latencySumMs: number;
  readonly maxLatencyMs: number;
}

export interface SyncMetrics {
  readonly buckets: readonly MetricsBucket[];
}

export function readMetrics(value: unknown): SyncMetrics {
  const v = value as Partial<SyncMetrics> | undefined;
  return { buckets: Array.isArray(v?.buckets) ? v.buckets : [] };
}

/** Adds one observation: the queue depth seen, and a push's round trip when there was one. */
export function recordSample(
  m: SyncMetrics,
  at: number,
  depth: number,
  latencyMs: number | null,
): SyncMetrics {
  const t = at - (at % BUCKET_MS);
  const kept = m.buckets.filter((b) => b.t > at - WINDOW_MS && b.t !== t);
  const prev = m.buckets.find((b) => b.t === t);
  const bucket: MetricsBucket = {
    t,
    maxDepth: Math.max(prev?.maxDepth ?? 0, depth),
    pushes: (prev?.pushes ?? 0) + (latencyMs === null ? 0 : 1),
    latencySumMs: (prev?.latencySumMs ?? 0) + (latencyMs ?? 0),
    maxLatencyMs: Math.max(prev?.maxLatencyMs ?? 0, latencyMs ?? 0),
  };
  return { buckets: [...kept, bucket].sort((a, b) => a.t - b.t) };
}

export interface ChartSeries {
  readonly labels: number[]; // bucket starts
  readonly depth: (number | null)[];
  readonly meanLatencyMs: (number | null)[];
}

/** The last 24 h as 288 points; buckets with no observation are gaps (null), not zeros. */
export function chartSeries(m: SyncMetrics, now: number): ChartSeries {
  const end = now - (now % BUCKET_MS);
  const byT = new Map(m.buckets.map((b) => [b.t, b]));
  const labels: number[] = [];
  const depth: (number | null)[] = [];
  const meanLatencyMs: (number | null)[] = [];
  for (let t = end - WINDOW_MS + BUCKET_MS; t <= end; t += BUCKET_MS) {
    const b = byT.get(t);
    labels.push(t);
    depth.push(b ? b.maxDepth : null);
    meanLatencyMs.push(b && b.pushes > 0 ? Math.round(b.latencySumMs / b.pushes) : null);
  }
  return { labels, depth, meanLatencyMs };
}
