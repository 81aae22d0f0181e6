import type { Money } from '../money';
import type { PrintDocument } from '../printer/document';
import type { HostMethodsApi } from './methods';

/**
 * The terminal-host contract: everything the renderer may ask of the hardware side. `native/`
 * implements it; Electron carries it over validated IPC, browser mode over a local WebSocket.
 * The renderer only ever sees this interface and cannot tell which shell carries it.
 *
 * What the renderer holds: one function per method of the table in ./methods.ts (argument
 * schemas, answers and notes live there), plus the device events.
 */
export type TerminalHost = HostMethodsApi & {
  onEvent(listener: (event: HostEvent) => void): () => void;
};

export type ShellKind = 'electron' | 'browser';
export type DeviceKind = 'emulator' | 'hardware';
export type DeviceState = 'ready' | 'busy' | 'offline' | 'fault';

export interface DeviceStatus {
  readonly kind: DeviceKind;
  readonly model: string;
  readonly state: DeviceState;
}

export type DrawerState = 'closed' | 'open' | 'left-open';

export interface HostDevices {
  readonly card: DeviceStatus;
  readonly drawer: DeviceStatus & { readonly drawer: DrawerState };
  readonly printer: DeviceStatus;
}

export type LaneType = 'attended' | 'self';

export interface HostInfo {
  readonly shell: ShellKind;
  readonly appVersion: string;
  readonly terminalId: string;
  readonly emulatorControls: boolean;
  /** Attended (a cashier's lane) or self (a shopper's kiosk): the device side's launch option. */
  readonly laneType: LaneType;
  readonly devices: HostDevices;
  /** The store cloud this lane syncs with, and a one-time provisioning code from the launcher. */
  readonly cloud: CloudInfo | null;
}

export interface CloudInfo {
  readonly url: string;
  readonly provisioningCode: string | null;
}

export interface PaymentRef {
  readonly paymentId: string;
}

export interface CardBeginRequest extends PaymentRef {
  readonly amount: Money;
}

export const CARD_FINAL_STATES = [
  'approved',
  'declined',
  'cancelled',
  'timed-out',
  'failed',
] as const;
export type CardPaymentState =
  'waiting-for-card' | 'processing' | (typeof CARD_FINAL_STATES)[number];

export const DECLINE_REASONS = [
  'generic_decline',
  'insufficient_funds',
  'expired_card',
  'incorrect_pin',
  'processing_error',
  'card_not_supported',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface CardPaymentUpdate {
  readonly paymentId: string;
  readonly state: CardPaymentState;
  readonly amount: Money;
  readonly reason?: DeclineReason;
  readonly authCode?: string;
  readonly brand?: string;
  readonly last4?: string;
}

/**
 * A referenced refund: money sent back to the card a payment was taken from, with no card
 * present. `refundId` is its idempotency key: asking again answers the first outcome.
 */
export interface CardRefundResult {
  readonly refundId: string;
  readonly paymentId: string;
  readonly state: 'approved' | 'declined';
  readonly amount: Money;
  /** The terminal's or processor's reference for the refund (approved only). */
  readonly refundRef?: string;
  readonly reason?: string;
}

/**
 * Saving a card for later (enrolment): the card terminal reads the card and has the processor
 * set it up for off-session use (as Stripe Terminal's reader confirms a SetupIntent), and answers
 * only a setup reference the cloud exchanges for a reusable token, with the brand and last four
 * digits to show. No card number leaves the terminal.
 */
export type CardSetupOutcome =
  | {
      readonly setupId: string;
      readonly state: 'saved';
      readonly setupRef: string;
      readonly brand: string;
      readonly last4: string;
    }
  | {
      readonly setupId: string;
      readonly state: 'declined';
      readonly reason: DeclineReason;
      readonly brand?: string;
      readonly last4?: string;
    }
  | { readonly setupId: string; readonly state: 'cancelled' | 'timed-out' };

export function isFinalCardState(state: CardPaymentState): boolean {
  return (CARD_FINAL_STATES as readonly string[]).includes(state);
}

export interface PrintRequest {
  /** Composed by the lane, laid out and encoded as ESC/POS by the host (native/printer/). */
  readonly document: PrintDocument;
}

/** A job the emulated printer received: its ESC/POS bytes as sent, for the emulator's paper view. */
export interface PrintedJob {
  readonly id: number;
  readonly title: string;
  readonly at: string;
  /** The bytes, base64. */
  readonly escpos: string;
}

export type PrinterFault = 'none' | 'paper-out' | 'cover-open' | 'offline';

/**
 * What the host tells a technician (support.diagnostics): versions, device states, where the
 * logs are and the last problems they recorded. No personal data: no card numbers, templates,
 * receipts, provisioning codes or tokens, no home folder in a path.
 */
export interface HostDiagnostics {
  readonly generatedAt: string;
  readonly shell: ShellKind;
  readonly appVersion: string;
  readonly terminalId: string;
  readonly runtime: {
    readonly node: string;
    readonly electron: string | null;
    readonly chrome: string | null;
    readonly platform: string;
    readonly arch: string;
    readonly osRelease: string;
  };
  readonly uptimeSeconds: number;
  readonly devices: HostDevices;
  readonly printerLastError: { readonly code: string; readonly at: string } | null;
  readonly scanner: Omit<ScannerStatus, 'publicKey'>;
  readonly cloudOrigin: string | null;
  readonly logs: {
    readonly dir: string | null;
    readonly recentProblems: readonly {
      readonly at: string;
      readonly level: string;
      readonly msg: string;
      readonly code?: string;
      readonly method?: string;
      readonly device?: string;
    }[];
  };
}

export type HostEvent =
  | { readonly type: 'scanner'; readonly event: ScannerEvent }
  | { readonly type: 'card'; readonly update: CardPaymentUpdate }
  | { readonly type: 'drawer'; readonly state: DrawerState }
  | { readonly type: 'devices'; readonly devices: HostDevices }
  /** Only from the emulated printer: what it just received. */
  | { readonly type: 'printed'; readonly job: PrintedJob };

/** Errors the host reports; the renderer maps each code to a message in the cashier's language. */
export type HostErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_METHOD'
  | 'NOT_ALLOWED'
  | 'DEVICE_BUSY'
  | 'DEVICE_NOT_RESPONDING'
  | 'DEVICE_OFFLINE'
  | 'UNKNOWN_PAYMENT'
  | 'TRANSPORT_CLOSED'
  | 'TIMEOUT'
  | 'INTERNAL'
  // receipt printer
  | 'PAPER_OUT'
  | 'COVER_OPEN'
  // palm scanner
  | 'CAPTURE_TIMEOUT'
  | 'CAPTURE_CANCELLED'
  | 'LIVENESS_FAILED'
  | 'QUALITY_TOO_LOW'
  | 'SENSOR_FAULT'
  | 'CAPTURE_REJECTED'
  | 'SCANNER_KEY_PENDING'
  | 'SCANNER_KEY_MISMATCH';

export class HostError extends Error {
  readonly code: HostErrorCode;
  constructor(code: HostErrorCode, message: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
  }
}

// ── palm scanner (palm-hid/1) ──────────────────────────────────────────────────────────

/** absent: none attached · connecting: handshake · fault: attached but out of order. */
export type ScannerState = 'absent' | 'connecting' | 'ready' | 'capturing' | 'fault';
/** Attestation key: pinned on first sight, `pending` until a manager approves it. */
export type ScannerKeyState = 'pending' | 'approved' | 'mismatch';

export interface ScannerStatus {
  readonly state: ScannerState;
  readonly kind: DeviceKind | null;
  readonly model: string | null;
  readonly serial: string | null;
  /** "major.minor.build" */
  readonly firmware: string | null;
  readonly keyState: ScannerKeyState | null;
  /** First 16 hex digits of SHA-256 over the SEC1 public key, for the manager to compare. */
  readonly keyFingerprint: string | null;
  /** The attestation public key, SEC1 uncompressed in lower-case hex (what the cloud approves). */
  readonly publicKey: string | null;
  /** Captures refused (bad signature, wrong nonce, replayed counter) since the host started. */
  readonly rejectedCaptures: number;
  /** Why the scanner is in `fault` (or the last error that ended a capture), else null. */
  readonly lastError: HostErrorCode | null;
}

export type ScannerCaptureMode = 'identify' | 'enroll';

export interface ScannerCaptureRequest {
  readonly mode: ScannerCaptureMode;
  /** 500..30000 ms (palm-hid §4). */
  readonly timeoutMs: number;
}

export type ScannerHand = 'left' | 'right' | 'unknown';

/** A capture whose signature, nonce and counter have been checked. Never contains an image. */
export interface VerifiedCapture {
  readonly format: 'PT1';
  /** PT1 template: 512 integers −127..127. */
  readonly template: number[];
  readonly quality: number;
  readonly liveness: number;
  readonly hand: ScannerHand;
  readonly counter: number;
  readonly scannerSerial: string;
  readonly mode: ScannerCaptureMode;
  /**
   * The whole CAPTURE_RESULT exactly as the scanner signed it (palm-hid §5), base64url: what
   * travels to the cloud with a palm payment, which verifies it against the store's approved key
   * for the serial and re-matches the template inside it. The lane never edits it.
   */
  readonly signed: string;
}

export type ScannerGuidance =
  | 'HAND_DETECTED'
  | 'MOVE_CLOSER'
  | 'MOVE_AWAY'
  | 'HOLD_STILL'
  | 'CENTER_HAND'
  | 'CAPTURING'
  | 'HAND_REMOVED';

export type CaptureRejectReason = 'bad-signature' | 'nonce-mismatch' | 'replay';

export type ScannerEvent =
  | { readonly kind: 'status'; readonly status: ScannerStatus }
  | { readonly kind: 'guidance'; readonly guidance: ScannerGuidance; readonly hand: ScannerHand }
  | { readonly kind: 'error'; readonly code: HostErrorCode; readonly message: string }
  | { readonly kind: 'capture-rejected'; readonly reason: CaptureRejectReason };

export interface EmulatorPalm {
  /** Subject index in the emulator's synthetic population. */
  readonly identity: number;
  /** 0..100 */
  readonly quality: number;
  /** 0..100; below the emulator's threshold (50) the capture fails liveness. */
  readonly liveness: number;
  readonly hand?: 'left' | 'right';
  /** Hover to result, 300..800 ms on a real device; the emulator's default is 500. */
  readonly hoverMs?: number;
}
