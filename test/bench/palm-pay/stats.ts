/** The page's marks for one palm payment (ms on its performance timeline). */
export interface PaymentMarks {
  readonly presented: number;
  readonly captured: number;
  readonly matchStart: number;
  readonly matched: number;
  readonly authorizeStart: number;
  readonly authorized: number;
  readonly commitStart: number;
  readonly committed: number;
  readonly paid: number;
}

export interface Row {
  readonly mode: string;
  readonly n: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly partsMs?: Readonly<Record<string, number>>;
  readonly skipped?: number;
}

/** Nearest-rank percentile of a sample. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * Rows for one mode: the scanner's last report → paid (with its parts' p50s and the whole ÷
 * the sum of the parts, per payment, at p50), hover → paid, and the matcher search and the sale
 * commit on their own.
 */
export function summarise(mode: string, marks: readonly PaymentMarks[], skipped: number): Row[] {
  const whole = marks.map((m) => m.paid - m.captured);
  const part = {
    capture: marks.map((m) => m.captured - m.presented),
    match: marks.map((m) => m.matched - m.matchStart),
    authorize: marks.map((m) => m.authorized - m.authorizeStart),
    commit: marks.map((m) => m.committed - m.commitStart),
  };
  // Between the parts: the checkout machine and React getting from one step to the next, and
  // from the commit to the painted receipt (where the whole can exceed the sum of the parts).
  const gap = {
    toMatch: marks.map((m) => m.matchStart - m.captured),
    toAuthorize: marks.map((m) => m.authorizeStart - m.matched),
    toCommit: marks.map((m) => m.commitStart - m.authorized),
    toPaint: marks.map((m) => m.paid - m.committed),
  };
  const ratio = marks.map(
    (m, i) => whole[i]! / (part.match[i]! + part.authorize[i]! + part.commit[i]!),
  );
  const row = (name: string, xs: number[], extra: Partial<Row> = {}): Row => ({
    mode: name,
    n: xs.length,
    p50Ms: round(percentile(xs, 50)),
    p95Ms: round(percentile(xs, 95)),
    ...extra,
  });
  return [
    row(mode, whole, {
      partsMs: {
        capture: round(percentile(part.capture, 50)),
        match: round(percentile(part.match, 50)),
        authorize: round(percentile(part.authorize, 50)),
        commit: round(percentile(part.commit, 50)),
        wholeOverParts: Math.round(percentile(ratio, 50) * 100) / 100,
        ...Object.fromEntries(
          Object.entries(gap).map(([k, xs]) => [k, round(percentile(xs, 50))] as const),
        ),
        // The p95 of the two parts that vary most, to see what makes a slow payment slow.
        authorizeP95: round(percentile(part.authorize, 95)),
        commitP95: round(percentile(part.commit, 95)),
        toPaintP95: round(percentile(gap.toPaint, 95)),
      },
      skipped,
    }),
    row(
      `${mode}-hover-to-paid`,
      marks.map((m) => m.paid - m.presented),
    ),
    row(`${mode}-match`, part.match),
    row(`${mode}-commit`, part.commit),
  ];
}
