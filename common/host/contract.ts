import type { Money } from '../money';

/**
 * The terminal-host contract: everything the renderer may ask of the hardware side. `native/`
 * implements it; Electron carries it over validated IPC, browser mode over a local WebSocket.
 * The renderer only ever sees this interface and cannot tell which shell carries it.
 */
export interface TerminalHost {
  getInfo(): Promise<HostInfo>;
  card: {
    /** Ask the card terminal to take a payment; resolves once the terminal has acknowledged. */
    begin(req: CardBeginRequest): Promise<CardPaymentUpdate>;
    /** Customer or cashier cancels; the payment ends as `cancelled` unless already final. */
    cancel(req: PaymentRef): Promise<void>;
    /** Latest known state of a payment (lets the lane recover after a reload), or null. */
    status(req: PaymentRef): Promise<CardPaymentUpdate | null>;
  };
  drawer: {
    open(): Promise<DrawerState>;
  };
  printer: {
    print(req: PrintRequest): Promise<void>;
  };
  /** Present only in development and test builds, and only when devices are emulated. */
  emulator: {
    presentCard(req: { pan: string }): Promise<void>;
    /** The customer presses Cancel on the card terminal's own keypad. */
    cardCustomerCancel(): Promise<void>;
    closeDrawer(): Promise<void>;
    setCardTerminalResponsive(req: { responsive: boolean }): Promise<void>;
  };
  onEvent(listener: (event: HostEvent) => void): () => void;
}

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

export interface HostInfo {
  readonly shell: ShellKind;
  readonly appVersion: string;
  readonly terminalId: string;
  readonly emulatorControls: boolean;
  readonly devices: HostDevices;
}

export interface PaymentRef {
  readonly paymentId: string;
}

export interface CardBeginRequest extends PaymentRef {
  readonly amount: Money;
}

export const CARD_FINAL_STATES = ['approved', 'declined', 'cancelled', 'timed-out', 'failed'] as const;
export type CardPaymentState =
  | 'waiting-for-card'
  | 'processing'
  | (typeof CARD_FINAL_STATES)[number];

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

export function isFinalCardState(state: CardPaymentState): boolean {
  return (CARD_FINAL_STATES as readonly string[]).includes(state);
}

export interface PrintRequest {
  readonly receiptNo: string;
  readonly lines: readonly string[];
}

export type HostEvent =
  | { readonly type: 'card'; readonly update: CardPaymentUpdate }
  | { readonly type: 'drawer'; readonly state: DrawerState }
  | { readonly type: 'devices'; readonly devices: HostDevices };

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
  | 'INTERNAL';

export class HostError extends Error {
  readonly code: HostErrorCode;
  constructor(code: HostErrorCode, message: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
  }
}
