import { checkPasscode, type StaffMember, type StaffRole } from '../../../common/staff';
import type { TerminalDatabase } from '../db/database';
import { cloudStoreSettings } from '../sync/pull';

/**
 * The store's people as the lane knows them: the staff list in the store settings the lane last
 * pulled (null before the first pull: an unprovisioned lane knows nobody, and no built-in
 * passcode opens anything).
 */
export async function laneStaff(db: TerminalDatabase): Promise<readonly StaffMember[] | null> {
  const settings = await cloudStoreSettings(db);
  return settings && Array.isArray(settings.staff) ? settings.staff : null;
}

export const withRole = (staff: readonly StaffMember[], role: StaffRole): StaffMember[] =>
  staff.filter((s) => s.role === role);

/** The offline check: the person's PBKDF2 verifier, through Web Crypto (~0.2 s). */
export function checkOffline(member: StaffMember, passcode: string): Promise<boolean> {
  return checkPasscode(member.verifier, passcode);
}
