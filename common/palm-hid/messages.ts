import { readAscii, readU16, readU32, toHex, writeAscii, writeU16, writeU32 } from './bytes';
import {
  CAPTURE_MODE,
  CAPTURE_TIMEOUT_MAX_MS,
  CAPTURE_TIMEOUT_MIN_MS,
  CMD,
  commandName,
  deviceErrorName,
  ERROR_CODES,
  guidanceEventName,
  handName,
  HOST_NONCE_BYTES,
  INIT_NONCE_BYTES,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  type CaptureModeName,
  type DeviceErrorName,
  type GuidanceEvent,
  type HandName,
} from './constants';
import { PalmHidError } from './errors';

/**
 * Typed encoders and decoders for every palm-hid/1 command and event (spec §4–§5). Decoders throw
 * PalmHidError('MALFORMED') with a precise reason; encoders throw RangeError on bad arguments.
 */

function need(cond: boolean, what: string): asserts cond {
  if (!cond) throw new PalmHidError('MALFORMED', what);
}

function bytesOf(n: number, b: Uint8Array, what: string): void {
  if (b.length !== n) throw new RangeError(`${what} must be ${n} bytes (got ${b.length})`);
}

// ── INIT ──────────────────────────────────────────────────────────────────────────────────────

export interface InitResponse {
  readonly nonce: Uint8Array;
  readonly cid: number;
  readonly version: number;
  readonly firmware: readonly [number, number, number];
  readonly capabilities: number;
}

export function encodeInitRequest(nonce: Uint8Array): Uint8Array {
  bytesOf(INIT_NONCE_BYTES, nonce, 'INIT nonce');
  return nonce.slice();
}

export function decodeInitRequest(p: Uint8Array): Uint8Array {
  need(
    p.length === INIT_NONCE_BYTES,
    `INIT request is ${INIT_NONCE_BYTES} bytes (got ${p.length})`,
  );
  return p.slice();
}

export function encodeInitResponse(r: InitResponse): Uint8Array {
  bytesOf(INIT_NONCE_BYTES, r.nonce, 'INIT nonce');
  const p = new Uint8Array(17);
  p.set(r.nonce, 0);
  writeU32(p, 8, r.cid);
  p[12] = r.version;
  p.set(r.firmware, 13);
  p[16] = r.capabilities;
  return p;
}

export function decodeInitResponse(p: Uint8Array): InitResponse {
  need(p.length === 17, `INIT response is 17 bytes (got ${p.length})`);
  return {
    nonce: p.slice(0, 8),
    cid: readU32(p, 8),
    version: p[12]!,
    firmware: [p[13]!, p[14]!, p[15]!],
    capabilities: p[16]!,
  };
}

// ── INFO ──────────────────────────────────────────────────────────────────────────────────────

export interface InfoResponse {
  readonly serial: string;
  readonly model: string;
  readonly format: number;
  readonly dims: number;
  /** SEC1 uncompressed P-256 point, 65 bytes starting 0x04. */
  readonly publicKey: Uint8Array;
}

export function encodeInfoResponse(r: InfoResponse): Uint8Array {
  bytesOf(PUBLIC_KEY_BYTES, r.publicKey, 'attestation public key');
  const p = new Uint8Array(100);
  writeAscii(p, 0, 16, r.serial);
  writeAscii(p, 16, 16, r.model);
  p[32] = r.format;
  writeU16(p, 33, r.dims);
  p.set(r.publicKey, 35);
  return p;
}

export function decodeInfoResponse(p: Uint8Array): InfoResponse {
  need(p.length === 100, `INFO response is 100 bytes (got ${p.length})`);
  const publicKey = p.slice(35, 100);
  need(publicKey[0] === 0x04, 'INFO public key is not an uncompressed SEC1 point');
  return {
    serial: readAscii(p, 0, 16),
    model: readAscii(p, 16, 16),
    format: p[32]!,
    dims: readU16(p, 33),
    publicKey,
  };
}

// ── CAPTURE / CANCEL ──────────────────────────────────────────────────────────────────────────

export interface CaptureRequest {
  readonly mode: CaptureModeName;
  readonly timeoutMs: number;
  readonly hostNonce: Uint8Array;
}

export function encodeCaptureRequest(r: CaptureRequest): Uint8Array {
  bytesOf(HOST_NONCE_BYTES, r.hostNonce, 'host nonce');
  if (
    !Number.isInteger(r.timeoutMs) ||
    r.timeoutMs < CAPTURE_TIMEOUT_MIN_MS ||
    r.timeoutMs > CAPTURE_TIMEOUT_MAX_MS
  ) {
    throw new RangeError(
      `capture timeout must be ${CAPTURE_TIMEOUT_MIN_MS}..${CAPTURE_TIMEOUT_MAX_MS} ms (got ${r.timeoutMs})`,
    );
  }
  const p = new Uint8Array(19);
  p[0] = r.mode === 'enroll' ? CAPTURE_MODE.ENROLL : CAPTURE_MODE.IDENTIFY;
  writeU16(p, 1, r.timeoutMs);
  p.set(r.hostNonce, 3);
  return p;
}

/** Decodes a CAPTURE request; out-of-range fields are INVALID_PAR (the device's answer). */
export function decodeCaptureRequest(p: Uint8Array): CaptureRequest {
  if (p.length !== 19)
    throw new PalmHidError('INVALID_LEN', `CAPTURE request is 19 bytes (got ${p.length})`);
  const m = p[0];
  const timeoutMs = readU16(p, 1);
  if (m !== CAPTURE_MODE.IDENTIFY && m !== CAPTURE_MODE.ENROLL)
    throw new PalmHidError('INVALID_PAR', `unknown capture mode ${m}`);
  if (timeoutMs < CAPTURE_TIMEOUT_MIN_MS || timeoutMs > CAPTURE_TIMEOUT_MAX_MS) {
    throw new PalmHidError(
      'INVALID_PAR',
      `capture timeout ${timeoutMs} ms is outside ${CAPTURE_TIMEOUT_MIN_MS}..${CAPTURE_TIMEOUT_MAX_MS}`,
    );
  }
  return {
    mode: m === CAPTURE_MODE.ENROLL ? 'enroll' : 'identify',
    timeoutMs,
    hostNonce: p.slice(3, 19),
  };
}

/** CAPTURE and CANCEL answer one status byte, 0x00 = accepted. */
export function decodeStatus(p: Uint8Array, what: string): number {
  need(p.length === 1, `${what} status is 1 byte (got ${p.length})`);
  return p[0]!;
}

// ── events ────────────────────────────────────────────────────────────────────────────────────

export interface GuidanceEventMessage {
  readonly code: number;
  /** null for a code this host does not know (newer firmware): show nothing, do not fail. */
  readonly event: GuidanceEvent | null;
  readonly hand: HandName;
}

export function encodeEvent(event: GuidanceEvent | number, hand: HandName): Uint8Array {
  const code = typeof event === 'number' ? event : EVENT_CODE_OF[event];
  return Uint8Array.from([code, hand === 'left' ? 1 : hand === 'right' ? 2 : 0]);
}
const EVENT_CODE_OF: Record<GuidanceEvent, number> = {
  HAND_DETECTED: 1,
  MOVE_CLOSER: 2,
  MOVE_AWAY: 3,
  HOLD_STILL: 4,
  CENTER_HAND: 5,
  CAPTURING: 6,
  HAND_REMOVED: 7,
};

export function decodeEvent(p: Uint8Array): GuidanceEventMessage {
  need(p.length === 2, `EVENT is 2 bytes (got ${p.length})`);
  const hand = handName(p[1]!);
  need(hand !== null, `EVENT hand byte ${p[1]} is not 0, 1 or 2`);
  return { code: p[0]!, event: guidanceEventName(p[0]!), hand };
}

export type KeepaliveStatus = 'waiting' | 'processing';

export function encodeKeepalive(s: KeepaliveStatus): Uint8Array {
  return Uint8Array.from([s === 'waiting' ? 1 : 2]);
}

export function decodeKeepalive(p: Uint8Array): KeepaliveStatus {
  need(p.length === 1 && (p[0] === 1 || p[0] === 2), 'KEEPALIVE is one status byte, 1 or 2');
  return p[0] === 1 ? 'waiting' : 'processing';
}

export function encodeError(name: DeviceErrorName): Uint8Array {
  return Uint8Array.from([ERROR_CODES[name]]);
}

export function decodeError(p: Uint8Array): { code: number; name: DeviceErrorName } {
  need(p.length === 1, `ERROR is 1 byte (got ${p.length})`);
  return { code: p[0]!, name: deviceErrorName(p[0]!) };
}

// ── CAPTURE_RESULT (§5) ───────────────────────────────────────────────────────────────────────

export interface CaptureResultFields {
  readonly format: number;
  readonly hand: HandName;
  readonly quality: number;
  readonly liveness: number;
  readonly counter: number;
  readonly dims: number;
  readonly template: Int8Array;
  readonly hostNonce: Uint8Array;
}

export interface CaptureResult extends CaptureResultFields {
  readonly signature: Uint8Array;
  /** Bytes 0 .. 26+D−1: what the signature covers. */
  readonly signed: Uint8Array;
}

/** The signed part of a CAPTURE_RESULT, to be signed by the device (the emulator). */
export function encodeCaptureResultBody(f: CaptureResultFields): Uint8Array {
  if (f.template.length !== f.dims)
    throw new RangeError(`template has ${f.template.length} components, dims says ${f.dims}`);
  bytesOf(HOST_NONCE_BYTES, f.hostNonce, 'host nonce');
  const p = new Uint8Array(26 + f.dims);
  p[0] = f.format;
  p[1] = f.hand === 'left' ? 1 : f.hand === 'right' ? 2 : 0;
  p[2] = f.quality;
  p[3] = f.liveness;
  writeU32(p, 4, f.counter);
  writeU16(p, 8, f.dims);
  p.set(new Uint8Array(f.template.buffer, f.template.byteOffset, f.dims), 10);
  p.set(f.hostNonce, 10 + f.dims);
  return p;
}

export function decodeCaptureResult(p: Uint8Array): CaptureResult {
  need(p.length >= 10, `CAPTURE_RESULT is at least 10 bytes (got ${p.length})`);
  const dims = readU16(p, 8);
  const total = 26 + dims + SIGNATURE_BYTES;
  need(p.length === total, `CAPTURE_RESULT with ${dims} dims is ${total} bytes (got ${p.length})`);
  const hand = handName(p[1]!);
  need(hand !== null, `CAPTURE_RESULT hand byte ${p[1]} is not 0, 1 or 2`);
  need(p[2]! <= 100 && p[3]! <= 100, 'CAPTURE_RESULT quality and liveness are 0..100');
  const signed = p.slice(0, 26 + dims);
  return {
    format: p[0]!,
    hand,
    quality: p[2]!,
    liveness: p[3]!,
    counter: readU32(p, 4),
    dims,
    template: new Int8Array(signed.buffer, 10, dims),
    hostNonce: signed.slice(10 + dims, 26 + dims),
    signature: p.slice(26 + dims),
    signed,
  };
}

// ── generic field view (palmctl decode) ──────────────────────────────────────────────────────

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/**
 * A JSON view of a message's fields, for logs and `palmctl decode`. Request and answer share a
 * CMD; the payload length tells them apart. Unknown commands and undecodable payloads give
 * `{ "error": reason }` rather than throwing.
 */
export function describeFields(cmd: number, p: Uint8Array): Record<string, JsonValue> {
  try {
    switch (cmd) {
      case CMD.PING:
        return { length: p.length };
      case CMD.INIT:
        if (p.length === INIT_NONCE_BYTES) return { direction: 'request', nonce: toHex(p) };
        {
          const r = decodeInitResponse(p);
          return {
            direction: 'response',
            nonce: toHex(r.nonce),
            cid: '0x' + r.cid.toString(16).padStart(8, '0'),
            version: r.version,
            firmware: r.firmware.join('.'),
            capabilities: r.capabilities,
          };
        }
      case CMD.INFO:
        if (p.length === 0) return { direction: 'request' };
        {
          const r = decodeInfoResponse(p);
          return {
            direction: 'response',
            serial: r.serial,
            model: r.model,
            format: r.format,
            dims: r.dims,
            publicKey: toHex(r.publicKey),
          };
        }
      case CMD.CAPTURE:
        if (p.length === 19) {
          const r = decodeCaptureRequest(p);
          return {
            direction: 'request',
            mode: r.mode,
            timeoutMs: r.timeoutMs,
            hostNonce: toHex(r.hostNonce),
          };
        }
        return { direction: 'response', status: decodeStatus(p, 'CAPTURE') };
      case CMD.CANCEL:
        if (p.length === 0) return { direction: 'request' };
        return { direction: 'response', status: decodeStatus(p, 'CANCEL') };
      case CMD.EVENT: {
        const e = decodeEvent(p);
        return { code: e.code, event: e.event, hand: e.hand };
      }
      case CMD.KEEPALIVE:
        return { status: decodeKeepalive(p) };
      case CMD.ERROR: {
        const e = decodeError(p);
        return { code: e.code, name: e.name };
      }
      case CMD.CAPTURE_RESULT: {
        const r = decodeCaptureResult(p);
        return {
          format: r.format,
          hand: r.hand,
          quality: r.quality,
          liveness: r.liveness,
          counter: r.counter,
          dims: r.dims,
          template: toHex(new Uint8Array(r.template.buffer, r.template.byteOffset, r.dims)),
          hostNonce: toHex(r.hostNonce),
          signature: toHex(r.signature),
        };
      }
      default:
        return { error: `unknown command ${commandName(cmd) ?? '0x' + cmd.toString(16)}` };
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
