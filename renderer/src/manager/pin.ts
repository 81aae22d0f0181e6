import type { TerminalDatabase } from '../db/database';
import { sha256Hex } from '../sync/encoding';
import { cloudStoreSettings } from '../sync/pull';

/** Until the store's settings arrive from the cloud, the demo's documented PIN opens the view. */
export const DEMO_MANAGER_PIN = '1234';
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCKOUT_MS = 30_000;

/** Checks a PIN against the store's salted SHA-256 from the cloud (the PIN itself never syncs). */
export async function checkManagerPin(db: TerminalDatabase, pin: string): Promise<boolean> {
  const settings = await cloudStoreSettings(db);
  if (!settings) return pin === DEMO_MANAGER_PIN;
  const digest = await sha256Hex(`${settings.managerPin.salt}:${pin}`);
  // Constant-time compare: the digest is not secret, but habits are cheap.
  let diff = digest.length ^ settings.managerPin.sha256.length;
  for (let i = 0; i < digest.length; i++)
    diff |= digest.charCodeAt(i) ^ (settings.managerPin.sha256.charCodeAt(i) || 0);
  return diff === 0;
}

/** Five wrong PINs lock the gate for 30 s (NIST SP 800-63B style throttling). */
export class PinThrottle {
  private failures = 0;
  private lockedUntil = 0;
  constructor(private readonly now: () => number = Date.now) {}

  lockedFor(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  triesLeft(): number {
    return MAX_PIN_FAILURES - this.failures;
  }

  record(ok: boolean): void {
    if (ok) {
      this.failures = 0;
      return;
    }
    this.failures += 1;
    if (this.failures >= MAX_PIN_FAILURES) {
      this.failures = 0;
      this.lockedUntil = this.now() + PIN_LOCKOUT_MS;
    }
  }
}
