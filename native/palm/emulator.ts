import { readU32, toHex } from '../../common/palm-hid/bytes';
import {
  BROADCAST_CID,
  CAPABILITY,
  CMD,
  INVALID_CID,
  KEEPALIVE_MAX_INTERVAL_MS,
  PT1_TEMPLATE_DIMS,
  PROTOCOL_VERSION,
  REPORT_SIZE,
  TEMPLATE_FORMAT_PT1,
  type DeviceErrorName,
  type GuidanceEvent,
} from '../../common/palm-hid/constants';
import { isPalmHidError } from '../../common/palm-hid/errors';
import { frameMessage, ReportAssembler } from '../../common/palm-hid/framing';
import {
  decodeCaptureRequest,
  encodeCaptureResultBody,
  encodeError,
  encodeEvent,
  encodeInfoResponse,
  encodeInitResponse,
  encodeKeepalive,
} from '../../common/palm-hid/messages';
import { generateAttestationKey, randomBytes, signCapture } from '../../common/palm-hid/verify';
import {
  createPopulation,
  type Population,
  type PopulationParams,
} from '../../common/palm/population';
import { Listeners, type HidBackend, type HidDeviceInfo, type HidTransport } from './transport';

/**
 * The device side of palm-hid/1: a scanner in software, behind the same HidBackend/HidTransport
 * interface as node-hid. It has its own attestation key and lifetime capture counter, draws
 * templates from the synthetic population, and sends guidance events and keepalives on a
 * device-like schedule. Test and development builds script it (present a palm, unplug, faults).
 */

export interface EmulatedPalm {
  readonly identity: number;
  readonly quality: number;
  readonly liveness: number;
  readonly hand?: 'left' | 'right';
  /** Hover to result; a real device takes 300–800 ms. Default: the emulator's hoverMs. */
  readonly hoverMs?: number;
}

/** How the next capture result is to be falsified (driver tests of the §5 checks). */
export type ForgeMode = 'tamper' | 'wrong-nonce' | 'replay-counter' | 'foreign-key';

export interface PalmScannerEmulatorOptions {
  serial?: string;
  model?: string;
  firmware?: readonly [number, number, number];
  capabilities?: number;
  path?: string;
  /** The synthetic population captures come from (default seed 1). */
  population?: Population | PopulationParams;
  /** Hover-to-result time in ms (default 500). */
  hoverMs?: number;
  /** KEEPALIVE interval while a capture is pending (default 100; the spec's maximum is 200). */
  keepaliveMs?: number;
  /** Delay before the device answers a request (default 1 ms). */
  responseDelayMs?: number;
  /** Liveness below this fails the capture with LIVENESS_FAILED (default 50). */
  livenessThreshold?: number;
  /** Quality below this fails the capture with QUALITY_TOO_LOW (default 25). */
  qualityThreshold?: number;
  /** The capture counter's value before the first capture (default 0). */
  counter?: number;
  /** The attestation key; generated when omitted. */
  keyPair?: CryptoKeyPair;
  /** The receiver's message timeout (default 500 ms, spec §2). */
  messageTimeoutMs?: number;
  now?: () => number;
}

interface PendingCapture {
  readonly cid: number;
  readonly hostNonce: Uint8Array;
  readonly timers: ReturnType<typeof setTimeout>[];
  keepalive: ReturnType<typeof setInterval> | null;
  processing: boolean;
  hovering: boolean;
}

export interface EmulatorStats {
  requests: number;
  captures: number;
  results: number;
  errorsSent: Partial<Record<DeviceErrorName, number>>;
  malformedWrites: number;
}

export class PalmScannerEmulator {
  readonly serial: string;
  readonly model: string;
  readonly path: string;
  readonly stats: EmulatorStats = {
    requests: 0,
    captures: 0,
    results: 0,
    errorsSent: {},
    malformedWrites: 0,
  };
  /** The backend a driver opens this emulator through. */
  readonly backend: HidBackend;

  private counter: number;
  private plugged = true;
  private responsive = true;
  private fault: 'none' | 'sensor' = 'none';
  private palm: EmulatedPalm | null = null;
  private forge: ForgeMode | null = null;
  private foreignKey: CryptoKeyPair | null = null;
  private capture: PendingCapture | null = null;
  private readonly channels = new Set<number>();
  private readonly transports = new Set<EmulatorTransport>();
  private readonly assembler: ReportAssembler;
  private assemblerTimer: ReturnType<typeof setTimeout> | null = null;
  private sendChain: Promise<void> = Promise.resolve();
  private readonly population: Population;
  private readonly o: Required<
    Omit<
      PalmScannerEmulatorOptions,
      'population' | 'keyPair' | 'counter' | 'serial' | 'model' | 'path'
    >
  >;
  private readonly stateListeners = new Listeners<[]>();

  private key: { keyPair: CryptoKeyPair; publicKey: Uint8Array } | null = null;
  /** Resolves once the attestation key exists; the device enumerates only after that. */
  readonly ready: Promise<void>;

  private constructor(o: PalmScannerEmulatorOptions) {
    this.serial = o.serial ?? 'EMU-0001';
    this.model = o.model ?? 'PalmScan EMU';
    for (const [k, v] of [
      ['serial', this.serial],
      ['model', this.model],
    ] as const) {
      if (!/^[\x20-\x7e]{1,16}$/.test(v))
        throw new RangeError(`${k} must be 1–16 printable ASCII characters (got “${v}”)`);
    }
    this.path = o.path ?? `emulator:${this.serial}`;
    this.ready = (async () => {
      if (o.keyPair) {
        const raw = new Uint8Array(
          await globalThis.crypto.subtle.exportKey('raw', o.keyPair.publicKey),
        );
        this.key = { keyPair: o.keyPair, publicKey: raw };
      } else {
        this.key = await generateAttestationKey();
      }
    })();
    this.counter = o.counter ?? 0;
    const pop = o.population;
    this.population = pop && 'capture' in pop ? pop : createPopulation(pop ?? { seed: 1 });
    this.o = {
      firmware: o.firmware ?? [1, 0, 0],
      capabilities:
        o.capabilities ??
        CAPABILITY.LIVENESS | CAPABILITY.SIGNED_CAPTURES | CAPABILITY.GUIDANCE_EVENTS,
      hoverMs: o.hoverMs ?? 500,
      keepaliveMs: Math.min(o.keepaliveMs ?? 100, KEEPALIVE_MAX_INTERVAL_MS),
      responseDelayMs: o.responseDelayMs ?? 1,
      livenessThreshold: o.livenessThreshold ?? 50,
      qualityThreshold: o.qualityThreshold ?? 25,
      messageTimeoutMs: o.messageTimeoutMs ?? 500,
      now: o.now ?? (() => performance.now()),
    };
    this.assembler = new ReportAssembler({ timeoutMs: this.o.messageTimeoutMs });
    this.backend = {
      list: async () => {
        await this.ready;
        return this.plugged ? [this.info()] : [];
      },
      open: async (path) => {
        await this.ready;
        if (!this.plugged || path !== this.path) throw new Error(`no device at ${path}`);
        const t = new EmulatorTransport(
          this.path,
          (r) => this.onWrite(r),
          () => this.transports.delete(t),
        );
        this.transports.add(t);
        return t;
      },
    };
  }

  static async create(o: PalmScannerEmulatorOptions = {}): Promise<PalmScannerEmulator> {
    const e = new PalmScannerEmulator(o);
    await e.ready;
    return e;
  }

  /** For synchronous setup (the host service): the device appears once `ready` resolves. */
  static createNow(o: PalmScannerEmulatorOptions = {}): PalmScannerEmulator {
    return new PalmScannerEmulator(o);
  }

  /** The attestation public key, SEC1 uncompressed. */
  get publicKey(): Uint8Array {
    if (!this.key) throw new Error('the emulator key is not ready yet (await emulator.ready)');
    return this.key.publicKey;
  }

  info(): HidDeviceInfo {
    return {
      path: this.path,
      vendorId: 0x1209,
      productId: 0x50a1,
      usagePage: 0xff50,
      usage: 0x01,
      serialNumber: this.serial,
      product: this.model,
      manufacturer: 'Emulator',
      kind: 'emulator',
    };
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  get captureCounter(): number {
    return this.counter;
  }

  /**
   * Moves the lifetime counter on so the next capture carries at least `next` (never back). A
   * real scanner's counter survives power cycles; the emulator's starts again at each run, so
   * the demo launcher resumes it from what the store cloud has already seen (spent) from it.
   */
  resumeCounterAt(next: number): void {
    if (!Number.isSafeInteger(next) || next < 0)
      throw new RangeError(`a capture counter is a whole number ≥ 0 (got ${next})`);
    this.counter = Math.max(this.counter, next - 1);
  }

  get capturePending(): boolean {
    return this.capture !== null;
  }

  /** Fires when a capture starts or ends, so tests and controls can wait for it. */
  onStateChange(l: () => void): () => void {
    return this.stateListeners.add(l);
  }

  // ── controls ────────────────────────────────────────────────────────────────────────────────

  /** A hand appears over the sensor; it is used by the pending capture, or the next one. */
  presentPalm(palm: EmulatedPalm): void {
    for (const [k, v] of [
      ['quality', palm.quality],
      ['liveness', palm.liveness],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 100)
        throw new RangeError(`${k} must be an integer 0..100 (got ${v})`);
    }
    if (!Number.isSafeInteger(palm.identity) || palm.identity < 0)
      throw new RangeError(`identity must be an integer ≥ 0 (got ${palm.identity})`);
    this.palm = palm;
    if (this.capture && !this.capture.hovering) this.beginHover(this.capture);
  }

  removePalm(): void {
    this.palm = null;
  }

  /** Unplug. `silent` models a device that vanishes without a read error (found by polling). */
  unplug(o: { silent?: boolean } = {}): void {
    if (!this.plugged) return;
    this.plugged = false;
    this.endCapture();
    this.channels.clear();
    this.assembler.reset();
    for (const t of [...this.transports]) {
      if (o.silent) t.sever();
      else t.disconnect(new Error('device disconnected'));
    }
    this.transports.clear();
  }

  replug(): void {
    this.plugged = true;
  }

  /** A sensor fault fails the pending capture and every capture until cleared. */
  setFault(fault: 'none' | 'sensor'): void {
    this.fault = fault;
    if (fault === 'sensor' && this.capture) this.finishWithError(this.capture, 'SENSOR_FAULT');
  }

  /** A hung device: writes are accepted and ignored, nothing is sent. */
  setResponsive(responsive: boolean): void {
    this.responsive = responsive;
  }

  /** Falsify the next capture result (once). */
  forgeNextResult(mode: ForgeMode): void {
    this.forge = mode;
  }

  /** Send raw reports to the host as they are (garbage for fault tests). */
  injectReports(reports: Uint8Array[]): void {
    this.queueSend(reports);
  }

  dispose(): void {
    this.endCapture();
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    for (const t of [...this.transports]) t.disconnect(new Error('emulator disposed'));
    this.transports.clear();
  }

  // ── receive ─────────────────────────────────────────────────────────────────────────────────

  private onWrite(report: Uint8Array): void {
    if (!this.plugged) throw new Error('device disconnected');
    // node-hid writes carry the report-ID byte first; the device sees the 64 bytes behind it.
    if (report.length !== REPORT_SIZE + 1 || report[0] !== 0) {
      this.stats.malformedWrites++;
      throw new Error(`a palm-hid write is 65 bytes starting 0x00 (got ${report.length} bytes)`);
    }
    if (!this.responsive) return;
    const events = this.assembler.push(report.subarray(1), this.o.now());
    this.armAssemblerTimer();
    for (const e of events) {
      if (e.type === 'error') {
        if (e.cid !== null) this.sendError(e.cid, e.code === 'MALFORMED_REPORT' ? 'OTHER' : e.code);
      } else {
        this.stats.requests++;
        try {
          this.onRequest(e.cid, e.cmd, e.payload);
        } catch {
          // A device never lets one bad request take it down: it answers OTHER and carries on.
          this.sendError(e.cid, 'OTHER');
        }
      }
    }
  }

  private armAssemblerTimer(): void {
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    this.assemblerTimer = null;
    const d = this.assembler.nextDeadline();
    if (d === null) return;
    this.assemblerTimer = setTimeout(
      () => {
        for (const e of this.assembler.expire(this.o.now()))
          if (e.type === 'error' && e.cid !== null)
            this.sendError(e.cid, e.code as DeviceErrorName);
        this.armAssemblerTimer();
      },
      Math.max(0, d - this.o.now()) + 1,
    );
  }

  private onRequest(cid: number, cmd: number, p: Uint8Array): void {
    if (cmd === CMD.INIT) return this.onInit(cid, p);
    if (cid === BROADCAST_CID || cid === INVALID_CID || !this.channels.has(cid))
      return this.sendError(cid, 'INVALID_CHANNEL');
    switch (cmd) {
      case CMD.PING:
        return this.send(cid, CMD.PING, p);
      case CMD.INFO:
        if (p.length !== 0) return this.sendError(cid, 'INVALID_LEN');
        return this.send(
          cid,
          CMD.INFO,
          encodeInfoResponse({
            serial: this.serial,
            model: this.model,
            format: TEMPLATE_FORMAT_PT1,
            dims: PT1_TEMPLATE_DIMS,
            publicKey: this.publicKey,
          }),
        );
      case CMD.CAPTURE:
        return this.onCapture(cid, p);
      case CMD.CANCEL: {
        if (p.length !== 0) return this.sendError(cid, 'INVALID_LEN');
        const c = this.capture;
        this.send(cid, CMD.CANCEL, Uint8Array.of(0));
        if (c) this.finishWithError(c, 'CANCELLED');
        return;
      }
      default:
        return this.sendError(cid, 'INVALID_CMD');
    }
  }

  private onInit(cid: number, nonce: Uint8Array): void {
    if (nonce.length !== 8) return this.sendError(cid, 'INVALID_LEN');
    let newCid = cid;
    if (cid === BROADCAST_CID) {
      do newCid = readU32(randomBytes(4), 0);
      while (newCid === BROADCAST_CID || newCid === INVALID_CID || this.channels.has(newCid));
      this.channels.add(newCid);
    } else if (!this.channels.has(cid)) {
      return this.sendError(cid, 'INVALID_CHANNEL');
    } else if (this.capture?.cid === cid) {
      // INIT on an existing channel resynchronises it: whatever was pending there is dropped.
      this.endCapture();
    }
    const [major, minor, build] = this.o.firmware;
    this.send(
      cid,
      CMD.INIT,
      encodeInitResponse({
        nonce,
        cid: newCid,
        version: PROTOCOL_VERSION,
        firmware: [major, minor, build],
        capabilities: this.o.capabilities,
      }),
    );
  }

  // ── capture ─────────────────────────────────────────────────────────────────────────────────

  private onCapture(cid: number, p: Uint8Array): void {
    let req;
    try {
      req = decodeCaptureRequest(p);
    } catch (e) {
      return this.sendError(
        cid,
        isPalmHidError(e) && e.code === 'INVALID_LEN' ? 'INVALID_LEN' : 'INVALID_PAR',
      );
    }
    // One sensor: a second capture while one is pending is refused, whichever channel asks.
    if (this.capture) return this.sendError(cid, 'CHANNEL_BUSY');
    this.stats.captures++;
    const c: PendingCapture = {
      cid,
      hostNonce: req.hostNonce,
      timers: [],
      keepalive: null,
      processing: false,
      hovering: false,
    };
    this.capture = c;
    this.send(cid, CMD.CAPTURE, Uint8Array.of(0));
    this.stateListeners.emit();
    c.keepalive = setInterval(
      () => this.send(cid, CMD.KEEPALIVE, encodeKeepalive(c.processing ? 'processing' : 'waiting')),
      this.o.keepaliveMs,
    );
    c.timers.push(setTimeout(() => this.finishWithError(c, 'CAPTURE_TIMEOUT'), req.timeoutMs));
    if (this.fault === 'sensor') {
      c.timers.push(setTimeout(() => this.finishWithError(c, 'SENSOR_FAULT'), 20));
      return;
    }
    if (this.palm) this.beginHover(c);
  }

  /** Guidance a device would give while the hand settles, then the result at hoverMs. */
  private beginHover(c: PendingCapture): void {
    const palm = this.palm;
    if (!palm) return;
    c.hovering = true;
    const h = palm.hoverMs ?? this.o.hoverMs;
    const hand = palm.hand ?? 'right';
    const plan: [number, GuidanceEvent][] = [[0, 'HAND_DETECTED']];
    if (palm.quality < 60) plan.push([0.2, 'MOVE_CLOSER']);
    if (palm.quality < 80) plan.push([0.35, 'CENTER_HAND']);
    plan.push([0.5, 'HOLD_STILL'], [0.7, 'CAPTURING']);
    for (const [at, ev] of plan) {
      c.timers.push(
        setTimeout(
          () => {
            if (ev === 'CAPTURING') c.processing = true;
            this.send(c.cid, CMD.EVENT, encodeEvent(ev, hand));
          },
          Math.round(at * h),
        ),
      );
    }
    c.timers.push(setTimeout(() => void this.finishWithResult(c, palm), h));
  }

  private async finishWithResult(c: PendingCapture, palm: EmulatedPalm): Promise<void> {
    if (this.capture !== c) return;
    if (palm.liveness < this.o.livenessThreshold) return this.finishWithError(c, 'LIVENESS_FAILED');
    if (palm.quality < this.o.qualityThreshold) return this.finishWithError(c, 'QUALITY_TOO_LOW');
    this.endCapture();
    this.palm = null; // the customer takes the hand away after a capture
    const forge = this.forge;
    this.forge = null;
    const counter = forge === 'replay-counter' ? this.counter : ++this.counter;
    const template = this.population.capture(palm.identity, palm.quality, counter);
    const hostNonce = forge === 'wrong-nonce' ? randomBytes(16) : c.hostNonce;
    const body = encodeCaptureResultBody({
      format: TEMPLATE_FORMAT_PT1,
      hand: palm.hand ?? 'right',
      quality: palm.quality,
      liveness: palm.liveness,
      counter,
      dims: PT1_TEMPLATE_DIMS,
      template,
      hostNonce,
    });
    let key = this.key!.keyPair.privateKey;
    if (forge === 'foreign-key') {
      this.foreignKey ??= (await generateAttestationKey()).keyPair;
      key = this.foreignKey.privateKey;
    }
    const signature = await signCapture(key, body);
    if (forge === 'tamper') body[10 + 17]! ^= 0x01;
    const payload = new Uint8Array(body.length + signature.length);
    payload.set(body);
    payload.set(signature, body.length);
    this.stats.results++;
    this.send(c.cid, CMD.CAPTURE_RESULT, payload);
    this.stateListeners.emit();
  }

  private finishWithError(c: PendingCapture, code: DeviceErrorName): void {
    if (this.capture !== c) return;
    this.endCapture();
    this.sendError(c.cid, code);
    this.stateListeners.emit();
  }

  private endCapture(): void {
    const c = this.capture;
    if (!c) return;
    for (const t of c.timers) clearTimeout(t);
    if (c.keepalive) clearInterval(c.keepalive);
    this.capture = null;
  }

  // ── send ────────────────────────────────────────────────────────────────────────────────────

  private sendError(cid: number, code: DeviceErrorName): void {
    this.stats.errorsSent[code] = (this.stats.errorsSent[code] ?? 0) + 1;
    this.send(cid, CMD.ERROR, encodeError(code));
  }

  private send(cid: number, cmd: number, payload: Uint8Array): void {
    this.queueSend(frameMessage(cid, cmd, payload));
  }

  /** Reports leave in order, after the device's response delay. */
  private queueSend(reports: Uint8Array[]): void {
    this.sendChain = this.sendChain.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (this.plugged)
              for (const t of this.transports) for (const r of reports) t.deliver(r);
            resolve();
          }, this.o.responseDelayMs),
        ),
    );
  }

  /** For logs: the emulator's key as hex. */
  get publicKeyHex(): string {
    return toHex(this.publicKey);
  }
}

class EmulatorTransport implements HidTransport {
  private readonly reports = new Listeners<[Uint8Array]>();
  private readonly closes = new Listeners<[Error | null]>();
  private closed = false;
  private severed = false;

  constructor(
    readonly path: string,
    private readonly toDevice: (r: Uint8Array) => void,
    private readonly onClosed: () => void,
  ) {}

  async write(report: Uint8Array): Promise<void> {
    if (this.closed || this.severed) throw new Error('device disconnected');
    this.toDevice(report.slice());
  }

  onReport(l: (r: Uint8Array) => void): () => void {
    return this.reports.add(l);
  }

  onClose(l: (reason: Error | null) => void): () => void {
    return this.closes.add(l);
  }

  async close(): Promise<void> {
    this.end(null);
  }

  deliver(r: Uint8Array): void {
    if (!this.closed && !this.severed) this.reports.emit(r.slice());
  }

  disconnect(reason: Error): void {
    this.end(reason);
  }

  /** The device is gone but no read error reaches the host: writes fail, reads stay silent. */
  sever(): void {
    this.severed = true;
  }

  private end(reason: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    this.closes.emit(reason);
    this.reports.clear();
    this.closes.clear();
  }
}
