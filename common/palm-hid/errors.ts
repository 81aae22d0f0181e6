import type { DeviceErrorName } from './constants';

/**
 * Everything that can go wrong talking to a scanner, as one typed error. Device codes are the
 * spec's §6 names; the rest arise on the host side.
 */
export type PalmHidErrorCode =
  | DeviceErrorName
  /** Bytes that do not parse as the message they claim to be. */
  | 'MALFORMED'
  /** The device did not answer a request within its timeout. */
  | 'TIMEOUT'
  /** The scanner was unplugged or its transport closed. */
  | 'DISCONNECTED'
  /** No scanner is attached. */
  | 'NO_DEVICE'
  /** INIT answered with a nonce other than ours. */
  | 'NONCE_MISMATCH'
  /** A capture whose signature, nonce or counter failed: never delivered. */
  | 'CAPTURE_REJECTED'
  /** The scanner's attestation key is pinned but not yet approved by a manager. */
  | 'KEY_PENDING'
  /** The scanner presents a different key from the one pinned for its serial. */
  | 'KEY_MISMATCH'
  /** The host itself has a capture in progress (one at a time per scanner). */
  | 'BUSY'
  /** The device answered with something the protocol does not allow at this point. */
  | 'PROTOCOL';

export class PalmHidError extends Error {
  readonly code: PalmHidErrorCode;
  constructor(code: PalmHidErrorCode, message: string) {
    super(message);
    this.name = 'PalmHidError';
    this.code = code;
  }
}

export function isPalmHidError(e: unknown, code?: PalmHidErrorCode): e is PalmHidError {
  return e instanceof PalmHidError && (code === undefined || e.code === code);
}
