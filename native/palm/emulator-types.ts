import type { DeviceErrorName } from '../../common/palm-hid/constants';
import type { Population, PopulationParams } from '../../common/palm/population';

/** The emulated scanner's options, its scripted palm, and what it counts (native/palm/emulator.ts). */
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

export interface PendingCapture {
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
