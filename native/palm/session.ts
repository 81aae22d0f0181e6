import { equalBytes } from '../../common/palm-hid/bytes';
import {
  BROADCAST_CID,
  CMD,
  deviceErrorName,
  HOST_NONCE_BYTES,
  INIT_NONCE_BYTES,
  type CaptureModeName,
  type DeviceErrorName,
} from '../../common/palm-hid/constants';
import { PalmHidError } from '../../common/palm-hid/errors';
import {
  frameMessage,
  ReportAssembler,
  withReportId,
  type ReceiveEvent,
} from '../../common/palm-hid/framing';
import {
  decodeEvent,
  decodeInfoResponse,
  decodeInitResponse,
  decodeKeepalive,
  decodeStatus,
  encodeCaptureRequest,
  encodeInitRequest,
  type GuidanceEventMessage,
  type InfoResponse,
  type InitResponse,
} from '../../common/palm-hid/messages';
import { randomBytes } from '../../common/palm-hid/verify';
import { Listeners, type HidTransport } from './transport';

/**
 * One palm-hid/1 session over one open transport: the INIT handshake on the broadcast channel,
 * then requests on our own channel, one at a time, each with a timeout; and the capture flow
 * (accepted → events and keepalives → one CAPTURE_RESULT or ERROR). It does not judge captures:
 * the scanner layer verifies signature, nonce and counter.
 */

export interface SessionOptions {
  /** How long a request may wait for its answer (default 1000 ms). */
  requestTimeoutMs?: number;
  /** A pending capture with no message for this long means the device is gone (default 1000). */
  keepaliveTimeoutMs?: number;
  /** The receiver's message timeout (default 500 ms, spec §2). */
  messageTimeoutMs?: number;
  now?: () => number;
}

export interface CaptureProgress {
  onGuidance?(e: GuidanceEventMessage): void;
  onKeepalive?(status: 'waiting' | 'processing'): void;
}

export interface SessionStats {
  reports: number;
  malformed: number;
  receiveErrors: number;
  foreignChannel: number;
  unexpected: number;
}

/** Device errors that end a capture (as opposed to refusing a request). */
const CAPTURE_ENDING: ReadonlySet<DeviceErrorName> = new Set([
  'CAPTURE_TIMEOUT',
  'CANCELLED',
  'LIVENESS_FAILED',
  'QUALITY_TOO_LOW',
  'SENSOR_FAULT',
]);

interface PendingRequest {
  readonly cmd: number;
  readonly resolve: (p: Uint8Array) => void;
  readonly reject: (e: Error) => void;
  readonly cid: number;
  timer: ReturnType<typeof setTimeout>;
  readonly timeoutMs: number;
  /** INIT only: the nonce its answer must echo. */
  readonly expectNonce?: Uint8Array;
}

interface PendingCapture {
  readonly progress: CaptureProgress;
  readonly resolve: (p: Uint8Array) => void;
  readonly reject: (e: Error) => void;
  watchdog: ReturnType<typeof setTimeout> | null;
  readonly deadline: ReturnType<typeof setTimeout>;
  accepted: boolean;
}

export class PalmHidSession {
  readonly stats: SessionStats = {
    reports: 0,
    malformed: 0,
    receiveErrors: 0,
    foreignChannel: 0,
    unexpected: 0,
  };
  private cid = BROADCAST_CID;
  private initResponse: InitResponse | null = null;
  private readonly assembler: ReportAssembler;
  private assemblerTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: PendingRequest | null = null;
  private capturing: PendingCapture | null = null;
  private closedWith: PalmHidError | null = null;
  private readonly closes = new Listeners<[PalmHidError]>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly requestTimeoutMs: number;
  private readonly keepaliveTimeoutMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly transport: HidTransport,
    o: SessionOptions,
  ) {
    this.requestTimeoutMs = o.requestTimeoutMs ?? 1000;
    this.keepaliveTimeoutMs = o.keepaliveTimeoutMs ?? 1000;
    this.now = o.now ?? (() => performance.now());
    this.assembler = new ReportAssembler({ timeoutMs: o.messageTimeoutMs });
    this.unsubscribe.push(
      transport.onReport((r) => this.onReport(r)),
      transport.onClose((reason) =>
        this.fail(
          new PalmHidError(
            'DISCONNECTED',
            `the scanner went away${reason ? `: ${reason.message}` : ''}`,
          ),
        ),
      ),
    );
  }

  /** Opens a session: INIT with a fresh nonce, which the answer must echo. */
  static async open(transport: HidTransport, o: SessionOptions = {}): Promise<PalmHidSession> {
    const s = new PalmHidSession(transport, o);
    try {
      await s.handshake();
    } catch (e) {
      s.dispose();
      throw e;
    }
    return s;
  }

  get channel(): number {
    return this.cid;
  }

  get init(): InitResponse {
    if (!this.initResponse) throw new PalmHidError('PROTOCOL', 'no INIT yet');
    return this.initResponse;
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  get capturePending(): boolean {
    return this.capturing !== null;
  }

  onClose(l: (e: PalmHidError) => void): () => void {
    return this.closes.add(l);
  }

  async info(): Promise<InfoResponse> {
    return decodeInfoResponse(await this.request(CMD.INFO, new Uint8Array(0)));
  }

  async ping(data: Uint8Array): Promise<Uint8Array> {
    const echo = await this.request(CMD.PING, data);
    if (!equalBytes(echo, data))
      throw new PalmHidError('PROTOCOL', 'PING answered with different bytes');
    return echo;
  }

  /**
   * One capture: sends CAPTURE with `hostNonce`, resolves with the raw CAPTURE_RESULT payload
   * (unverified), rejects with the device's ERROR, a timeout or a disconnect.
   */
  capture(
    req: { mode: CaptureModeName; timeoutMs: number; hostNonce: Uint8Array },
    progress: CaptureProgress = {},
  ): Promise<Uint8Array> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.capturing)
      return Promise.reject(
        new PalmHidError('BUSY', 'a capture is already in progress on this scanner'),
      );
    if (req.hostNonce.length !== HOST_NONCE_BYTES)
      return Promise.reject(new RangeError('host nonce must be 16 bytes'));
    const payload = encodeCaptureRequest(req);
    return new Promise<Uint8Array>((resolve, reject) => {
      const c: PendingCapture = {
        progress,
        resolve,
        reject,
        watchdog: null,
        // Belt and braces: even a device that keeps sending keepalives cannot hold a capture
        // open much past the timeout it was given.
        deadline: setTimeout(
          () =>
            this.endCapture(
              c,
              new PalmHidError(
                'TIMEOUT',
                `no capture result ${req.timeoutMs + 2000} ms after CAPTURE`,
              ),
            ),
          req.timeoutMs + 2000,
        ),
        accepted: false,
      };
      this.capturing = c;
      this.request(CMD.CAPTURE, payload).then(
        (status) => {
          try {
            const s = decodeStatus(status, 'CAPTURE');
            if (s !== 0) throw new PalmHidError('OTHER', `CAPTURE refused with status ${s}`);
            c.accepted = true;
            this.kickWatchdog(c);
          } catch (e) {
            this.endCapture(c, e as Error);
          }
        },
        (e: Error) => this.endCapture(c, e),
      );
    });
  }

  /** CANCEL; the pending capture then ends with ERROR CANCELLED. */
  async cancel(): Promise<void> {
    const s = decodeStatus(await this.request(CMD.CANCEL, new Uint8Array(0)), 'CANCEL');
    if (s !== 0) throw new PalmHidError('OTHER', `CANCEL refused with status ${s}`);
  }

  /** A raw request on our channel (palmctl, tests). Device ERRORs reject as PalmHidError. */
  request(
    cmd: number,
    payload: Uint8Array,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<Uint8Array> {
    return this.requestOn(this.cid, cmd, payload, timeoutMs);
  }

  async close(): Promise<void> {
    this.fail(new PalmHidError('DISCONNECTED', 'session closed'));
    await this.transport.close();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private async handshake(): Promise<void> {
    const nonce = randomBytes(INIT_NONCE_BYTES);
    const answer = decodeInitResponse(
      await this.requestOn(
        BROADCAST_CID,
        CMD.INIT,
        encodeInitRequest(nonce),
        this.requestTimeoutMs,
      ),
    );
    if (!equalBytes(answer.nonce, nonce))
      throw new PalmHidError('NONCE_MISMATCH', 'INIT answered with another nonce');
    if (answer.cid === BROADCAST_CID || answer.cid === 0)
      throw new PalmHidError(
        'PROTOCOL',
        `INIT assigned an invalid channel 0x${answer.cid.toString(16)}`,
      );
    if (answer.version !== 1)
      throw new PalmHidError(
        'PROTOCOL',
        `the scanner speaks palm-hid/${answer.version}, this host palm-hid/1`,
      );
    this.cid = answer.cid;
    this.initResponse = answer;
  }

  private requestOn(
    cid: number,
    cmd: number,
    payload: Uint8Array,
    timeoutMs: number,
  ): Promise<Uint8Array> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.pending)
      return Promise.reject(new PalmHidError('BUSY', 'one request at a time per channel'));
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.settleRequest(
            new PalmHidError(
              'TIMEOUT',
              `the scanner did not answer ${cmdLabel(cmd)} within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      const expectNonce = cmd === CMD.INIT ? payload.slice() : undefined;
      this.pending = { cmd, cid, resolve, reject, timer, timeoutMs, expectNonce };
      void (async () => {
        try {
          for (const r of frameMessage(cid, cmd, payload))
            await this.transport.write(withReportId(r));
        } catch (e) {
          this.fail(
            new PalmHidError(
              'DISCONNECTED',
              `writing to the scanner failed: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
        }
      })();
    });
  }

  private settleRequest(outcome: Uint8Array | Error): void {
    const r = this.pending;
    if (!r) return;
    this.pending = null;
    clearTimeout(r.timer);
    if (outcome instanceof Error) r.reject(outcome);
    else r.resolve(outcome);
  }

  private onReport(report: Uint8Array): void {
    this.stats.reports++;
    const events = this.assembler.push(report, this.now());
    this.armAssemblerTimer();
    for (const e of events) this.onReceive(e);
  }

  private armAssemblerTimer(): void {
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    this.assemblerTimer = null;
    const d = this.assembler.nextDeadline();
    if (d === null || this.closedWith) return;
    this.assemblerTimer = setTimeout(
      () => {
        for (const e of this.assembler.expire(this.now())) this.onReceive(e);
        this.armAssemblerTimer();
      },
      Math.max(0, d - this.now()) + 1,
    );
  }

  private onReceive(e: ReceiveEvent): void {
    if (e.type === 'error') {
      if (e.cid === null) {
        this.stats.malformed++;
        return;
      }
      if (e.cid !== this.cid && e.cid !== this.pending?.cid) return;
      // A garbled message on our channel was an answer or a capture result: do not wait for it.
      this.stats.receiveErrors++;
      const err = new PalmHidError('PROTOCOL', `a message from the scanner was lost (${e.code})`);
      if (this.pending) this.settleRequest(err);
      else if (this.capturing?.accepted) this.endCapture(this.capturing, err);
      return;
    }
    const { cid, cmd, payload } = e;
    const req = this.pending;
    if (cid !== this.cid && cid !== req?.cid) {
      this.stats.foreignChannel++;
      return;
    }
    // On the broadcast channel only our INIT's answer counts: another host's INIT answer (a
    // different nonce) is not ours, and we keep waiting (CTAPHID does the same).
    if (req && req.cid === BROADCAST_CID && cid === BROADCAST_CID) {
      if (cmd !== CMD.INIT && cmd !== CMD.ERROR) return;
      if (
        cmd === CMD.INIT &&
        req.expectNonce &&
        !equalBytes(payload.subarray(0, 8), req.expectNonce)
      ) {
        this.stats.foreignChannel++;
        return;
      }
    }
    const c = this.capturing;
    if (c?.accepted) this.kickWatchdog(c);
    switch (cmd) {
      case CMD.KEEPALIVE:
        if (req) {
          // CTAPHID semantics: a keepalive means "still working", so the request's clock restarts.
          clearTimeout(req.timer);
          req.timer = setTimeout(
            () =>
              this.settleRequest(
                new PalmHidError(
                  'TIMEOUT',
                  `the scanner did not answer ${cmdLabel(req.cmd)} within ${req.timeoutMs} ms`,
                ),
              ),
            req.timeoutMs,
          );
        }
        if (c?.accepted) this.safely(() => c.progress.onKeepalive?.(decodeKeepalive(payload)));
        return;
      case CMD.EVENT:
        if (c?.accepted) this.safely(() => c.progress.onGuidance?.(decodeEvent(payload)));
        else this.stats.unexpected++;
        return;
      case CMD.CAPTURE_RESULT:
        if (c?.accepted) this.endCapture(c, payload);
        else this.stats.unexpected++;
        return;
      case CMD.ERROR: {
        const name = payload.length === 1 ? deviceErrorName(payload[0]!) : 'OTHER';
        const err = new PalmHidError(name, `the scanner reported ${name}`);
        if (c?.accepted && CAPTURE_ENDING.has(name)) this.endCapture(c, err);
        else if (req) this.settleRequest(err);
        else this.stats.unexpected++;
        return;
      }
      default:
        if (req && cmd === req.cmd) this.settleRequest(payload);
        else this.stats.unexpected++;
    }
  }

  /** A malformed event must not crash the host; it is counted instead. */
  private safely(f: () => void): void {
    try {
      f();
    } catch {
      this.stats.unexpected++;
    }
  }

  private kickWatchdog(c: PendingCapture): void {
    if (c.watchdog) clearTimeout(c.watchdog);
    c.watchdog = setTimeout(
      () =>
        this.endCapture(
          c,
          new PalmHidError(
            'TIMEOUT',
            `the scanner went silent for ${this.keepaliveTimeoutMs} ms during a capture`,
          ),
        ),
      this.keepaliveTimeoutMs,
    );
  }

  private endCapture(c: PendingCapture, outcome: Uint8Array | Error): void {
    if (this.capturing !== c) return;
    this.capturing = null;
    if (c.watchdog) clearTimeout(c.watchdog);
    clearTimeout(c.deadline);
    if (outcome instanceof Error) c.reject(outcome);
    else c.resolve(outcome);
  }

  private fail(err: PalmHidError): void {
    if (this.closedWith) return;
    this.closedWith = err;
    this.settleRequest(err);
    if (this.capturing) this.endCapture(this.capturing, err);
    this.dispose();
    this.closes.emit(err);
    this.closes.clear();
  }

  private dispose(): void {
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    this.assemblerTimer = null;
    for (const u of this.unsubscribe.splice(0)) u();
  }
}

function cmdLabel(cmd: number): string {
  const names: Record<number, string> = {
    [CMD.PING]: 'PING',
    [CMD.INIT]: 'INIT',
    [CMD.INFO]: 'INFO',
    [CMD.CAPTURE]: 'CAPTURE',
    [CMD.CANCEL]: 'CANCEL',
  };
  return names[cmd] ?? `0x${cmd.toString(16)}`;
}
