import os from 'node:os';
import path from 'node:path';
import type { VendorProduct } from './node-hid-backend';

/**
 * Which palm scanner the host drives, from the environment:
 *   PALM_SCANNER        emulator (default) | hid | none
 *   PALM_SCANNER_IDS    extra vendor:product pairs in hex, e.g. "1209:50a1,abcd:0001" (implies hid)
 *   PALM_SCANNER_KEYS   the pinned-key file (default ~/.config/palm-terminal/scanner-keys.json)
 *   PALM_EMULATOR_HOVER_MS, PALM_EMULATOR_SEED   emulator tuning
 *   PALM_EMULATOR_KEY   approved (default: the host trusts its own emulator, and the embedded
 *                       demo cloud records its key as the demo store's approved one) | pending
 *                       (its key waits for a manager's approval like a real scanner's) | host-only
 *                       (the host trusts it, the store is never told: a scanner the store did not
 *                       approve, whose captures the cloud must refuse)
 * A real scanner is any HID device on usage page 0xFF50, the reference ids 0x1209:0x50A1, or a
 * configured pair.
 */
export type ScannerSetup =
  | {
      readonly kind: 'emulator';
      readonly hoverMs?: number;
      readonly seed?: number;
      /** false: the emulator's key waits for a manager's approval (PALM_EMULATOR_KEY=pending). */
      readonly autoApprove?: boolean;
      /**
       * true (PALM_EMULATOR_KEY=approved): the embedded demo cloud approves the emulator's key for
       * the demo store at start, so the demo pays by palm out of the box. Never with CLOUD_URL.
       */
      readonly demoCloudApproves?: boolean;
    }
  | { readonly kind: 'hid'; readonly ids: readonly VendorProduct[]; readonly keyFile: string }
  | { readonly kind: 'none' };

export class ScannerConfigError extends Error {}

export function defaultKeyFile(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME?.trim() || path.join(os.homedir(), '.config');
  return path.join(base, 'palm-terminal', 'scanner-keys.json');
}

export function parseVendorProducts(text: string): VendorProduct[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const m = /^(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})$/i.exec(pair);
      if (!m)
        throw new ScannerConfigError(`“${pair}” is not vendor:product in hex (e.g. 1209:50a1)`);
      return { vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) };
    });
}

function intIn(
  env: Record<string, string | undefined>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const raw = env[key]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ScannerConfigError(
      `${key} must be a whole number from ${min} to ${max} (got “${raw}”)`,
    );
  return n;
}

/** `fallback`: what an unset PALM_SCANNER means (production launches default to real scanners). */
export function scannerSetupFromEnv(
  env: Record<string, string | undefined>,
  fallback: 'emulator' | 'hid' = 'emulator',
): ScannerSetup {
  const mode =
    env.PALM_SCANNER?.trim().toLowerCase() || (env.PALM_SCANNER_IDS?.trim() ? '' : fallback);
  const idsText = env.PALM_SCANNER_IDS?.trim() || '';
  if (mode && !['emulator', 'hid', 'none'].includes(mode)) {
    throw new ScannerConfigError(
      `PALM_SCANNER must be emulator, hid or none (got “${env.PALM_SCANNER}”)`,
    );
  }
  if (mode === 'none') return { kind: 'none' };
  if (mode === 'hid' || (idsText && mode !== 'emulator')) {
    return {
      kind: 'hid',
      ids: parseVendorProducts(idsText),
      keyFile: env.PALM_SCANNER_KEYS?.trim() || defaultKeyFile(env),
    };
  }
  const key = env.PALM_EMULATOR_KEY?.trim().toLowerCase() || 'approved';
  if (!['approved', 'pending', 'host-only'].includes(key))
    throw new ScannerConfigError(
      `PALM_EMULATOR_KEY must be approved, pending or host-only (got “${env.PALM_EMULATOR_KEY}”)`,
    );
  return {
    kind: 'emulator',
    hoverMs: intIn(env, 'PALM_EMULATOR_HOVER_MS', 0, 10_000),
    seed: intIn(env, 'PALM_EMULATOR_SEED', 0, 2 ** 31 - 1),
    autoApprove: key !== 'pending',
    demoCloudApproves: key === 'approved',
  };
}
