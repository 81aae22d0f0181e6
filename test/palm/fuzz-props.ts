import fc from 'fast-check';
import { toHex } from '../../common/palm-hid/bytes';
import { MAX_PAYLOAD, REPORT_SIZE } from '../../common/palm-hid/constants';
import { frameMessage, ReportAssembler, withReportId } from '../../common/palm-hid/framing';

/**
 * Property-based fuzzing of the palm-hid receiver, shared by the bounded run in `npm test`
 * (common/palm-hid/framing.fuzz.test.ts) and the long run (`npm run fuzz:palm-hid`).
 *
 * Properties, for every stream:
 *  - push() never throws;
 *  - no channel ever holds more than 7609 bytes, and the number of channels mid-message stays
 *    within the assembler's bound;
 *  - a message is delivered on a real channel only if it is exactly a message that was framed on
 *    that channel, in order (mutations drop, duplicate, reorder, truncate, pad and delay reports,
 *    and inject garbage on other channels; they never rewrite a report's bytes in place, which
 *    USB's link-layer CRC rules out and which no framing could detect).
 */

export const counters = { reports: 0, streams: 0 };

function feed(
  a: ReportAssembler,
  report: Uint8Array,
  t: number,
  onMessage: (cid: number, cmd: number, payload: Uint8Array) => void,
): void {
  counters.reports++;
  const events = a.push(report, t);
  for (const e of events) if (e.type === 'message') onMessage(e.cid, e.cmd, e.payload);
  if (a.largestBuffer() > MAX_PAYLOAD)
    throw new Error(`a channel holds ${a.largestBuffer()} bytes`);
  if (a.pendingChannels > MAX_CHANNELS)
    throw new Error(`${a.pendingChannels} channels mid-message`);
}

const MAX_CHANNELS = 8;
const REAL_CIDS = [0x0a1b2c3d, 0x00c0ffee, 0xffffffff];
const GARBAGE_CIDS = [0x11111111, 0x22222222, 0x00000000];
const CIDS_TO_WATCH = [...REAL_CIDS, ...GARBAGE_CIDS];

/** Arbitrary report bytes: mostly 64 or 65 long, biased towards our channels and headers. */
const randomReport = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 80 }) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...CIDS_TO_WATCH),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ minLength: 57, maxLength: 57 }),
        fc.boolean(),
      )
      .map(([cid, b4, bcnt, rest, prefixed]) => {
        const r = new Uint8Array(REPORT_SIZE);
        new DataView(r.buffer).setUint32(0, cid);
        r[4] = b4;
        r[5] = bcnt >> 8;
        r[6] = bcnt & 0xff;
        r.set(rest, 7);
        return prefixed ? withReportId(r) : r;
      }),
  },
);

/** Random report streams: never throw, never over 7609 bytes per channel. */
export const randomStreamProperty = fc.property(
  fc.array(fc.tuple(randomReport, fc.integer({ min: 0, max: 700 })), {
    maxLength: 300,
    size: 'max',
  }),
  (stream) => {
    counters.streams++;
    const a = new ReportAssembler({ maxChannels: MAX_CHANNELS });
    let t = 0;
    for (const [r, dt] of stream) {
      t += dt;
      feed(a, r, t, (_cid, _cmd, payload) => {
        if (payload.length > MAX_PAYLOAD) throw new Error('delivered more than 7609 bytes');
      });
    }
  },
);

interface Framed {
  cid: number;
  cmd: number;
  payload: Uint8Array;
}

const messageArb: fc.Arbitrary<Framed> = fc.record({
  cid: fc.constantFrom(...REAL_CIDS),
  cmd: fc.integer({ min: 0x80, max: 0xff }),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ minLength: 7000, maxLength: MAX_PAYLOAD }),
  ),
});

type Mutation =
  | { kind: 'drop' }
  | { kind: 'duplicate' }
  | { kind: 'swap' }
  | { kind: 'truncate'; length: number }
  | { kind: 'extend'; extra: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'garbage'; report: Uint8Array };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'drop' }),
  fc.constant<Mutation>({ kind: 'duplicate' }),
  fc.constant<Mutation>({ kind: 'swap' }),
  fc.integer({ min: 0, max: 63 }).map((length): Mutation => ({ kind: 'truncate', length })),
  fc.integer({ min: 2, max: 8 }).map((extra): Mutation => ({ kind: 'extend', extra })),
  fc.integer({ min: 1, max: 800 }).map((ms): Mutation => ({ kind: 'delay', ms })),
  fc
    .tuple(fc.constantFrom(...GARBAGE_CIDS), fc.uint8Array({ minLength: 60, maxLength: 60 }))
    .map(([cid, rest]): Mutation => {
      const r = new Uint8Array(REPORT_SIZE);
      new DataView(r.buffer).setUint32(0, cid);
      r.set(rest, 4);
      return { kind: 'garbage', report: r };
    }),
);

/** Framed messages, interleaved across channels, then mutated: only framed messages come out. */
export const mutatedStreamProperty = fc.property(
  fc.array(messageArb, { minLength: 1, maxLength: 8 }),
  fc.array(fc.tuple(fc.nat(), mutationArb), { maxLength: 12 }),
  fc.infiniteStream(fc.nat({ max: 2 })),
  fc.boolean(),
  (messages, mutations, picks, prefixed) => {
    counters.streams++;
    // Interleave: each channel's reports stay in order, channels take turns at random.
    const queues = new Map<number, { report: Uint8Array; msg: number }[]>();
    messages.forEach((m, msg) => {
      const q = queues.get(m.cid) ?? [];
      for (const r of frameMessage(m.cid, m.cmd, m.payload))
        q.push({ report: prefixed ? withReportId(r) : r, msg });
      queues.set(m.cid, q);
    });
    const stream: { report: Uint8Array; t: number }[] = [];
    const pickIt = picks[Symbol.iterator]();
    // One report per millisecond, as a full-speed interrupt endpoint delivers them. A message
    // interleaved with others can then take longer than the spec's 500 ms and is rightly dropped.
    const span = messages.map(() => ({ first: -1, last: -1 }));
    let t = 0;
    while ([...queues.values()].some((q) => q.length > 0)) {
      const live = [...queues.values()].filter((q) => q.length > 0);
      const q = live[(pickIt.next().value as number) % live.length]!;
      const { report, msg } = q.shift()!;
      t += 1;
      if (span[msg]!.first < 0) span[msg]!.first = t;
      span[msg]!.last = t;
      stream.push({ report, t });
    }
    const inTime = span.map((x) => x.last - x.first < 500);
    const mutated = mutations.length > 0;
    for (const [at, m] of mutations) {
      if (stream.length === 0) break;
      const i = at % stream.length;
      const cur = stream[i]!;
      switch (m.kind) {
        case 'drop':
          stream.splice(i, 1);
          break;
        case 'duplicate':
          stream.splice(i, 0, { ...cur });
          break;
        case 'swap':
          if (i + 1 < stream.length) [stream[i], stream[i + 1]] = [stream[i + 1]!, cur];
          break;
        case 'truncate':
          stream[i] = { ...cur, report: cur.report.slice(0, m.length) };
          break;
        case 'extend':
          stream[i] = {
            ...cur,
            report: new Uint8Array([...cur.report, ...new Uint8Array(m.extra)]),
          };
          break;
        case 'delay':
          for (let j = i; j < stream.length; j++)
            stream[j] = { ...stream[j]!, t: stream[j]!.t + m.ms };
          break;
        case 'garbage':
          stream.splice(i, 0, { report: m.report, t: cur.t });
          break;
      }
    }
    // Expected, per channel, in framing order.
    const expected = new Map<number, string[]>();
    for (const m of messages)
      expected.set(m.cid, [...(expected.get(m.cid) ?? []), `${m.cmd}:${toHex(m.payload)}`]);
    const got = new Map<number, string[]>();
    const a = new ReportAssembler({ maxChannels: MAX_CHANNELS });
    for (const { report, t: at } of stream) {
      feed(a, report, at, (cid, cmd, payload) => {
        if (!REAL_CIDS.includes(cid)) return; // garbage may frame its own messages
        got.set(cid, [...(got.get(cid) ?? []), `${cmd}:${toHex(payload)}`]);
      });
    }
    for (const [cid, list] of got) {
      const want = expected.get(cid) ?? [];
      // Delivered messages must be a subsequence of the framed ones (drops and aborts may remove
      // some; a duplicated whole single-report message may repeat; nothing else may appear).
      let j = 0;
      for (const g of list) {
        while (j < want.length && want[j] !== g) j++;
        if (j === want.length && !want.includes(g))
          throw new Error(`channel ${cid} delivered a message that was never framed`);
        if (j < want.length) j++;
      }
    }
    if (!mutated) {
      // Unmutated, every message that arrived within its 500 ms window must come out, in order.
      const timely = new Map<number, string[]>();
      messages.forEach((m, i) => {
        if (inTime[i])
          timely.set(m.cid, [...(timely.get(m.cid) ?? []), `${m.cmd}:${toHex(m.payload)}`]);
      });
      // …and one that took longer must not (MSG_TIMEOUT), unless a timely twin has its bytes.
      messages.forEach((m, i) => {
        const key = `${m.cmd}:${toHex(m.payload)}`;
        if (
          !inTime[i] &&
          !(timely.get(m.cid) ?? []).includes(key) &&
          (got.get(m.cid) ?? []).includes(key)
        )
          throw new Error(`channel ${m.cid}: a message slower than 500 ms was delivered`);
      });
      for (const [cid, want] of timely) {
        const g = (got.get(cid) ?? []).filter((x) => want.includes(x));
        if (g.join('|') !== want.join('|'))
          throw new Error(`channel ${cid}: unmutated stream lost or changed messages`);
      }
    }
  },
);
