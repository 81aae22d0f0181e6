import type { PaymentCancelOutcome, PaymentOutcome } from '../../../common/sync/payments';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError, type FetchLike, type Signer } from '../sync/client';
import { loadIdentity, type SyncIdentity } from '../sync/identity';
import { CloudUnreachable, type PaymentCloud } from './palm-ports';

/**
 * Palm payments through the lane's store cloud, signed with the lane's own key like every sync
 * request. `budgetMs` bounds a payment request: past it the lane stores the payment (offline
 * store-and-forward) rather than keep the shopper waiting; the same paymentId sent again, or
 * cancelled, gets the cloud's first outcome, so a late answer never charges twice.
 */
export const DEFAULT_PAYMENT_BUDGET_MS = 1500;

/** How long an identity read when the scanner was armed serves the payment that follows. */
const EARLY_MS = 30_000;

/** Answers that say nothing about the payment: the lane cannot reach a decision-maker. */
const UNREACHABLE = new Set(['network', 'unreadable', 'busy', 'server']);

export function paymentCloud(
  db: TerminalDatabase,
  o: { budgetMs?: number; cancelTimeoutMs?: number; fetch?: FetchLike } = {},
): PaymentCloud {
  // One signer per identity, so the cloud's clock learned from one answer serves the next.
  let cached: { terminalId: string; signer: Signer; url: string } | null = null;
  // Read when the scanner is armed, for the one payment that follows: an IndexedDB read off the
  // path from the palm's capture to "Paid". A failed read, or one older than EARLY_MS (the lane
  // may have been disconnected since), is read again then.
  let early: { read: Promise<SyncIdentity | null>; at: number } | null = null;
  async function signer(): Promise<{ signer: Signer; url: string }> {
    const read = early && Date.now() - early.at < EARLY_MS ? early.read : null;
    early = null;
    const id = await (read ? read.catch(() => loadIdentity(db)) : loadIdentity(db));
    if (!id) throw new CloudUnreachable('this lane is not connected to a store cloud');
    if (cached?.terminalId !== id.terminalId)
      cached = {
        terminalId: id.terminalId,
        url: id.cloudUrl,
        signer: { terminalId: id.terminalId, privateKey: id.privateKey, clockOffsetMs: 0 },
      };
    return cached;
  }

  async function call<T>(timeoutMs: number, run: (c: CloudClient, s: Signer) => Promise<T>) {
    const { signer: s, url } = await signer();
    const client = new CloudClient({
      baseUrl: url,
      timeoutMs,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(client, s);
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        // Our clock is off: the answer carried the cloud's; sign with it once more.
        if ((e.answer === 'clock' || e.answer === 'replayed') && attempt === 0) continue;
        if (UNREACHABLE.has(e.answer)) throw new CloudUnreachable(e.message);
        throw e;
      }
    }
  }

  return {
    prepare(): void {
      early = { read: loadIdentity(db), at: Date.now() };
      early.read.catch(() => undefined); // read again when it is needed
    },
    pay: (req): Promise<PaymentOutcome> =>
      call(o.budgetMs ?? DEFAULT_PAYMENT_BUDGET_MS, (c, s) => c.payment(s, req)),
    cancel: (paymentId): Promise<PaymentCancelOutcome> =>
      call(o.cancelTimeoutMs ?? 10_000, (c, s) => c.cancelPayment(s, paymentId)),
  };
}
