import { toBase64url } from '../../common/base64url';
import type {
  CaptureRejectReason,
  HostErrorCode,
  ScannerCaptureRequest,
  ScannerEvent,
  ScannerStatus,
  VerifiedCapture,
} from '../../common/host/contract';
import { toHex } from '../../common/palm-hid/bytes';
import { PalmHidError, isPalmHidError, type PalmHidErrorCode } from '../../common/palm-hid/errors';
import { importAttestationKey, randomBytes, verifyCapture } from '../../common/palm-hid/verify';
import {
  HOST_NONCE_BYTES,
  PT1_TEMPLATE_DIMS,
  TEMPLATE_FORMAT_PT1,
} from '../../common/palm-hid/constants';
import type { KeyPinStore, PinnedKey } from './key-store';
import { PalmHidSession, type SessionOptions } from './session';
import { Listeners, type HidBackend, type HidDeviceInfo } from './transport';

/**
 * The palm scanner as the terminal host sees it: discovery and hot-plug (by polling the
 * backend, plus the transport's own close signal), the session, attestation-key pinning, and
 * the §5 checks. A capture leaves this class only after its signature, nonce and counter
 * check out; anything else is counted by reason and never delivered.
 */

export interface PalmScannerOptions {
  backend: HidBackend;
  keyStore: KeyPinStore;
  /** How often to look for (un)plugged scanners (default 500 ms: unplug noticed within 1 s). */
  pollMs?: number;
  session?: SessionOptions;
  /** Approve a newly pinned key at once (development builds trust their emulator). */
  autoApprove?: (device: HidDeviceInfo) => boolean;
}

export type RejectionCounts = Record<CaptureRejectReason, number>;

interface Attached {
  readonly device: HidDeviceInfo;
  readonly session: PalmHidSession;
  readonly serial: string;
  readonly model: string;
  readonly firmware: string;
  readonly publicKey: Uint8Array;
  readonly fingerprint: string;
  key: CryptoKey;
}

export class PalmScanner {
  readonly rejections: RejectionCounts = { 'bad-signature': 0, 'nonce-mismatch': 0, replay: 0 };
  private readonly events = new Listeners<[ScannerEvent]>();
  private attached: Attached | null = null;
  private connecting = false;
  private keyState: ScannerStatus['keyState'] = null;
  private fault: HostErrorCode | null = null;
  private lastError: HostErrorCode | null = null;
  private capturing = false;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<void> | null = null;
  private stopped = true;
  private readonly pollMs: number;

  constructor(private readonly o: PalmScannerOptions) {
    this.pollMs = o.pollMs ?? 500;
  }

  /** Start watching for scanners; resolves after the first look. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.pollOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await this.polling;
    const a = this.attached;
    this.attached = null;
    if (a) await a.session.close();
  }

  onEvent(l: (e: ScannerEvent) => void): () => void {
    return this.events.add(l);
  }

  status(): ScannerStatus {
    const a = this.attached;
    const state: ScannerStatus['state'] = a
      ? this.keyState === 'mismatch' || this.fault
        ? 'fault'
        : this.capturing
          ? 'capturing'
          : 'ready'
      : this.connecting
        ? 'connecting'
        : 'absent';
    return {
      state,
      kind: a ? (a.device.kind === 'emulator' ? 'emulator' : 'hardware') : null,
      model: a?.model ?? null,
      serial: a?.serial ?? null,
      firmware: a?.firmware ?? null,
      keyState: a ? this.keyState : null,
      keyFingerprint: a?.fingerprint ?? null,
      publicKey: a ? toHex(a.publicKey) : null,
      rejectedCaptures:
        this.rejections['bad-signature'] +
        this.rejections['nonce-mismatch'] +
        this.rejections.replay,
      lastError: this.fault ?? this.lastError,
    };
  }

  /** The open session, for palmctl's ping/info and for tests. */
  get session(): PalmHidSession | null {
    return this.attached?.session ?? null;
  }

  async capture(req: ScannerCaptureRequest): Promise<VerifiedCapture> {
    const a = this.attached;
    if (!a) throw new PalmHidError('NO_DEVICE', 'no palm scanner is attached');
    if (this.capturing) throw new PalmHidError('BUSY', 'a capture is already in progress');
    if (this.keyState === 'mismatch')
      throw new PalmHidError(
        'KEY_MISMATCH',
        `scanner ${a.serial} presents a key other than the one pinned for it`,
      );
    if (this.keyState !== 'approved')
      throw new PalmHidError(
        'KEY_PENDING',
        `scanner ${a.serial}'s key awaits a manager's approval`,
      );
    this.capturing = true;
    this.lastError = null;
    this.emitStatus();
    const hostNonce = randomBytes(HOST_NONCE_BYTES);
    try {
      const payload = await a.session.capture(
        { mode: req.mode, timeoutMs: req.timeoutMs, hostNonce },
        {
          onGuidance: (g) => {
            if (g.event) this.events.emit({ kind: 'guidance', guidance: g.event, hand: g.hand });
          },
        },
      );
      const pin = await this.o.keyStore.get(a.serial);
      const lastCounter = pin?.lastCounter ?? -1;
      let outcome;
      try {
        outcome = await verifyCapture({ payload, publicKey: a.key, hostNonce, lastCounter });
      } catch (e) {
        // Not even a well-formed capture: refused like a forgery.
        this.reject('bad-signature');
        throw new PalmHidError(
          'CAPTURE_REJECTED',
          `capture refused: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      if (outcome.verdict !== 'accept') {
        this.reject(outcome.verdict);
        throw new PalmHidError('CAPTURE_REJECTED', `capture refused: ${outcome.verdict}`);
      }
      const r = outcome.result;
      if (r.format !== TEMPLATE_FORMAT_PT1 || r.dims !== PT1_TEMPLATE_DIMS) {
        throw new PalmHidError(
          'PROTOCOL',
          `unsupported template format ${r.format} with ${r.dims} dims`,
        );
      }
      if (pin) await this.o.keyStore.put({ ...pin, lastCounter: r.counter });
      if (this.fault === 'SENSOR_FAULT') this.fault = null; // a good capture proves the sensor works again
      return {
        format: 'PT1',
        template: Array.from(r.template),
        quality: r.quality,
        liveness: r.liveness,
        hand: r.hand,
        counter: r.counter,
        scannerSerial: a.serial,
        mode: req.mode,
        signed: toBase64url(payload),
      };
    } catch (e) {
      const err = isPalmHidError(e)
        ? e
        : new PalmHidError('OTHER', e instanceof Error ? e.message : String(e));
      this.lastError = hostErrorCode(err.code);
      if (err.code === 'SENSOR_FAULT') this.fault = 'SENSOR_FAULT';
      this.events.emit({ kind: 'error', code: this.lastError, message: err.message });
      throw err;
    } finally {
      this.capturing = false;
      this.emitStatus();
    }
  }

  async cancel(): Promise<void> {
    const s = this.attached?.session;
    if (!s || !s.capturePending) return;
    await s.cancel();
  }

  /** A manager approves the key pinned for `serial` (the scanner need not be attached). */
  async approveKey(serial: string): Promise<ScannerStatus> {
    const pin = await this.o.keyStore.get(serial);
    if (!pin) throw new PalmHidError('NO_DEVICE', `no key is pinned for scanner ${serial}`);
    if (pin.state !== 'approved')
      await this.o.keyStore.put({
        ...pin,
        state: 'approved',
        approvedAt: new Date().toISOString(),
      });
    if (this.attached?.serial === serial && this.keyState === 'pending') this.keyState = 'approved';
    this.emitStatus();
    return this.status();
  }

  /** Look for the scanner now (tests use it instead of waiting for the poll). */
  pollOnce(): Promise<void> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
      if (!this.stopped) {
        this.pollTimer = setTimeout(() => void this.pollOnce(), this.pollMs);
        // Polling alone must not keep a Node process (palmctl, a test) alive.
        this.pollTimer.unref?.();
      }
    });
    return this.polling;
  }

  private async poll(): Promise<void> {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    let devices: HidDeviceInfo[];
    try {
      devices = await this.o.backend.list();
    } catch (e) {
      this.events.emit({
        kind: 'error',
        code: 'DEVICE_OFFLINE',
        message: `cannot list HID devices: ${e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    const a = this.attached;
    if (a) {
      // Unplugged without a read error: the device simply left the list.
      if (!devices.some((d) => d.path === a.device.path))
        await this.detach(new PalmHidError('DISCONNECTED', 'the scanner was unplugged'));
      return;
    }
    const d = devices[0];
    if (d && !this.stopped) await this.attach(d);
  }

  private async attach(device: HidDeviceInfo): Promise<void> {
    this.connecting = true;
    this.emitStatus();
    let session: PalmHidSession | null = null;
    try {
      const transport = await this.o.backend.open(device.path);
      session = await PalmHidSession.open(transport, this.o.session);
      const info = await session.info();
      const key = await importAttestationKey(info.publicKey);
      const digest = new Uint8Array(
        await globalThis.crypto.subtle.digest('SHA-256', info.publicKey as BufferSource),
      );
      const [maj, min, build] = session.init.firmware;
      const a: Attached = {
        device,
        session,
        serial: info.serial,
        model: info.model,
        firmware: `${maj}.${min}.${build}`,
        publicKey: info.publicKey,
        fingerprint: toHex(digest.subarray(0, 8)),
        key,
      };
      this.keyState = await this.pin(a);
      this.fault = null;
      this.lastError = null;
      this.attached = a;
      session.onClose((e) => void this.detach(e));
    } catch (e) {
      if (session) await session.close().catch(() => undefined);
      const err = isPalmHidError(e)
        ? e
        : new PalmHidError('OTHER', e instanceof Error ? e.message : String(e));
      this.lastError = hostErrorCode(err.code);
      this.events.emit({
        kind: 'error',
        code: this.lastError,
        message: `could not open the scanner at ${device.path}: ${err.message}`,
      });
    } finally {
      this.connecting = false;
      this.emitStatus();
    }
  }

  /** Trust on first use: pin the key as pending; a different key for a known serial is a fault. */
  private async pin(a: Attached): Promise<'pending' | 'approved' | 'mismatch'> {
    const hex = toHex(a.publicKey);
    const existing = await this.o.keyStore.get(a.serial);
    if (existing) {
      if (existing.publicKey !== hex) return 'mismatch';
      return existing.state;
    }
    const approve = this.o.autoApprove?.(a.device) ?? false;
    const now = new Date().toISOString();
    const rec: PinnedKey = {
      serial: a.serial,
      publicKey: hex,
      state: approve ? 'approved' : 'pending',
      firstSeen: now,
      approvedAt: approve ? now : null,
      lastCounter: -1,
    };
    await this.o.keyStore.put(rec);
    return rec.state;
  }

  private async detach(err: PalmHidError): Promise<void> {
    const a = this.attached;
    if (!a) return;
    this.attached = null;
    this.keyState = null;
    this.fault = null;
    this.lastError = 'DEVICE_OFFLINE';
    this.events.emit({ kind: 'error', code: 'DEVICE_OFFLINE', message: err.message });
    await a.session.close().catch(() => undefined);
    this.emitStatus();
  }

  private reject(reason: CaptureRejectReason): void {
    this.rejections[reason]++;
    this.events.emit({ kind: 'capture-rejected', reason });
  }

  private emitStatus(): void {
    this.events.emit({ kind: 'status', status: this.status() });
  }
}

/** How each palm-hid failure reaches the renderer through the host contract. */
export function hostErrorCode(code: PalmHidErrorCode): HostErrorCode {
  switch (code) {
    case 'CAPTURE_TIMEOUT':
      return 'CAPTURE_TIMEOUT';
    case 'CANCELLED':
      return 'CAPTURE_CANCELLED';
    case 'LIVENESS_FAILED':
    case 'QUALITY_TOO_LOW':
    case 'SENSOR_FAULT':
    case 'CAPTURE_REJECTED':
      return code;
    case 'KEY_PENDING':
      return 'SCANNER_KEY_PENDING';
    case 'KEY_MISMATCH':
      return 'SCANNER_KEY_MISMATCH';
    case 'DISCONNECTED':
    case 'NO_DEVICE':
      return 'DEVICE_OFFLINE';
    case 'TIMEOUT':
      return 'DEVICE_NOT_RESPONDING';
    case 'CHANNEL_BUSY':
    case 'BUSY':
      return 'DEVICE_BUSY';
    case 'INVALID_CMD':
    case 'INVALID_PAR':
    case 'INVALID_LEN':
    case 'INVALID_SEQ':
    case 'MSG_TIMEOUT':
    case 'INVALID_CHANNEL':
    case 'OTHER':
    case 'MALFORMED':
    case 'NONCE_MISMATCH':
    case 'PROTOCOL':
      return 'INTERNAL';
  }
}
