/**
 * palm-hid/1 constants, straight from docs/palm-hid/palm-hid-v1.md. Section numbers in
 * comments refer to that document.
 */

export const PROTOCOL_VERSION = 1;
/** §1: vendor-defined usage page and usage; reference vendor/product ids. */
export const USAGE_PAGE = 0xff50;
export const USAGE = 0x01;
export const REFERENCE_VENDOR_ID = 0x1209;
export const REFERENCE_PRODUCT_ID = 0x50a1;

/** §2: reports are 64 bytes; node-hid writes carry a leading report-ID byte 0x00. */
export const REPORT_SIZE = 64;
export const INIT_HEADER = 7;
export const CONT_HEADER = 5;
export const INIT_DATA = REPORT_SIZE - INIT_HEADER; // 57
export const CONT_DATA = REPORT_SIZE - CONT_HEADER; // 59
export const MAX_SEQ = 127;
export const MAX_PAYLOAD = INIT_DATA + (MAX_SEQ + 1) * CONT_DATA; // 7609
export const MSG_TIMEOUT_MS = 500;

/** §3 */
export const BROADCAST_CID = 0xffffffff;
export const INVALID_CID = 0x00000000;

/** §4: command bytes as they appear on the wire (bit 7 set). */
export const CMD = {
  PING: 0x81,
  INIT: 0x86,
  INFO: 0x90,
  CAPTURE: 0x91,
  CANCEL: 0x92,
  EVENT: 0xa0,
  CAPTURE_RESULT: 0xa1,
  KEEPALIVE: 0xbb,
  ERROR: 0xbf,
} as const;
export type CommandName = keyof typeof CMD;

const CMD_NAMES = new Map<number, CommandName>(
  Object.entries(CMD).map(([k, v]) => [v, k as CommandName]),
);
export function commandName(cmd: number): CommandName | null {
  return CMD_NAMES.get(cmd) ?? null;
}

export const CAPTURE_MODE = { IDENTIFY: 0x01, ENROLL: 0x02 } as const;
export type CaptureModeName = 'identify' | 'enroll';
export const CAPTURE_TIMEOUT_MIN_MS = 500;
export const CAPTURE_TIMEOUT_MAX_MS = 30_000;
export const HOST_NONCE_BYTES = 16;
export const INIT_NONCE_BYTES = 8;

/** §4 capability bits. */
export const CAPABILITY = { LIVENESS: 0x01, SIGNED_CAPTURES: 0x02, GUIDANCE_EVENTS: 0x04 } as const;

/** §4 EVENT codes: guidance for the customer. */
export const EVENT_CODES = {
  HAND_DETECTED: 0x01,
  MOVE_CLOSER: 0x02,
  MOVE_AWAY: 0x03,
  HOLD_STILL: 0x04,
  CENTER_HAND: 0x05,
  CAPTURING: 0x06,
  HAND_REMOVED: 0x07,
} as const;
export type GuidanceEvent = keyof typeof EVENT_CODES;
const EVENT_NAMES = new Map<number, GuidanceEvent>(
  Object.entries(EVENT_CODES).map(([k, v]) => [v, k as GuidanceEvent]),
);
export function guidanceEventName(code: number): GuidanceEvent | null {
  return EVENT_NAMES.get(code) ?? null;
}

export const HAND = { UNKNOWN: 0, LEFT: 1, RIGHT: 2 } as const;
export type HandName = 'unknown' | 'left' | 'right';
export function handName(b: number): HandName | null {
  return b === 0 ? 'unknown' : b === 1 ? 'left' : b === 2 ? 'right' : null;
}

export const KEEPALIVE_STATUS = { WAITING: 0x01, PROCESSING: 0x02 } as const;
/** §4: a device sends KEEPALIVE at least this often while a capture is pending. */
export const KEEPALIVE_MAX_INTERVAL_MS = 200;

/** §6 error codes. */
export const ERROR_CODES = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  INVALID_CHANNEL: 0x0b,
  CAPTURE_TIMEOUT: 0x20,
  CANCELLED: 0x21,
  LIVENESS_FAILED: 0x22,
  QUALITY_TOO_LOW: 0x23,
  SENSOR_FAULT: 0x24,
  OTHER: 0x7f,
} as const;
export type DeviceErrorName = keyof typeof ERROR_CODES;
const ERROR_NAMES = new Map<number, DeviceErrorName>(
  Object.entries(ERROR_CODES).map(([k, v]) => [v, k as DeviceErrorName]),
);
/** Unknown error bytes map to OTHER: a newer firmware's code must not crash an older host. */
export function deviceErrorName(code: number): DeviceErrorName {
  return ERROR_NAMES.get(code) ?? 'OTHER';
}

/** §5 */
export const TEMPLATE_FORMAT_PT1 = 0x01;
export const PT1_TEMPLATE_DIMS = 512;
export const SIGNATURE_BYTES = 64;
export const PUBLIC_KEY_BYTES = 65;
