import { readU16, readU32, writeU16, writeU32 } from './bytes';
import {
  CONT_DATA,
  CONT_HEADER,
  INIT_DATA,
  INIT_HEADER,
  MAX_PAYLOAD,
  MAX_SEQ,
  MSG_TIMEOUT_MS,
  REPORT_SIZE,
} from './constants';

/**
 * palm-hid/1 framing (spec §2): one init packet and up to 128 numbered continuations per message,
 * assembled per channel. Pure and clock-free: callers pass timestamps in, so the same code runs
 * in the driver, the emulator, palmctl decode over a log, and the fuzzer.
 */

export interface Message {
  readonly cid: number;
  readonly cmd: number;
  readonly payload: Uint8Array;
}

/** Split one message into 64-byte reports (no report-ID byte). Padding is zero. */
export function frameMessage(cid: number, cmd: number, payload: Uint8Array): Uint8Array[] {
  if (!Number.isInteger(cid) || cid < 0 || cid > 0xffffffff)
    throw new RangeError(`CID must be a 32-bit unsigned integer (got ${cid})`);
  if (!Number.isInteger(cmd) || cmd < 0x80 || cmd > 0xff)
    throw new RangeError(`CMD must have bit 7 set (got ${cmd})`);
  if (payload.length > MAX_PAYLOAD)
    throw new RangeError(`payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}`);
  const reports: Uint8Array[] = [];
  const first = new Uint8Array(REPORT_SIZE);
  writeU32(first, 0, cid);
  first[4] = cmd;
  writeU16(first, 5, payload.length);
  first.set(payload.subarray(0, INIT_DATA), INIT_HEADER);
  reports.push(first);
  for (let off = INIT_DATA, seq = 0; off < payload.length; off += CONT_DATA, seq++) {
    const r = new Uint8Array(REPORT_SIZE);
    writeU32(r, 0, cid);
    r[4] = seq;
    r.set(payload.subarray(off, off + CONT_DATA), CONT_HEADER);
    reports.push(r);
  }
  return reports;
}

/** node-hid's write() wants the report-ID byte 0x00 in front: 65 bytes (spec §1). */
export function withReportId(report: Uint8Array): Uint8Array {
  const out = new Uint8Array(report.length + 1);
  out.set(report, 1);
  return out;
}

/** The receiver-side errors of §2, plus MALFORMED_REPORT for a report of the wrong length. */
export type ReceiveErrorCode = 'INVALID_SEQ' | 'MSG_TIMEOUT' | 'INVALID_LEN' | 'MALFORMED_REPORT';

export type ReceiveEvent =
  | {
      readonly type: 'message';
      readonly cid: number;
      readonly cmd: number;
      readonly payload: Uint8Array;
    }
  | { readonly type: 'error'; readonly cid: number | null; readonly code: ReceiveErrorCode };

export interface AssemblerStats {
  reports: number;
  messages: number;
  malformed: number;
  invalidSeq: number;
  invalidLen: number;
  timeouts: number;
  /** Continuations with no message in progress on their channel (ignored, §2). */
  orphans: number;
  /** Init packets that discarded a partial message on their channel (§2). */
  restarts: number;
  /** Partial messages dropped because too many channels were mid-message at once. */
  evicted: number;
}

interface Partial {
  readonly cmd: number;
  readonly buf: Uint8Array; // exactly BCNT bytes, so never more than MAX_PAYLOAD
  filled: number;
  nextSeq: number;
  readonly startedAt: number;
}

export interface AssemblerOptions {
  /** Spec §2: 500 ms. Tests of the driver may shorten it. */
  timeoutMs?: number;
  /**
   * How many channels may be mid-message at once. The spec puts no bound on it; a receiver
   * fed random CIDs must, or memory grows without limit. The oldest partial message goes first.
   */
  maxChannels?: number;
}

/**
 * Assembles reports into messages, one in progress per channel. `push` never throws on any
 * input: every problem becomes a ReceiveEvent of type 'error' (or is ignored where §2 says so).
 */
export class ReportAssembler {
  readonly stats: AssemblerStats = {
    reports: 0,
    messages: 0,
    malformed: 0,
    invalidSeq: 0,
    invalidLen: 0,
    timeouts: 0,
    orphans: 0,
    restarts: 0,
    evicted: 0,
  };
  private readonly partials = new Map<number, Partial>();
  private readonly timeoutMs: number;
  private readonly maxChannels: number;

  constructor(o: AssemblerOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? MSG_TIMEOUT_MS;
    this.maxChannels = o.maxChannels ?? 64;
  }

  /**
   * Feed one input report as read from the device: 64 bytes, or 65 with a leading report-ID 0x00
   * (stripped). `nowMs` is the arrival time; messages older than the timeout expire first.
   */
  push(report: Uint8Array, nowMs: number): ReceiveEvent[] {
    this.stats.reports++;
    const out = this.expire(nowMs);
    let r = report;
    if (r.length === REPORT_SIZE + 1 && r[0] === 0) r = r.subarray(1);
    if (r.length !== REPORT_SIZE) {
      this.stats.malformed++;
      out.push({ type: 'error', cid: null, code: 'MALFORMED_REPORT' });
      return out;
    }
    const cid = readU32(r, 0);
    const b4 = r[4]!;
    if (b4 & 0x80) this.onInit(cid, b4, r, nowMs, out);
    else this.onContinuation(cid, b4, r, out);
    return out;
  }

  /** Discard every message not complete within the timeout; call from a timer too. */
  expire(nowMs: number): ReceiveEvent[] {
    const out: ReceiveEvent[] = [];
    if (this.partials.size === 0) return out;
    const late = [...this.partials].filter(([, p]) => nowMs - p.startedAt > this.timeoutMs);
    late.sort((a, b) => a[1].startedAt - b[1].startedAt);
    for (const [cid] of late) {
      this.partials.delete(cid);
      this.stats.timeouts++;
      out.push({ type: 'error', cid, code: 'MSG_TIMEOUT' });
    }
    return out;
  }

  /** The earliest time at which a partial message will expire, or null if none is pending. */
  nextDeadline(): number | null {
    let d: number | null = null;
    for (const p of this.partials.values()) {
      const t = p.startedAt + this.timeoutMs;
      if (d === null || t < d) d = t;
    }
    return d;
  }

  /** Bytes buffered for a channel's partial message (0 if none). */
  bufferedBytes(cid: number): number {
    return this.partials.get(cid)?.buf.length ?? 0;
  }

  /** The largest partial message held on any channel (the fuzzer's memory bound). */
  largestBuffer(): number {
    let m = 0;
    for (const p of this.partials.values()) m = Math.max(m, p.buf.length);
    return m;
  }

  get pendingChannels(): number {
    return this.partials.size;
  }

  /** Forget every partial message (after a transport reset). */
  reset(): void {
    this.partials.clear();
  }

  private onInit(
    cid: number,
    cmd: number,
    r: Uint8Array,
    nowMs: number,
    out: ReceiveEvent[],
  ): void {
    if (this.partials.delete(cid)) this.stats.restarts++;
    const bcnt = readU16(r, 5);
    if (bcnt > MAX_PAYLOAD) {
      this.stats.invalidLen++;
      out.push({ type: 'error', cid, code: 'INVALID_LEN' });
      return;
    }
    if (bcnt <= INIT_DATA) {
      this.deliver(cid, cmd, r.slice(INIT_HEADER, INIT_HEADER + bcnt), out);
      return;
    }
    const buf = new Uint8Array(bcnt);
    buf.set(r.subarray(INIT_HEADER, INIT_HEADER + INIT_DATA));
    if (this.partials.size >= this.maxChannels) this.evictOldest();
    this.partials.set(cid, { cmd, buf, filled: INIT_DATA, nextSeq: 0, startedAt: nowMs });
  }

  private onContinuation(cid: number, seq: number, r: Uint8Array, out: ReceiveEvent[]): void {
    const p = this.partials.get(cid);
    if (!p) {
      this.stats.orphans++;
      return;
    }
    if (seq !== p.nextSeq || seq > MAX_SEQ) {
      this.partials.delete(cid);
      this.stats.invalidSeq++;
      out.push({ type: 'error', cid, code: 'INVALID_SEQ' });
      return;
    }
    const n = Math.min(CONT_DATA, p.buf.length - p.filled);
    p.buf.set(r.subarray(CONT_HEADER, CONT_HEADER + n), p.filled);
    p.filled += n;
    p.nextSeq++;
    if (p.filled === p.buf.length) {
      this.partials.delete(cid);
      this.deliver(cid, p.cmd, p.buf, out);
    }
  }

  private deliver(cid: number, cmd: number, payload: Uint8Array, out: ReceiveEvent[]): void {
    this.stats.messages++;
    out.push({ type: 'message', cid, cmd, payload });
  }

  private evictOldest(): void {
    let oldest: number | null = null;
    let at = Infinity;
    for (const [cid, p] of this.partials) {
      if (p.startedAt < at) {
        at = p.startedAt;
        oldest = cid;
      }
    }
    if (oldest !== null) {
      this.partials.delete(oldest);
      this.stats.evicted++;
    }
  }
}
