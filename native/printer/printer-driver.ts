import type { DeviceKind } from '../../common/host/contract';

/**
 * How bytes reach a printer: a network socket (raw TCP 9100), a USB bulk pipe, or the emulator.
 * A driver opens a link for one job; the link writes bytes and reads the printer's answers to
 * real-time status requests. Everything ESC/POS (what to send, what the answers mean) lives
 * above it, in EscPosPrinter, so a new transport is only these three calls.
 */
export interface PrinterDriver {
  readonly kind: DeviceKind;
  /** For the status bar and diagnostics: "TCP 192.0.2.7:9100", "USB 04b8:0202". */
  readonly model: string;
  /** Rejects with HostError DEVICE_OFFLINE when the printer cannot be reached. */
  open(): Promise<PrinterLink>;
}

export interface PrinterLink {
  /** Resolves once the transport has taken the bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** The next `n` bytes from the printer, or null if they did not come within `timeoutMs`. */
  read(n: number, timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

/** What DLE EOT 1, 2 and 4 report (Epson ESC/POS; Star and others in ESC/POS mode agree). */
export interface PrinterRealtimeStatus {
  readonly offline: boolean;
  readonly coverOpen: boolean;
  readonly paperOut: boolean;
  readonly paperNearEnd: boolean;
  readonly error: boolean;
  /** The drawer kick connector's pin 3 (the drawer's open/closed switch, where it has one). */
  readonly drawerPin3High: boolean;
}

/** A status byte always has bits 1 and 4 set and bits 0 and 7 clear. */
export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

export function parseRealtimeStatus(
  printer: number,
  offlineCause: number,
  paper: number,
): PrinterRealtimeStatus {
  return {
    offline: (printer & 0x08) !== 0,
    drawerPin3High: (printer & 0x04) !== 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (offlineCause & 0x20) !== 0 || (paper & 0x60) === 0x60,
    error: (offlineCause & 0x40) !== 0,
    paperNearEnd: (paper & 0x0c) === 0x0c,
  };
}

/** The bytes a printer in this state answers to DLE EOT 1, 2, 4 (the emulator and tests). */
export function realtimeStatusBytes(s: Partial<PrinterRealtimeStatus>): [number, number, number] {
  return [
    0x12 | (s.offline ? 0x08 : 0) | (s.drawerPin3High ? 0x04 : 0),
    0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0),
    0x12 | (s.paperNearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0),
  ];
}
