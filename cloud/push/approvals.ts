import type { PushContext } from './context';
import { Rejection } from './context';

/**
 * Voids, refunds, pay-outs and closing a till need a manager: the mutation names who approved
 * it, and that person must be an active manager of this lane's store. The lane checked their
 * passcode against the store's verifier before it wrote the mutation; the cloud holds it to a
 * real manager of the right store, so a lane cannot name an attendant, a disabled manager, a
 * stranger or another store's manager (docs/cloud.md says what this does not prove).
 */
export async function requireManager(
  pc: PushContext,
  staffId: string | undefined,
  what: string,
): Promise<string> {
  if (!staffId) throw new Rejection(`${what} needs a manager's approval`);
  const r = await pc.tx.query<{ role: string }>(
    'SELECT role FROM staff WHERE store_id = $1 AND id = $2 AND disabled_at IS NULL',
    [pc.terminal.storeId, staffId],
  );
  if (r.rows[0]?.role !== 'manager') {
    throw new Rejection(`${what}: ${staffId} is not an active manager of this store`);
  }
  return staffId;
}
