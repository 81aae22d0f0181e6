import type { PalmRefundOutcome, PalmRefundRequest } from '../../../common/sync/palm-refunds';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError } from '../sync/client';
import { loadIdentity } from '../sync/identity';

/** Why a palm refund did not go back: the cloud is out of reach, or it refused (with why). */
export class PalmRefundError extends Error {
  constructor(
    readonly kind: 'offline' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'PalmRefundError';
  }
}

/**
 * A palm refund through the store cloud (`POST /v1/palm-refunds`, signed with the lane's key):
 * the processor is behind the cloud, so the lane asks and the cloud sends the money back. The
 * refund id is the idempotency key, so asking again after a lost answer never pays twice.
 */
export async function palmRefund(
  db: TerminalDatabase,
  req: PalmRefundRequest,
  timeoutMs = 15_000,
): Promise<string> {
  const id = await loadIdentity(db);
  if (!id || !navigator.onLine)
    throw new PalmRefundError('offline', 'the store cloud is not reachable');
  const client = new CloudClient({ baseUrl: id.cloudUrl, timeoutMs });
  const signer = { terminalId: id.terminalId, privateKey: id.privateKey, clockOffsetMs: 0 };
  for (let attempt = 0; ; attempt++) {
    let outcome: PalmRefundOutcome;
    try {
      outcome = await client.palmRefund(signer, req);
    } catch (e) {
      if (!(e instanceof SyncError)) throw e;
      if ((e.answer === 'clock' || e.answer === 'replayed') && attempt === 0) continue;
      if (['network', 'unreadable', 'busy', 'server'].includes(e.answer))
        throw new PalmRefundError('offline', e.message);
      throw new PalmRefundError('refused', e.message);
    }
    if (outcome.status === 'refused') throw new PalmRefundError('refused', outcome.message);
    return outcome.processorRef;
  }
}
