import { toHex } from '../../common/palm-hid/bytes';
import {
  CAPABILITY,
  CMD,
  KEEPALIVE_MAX_INTERVAL_MS,
  PT1_TEMPLATE_DIMS,
  TEMPLATE_FORMAT_PT1,
  type DeviceErrorName,
  type GuidanceEvent,
} from '../../common/palm-hid/constants';
import { isPalmHidError } from '../../common/palm-hid/errors';
import {
  decodeCaptureRequest,
  encodeCaptureResultBody,
  encodeEvent,
  encodeInfoResponse,
  encodeKeepalive,
} from '../../common/palm-hid/messages';
import { generateAttestationKey, randomBytes, signCapture } from '../../common/palm-hid/verify';
import { createPopulation, type Population } from '../../common/palm/population';
import { DeviceLink } from './emulator-link';
import type {
  EmulatedPalm,
  EmulatorStats,
  ForgeMode,
  PalmScannerEmulatorOptions,
  PendingCapture,
} from './emulator-types';
import { Listeners, type HidBackend, type HidDeviceInfo } from './transport';

export type {
  EmulatedPalm,
  EmulatorStats,
  ForgeMode,
  PalmScannerEmulatorOptions,
} from './emulator-types';

/**
 * The device side of palm-hid/1: a scanner in software, behind the same HidBackend/HidTransport
 * interface as node-hid. It has its own attestation key and lifetime capture counter, draws
 * templates from the synthetic population, and sends guidance events and keepalives on a
 * device-like schedule. Test and development builds script it (present a palm, unplug, faults).
 */

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
  private readonly link: DeviceLink;
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
    this.link = new DeviceLink({
      stats: this.stats,
      now: this.o.now,
      responseDelayMs: this.o.responseDelayMs,
      messageTimeoutMs: this.o.messageTimeoutMs,
      firmware: this.o.firmware,
      capabilities: this.o.capabilities,
      plugged: () => this.plugged,
      responsive: () => this.responsive,
      request: (cid, cmd, p) => this.onRequest(cid, cmd, p),
      // INIT on a channel resynchronises it: a capture pending there is dropped.
      resync: (cid) => {
        if (this.capture?.cid === cid) this.endCapture();
      },
    });
    this.backend = {
      list: async () => {
        await this.ready;
        return this.plugged ? [this.info()] : [];
      },
      open: async (path) => {
        await this.ready;
        if (!this.plugged || path !== this.path) throw new Error(`no device at ${path}`);
        return this.link.open(this.path);
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
    this.link.unplug(o.silent ?? false);
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
    this.link.sendReports(reports);
  }

  dispose(): void {
    this.endCapture();
    this.link.dispose();
  }

  // ── requests on an open channel (the link handles INIT and channels: emulator-link.ts) ──

  private onRequest(cid: number, cmd: number, p: Uint8Array): void {
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

  private sendError(cid: number, code: DeviceErrorName): void {
    this.link.sendError(cid, code);
  }

  private send(cid: number, cmd: number, payload: Uint8Array): void {
    this.link.send(cid, cmd, payload);
  }

  /** For logs: the emulator's key as hex. */
  get publicKeyHex(): string {
    return toHex(this.publicKey);
  }
}
