import type {
  WalletAuthorization,
  WalletCancelResult,
  WalletPorts,
} from '../../../common/checkout/ports';
import type { WalletCancelOutcome, WalletOutcome } from '../../../common/sync/wallet';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError, type FetchLike, type Signer } from '../sync/client';
import { loadIdentity } from '../sync/identity';

/**
 * The wallet tender through the lane's store cloud, signed with the lane's key. Offline — the
 * browser says so, or the lane is not connected — it refuses at once, before anything is sent,
 * so nothing can have been charged and the cashier offers another tender. Once a request has
 * gone out, a lost answer is a rejection: the machine asks again under the same key, or
 * cancels it at the cloud before another tender.
 */
export const WALLET_TIMEOUT_MS = 10_000;

export function walletCloud(
  db: TerminalDatabase,
  o: { online?: () => boolean; fetch?: FetchLike; timeoutMs?: number } = {},
): WalletPorts {
  const online = o.online ?? (() => navigator.onLine);
  let cached: { terminalId: string; signer: Signer; url: string } | null = null;
  async function signer(): Promise<{ signer: Signer; url: string } | null> {
    const id = await loadIdentity(db);
    if (!id) return null;
    if (cached?.terminalId !== id.terminalId)
      cached = {
        terminalId: id.terminalId,
        url: id.cloudUrl,
        signer: { terminalId: id.terminalId, privateKey: id.privateKey, clockOffsetMs: 0 },
      };
    return cached;
  }
  async function call<T>(run: (c: CloudClient, s: Signer) => Promise<T>): Promise<T | null> {
    const s = await signer();
    if (!s) return null;
    const client = new CloudClient({
      baseUrl: s.url,
      timeoutMs: o.timeoutMs ?? WALLET_TIMEOUT_MS,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(client, s.signer);
      } catch (e) {
        // Our clock is off: the answer carried the cloud's; sign with it once more.
        if (
          e instanceof SyncError &&
          (e.answer === 'clock' || e.answer === 'replayed') &&
          attempt === 0
        )
          continue;
        throw e;
      }
    }
  }

  const asAuthorization = (o: WalletOutcome): WalletAuthorization =>
    o.status === 'approved'
      ? {
          kind: 'approved',
          tender: {
            kind: 'wallet',
            amount: o.amount,
            paymentId: o.paymentId,
            wallet: o.wallet,
            codeLast4: o.codeLast4,
            authCode: o.authCode,
          },
        }
      : { kind: 'declined', reason: o.reason };

  return {
    async authorize(req) {
      if (!online()) return { kind: 'refused-offline', reason: 'WALLET_OFFLINE' };
      const outcome = await call((c, s) =>
        c.walletPayment(s, {
          paymentId: req.paymentId,
          saleId: req.saleId,
          amount: req.amount,
          lines: [...req.lines],
          ...(req.paidBefore.length > 0 ? { paidBefore: [...req.paidBefore] } : {}),
          code: req.code,
        }),
      );
      if (!outcome) return { kind: 'refused-offline', reason: 'WALLET_OFFLINE' };
      if (outcome.paymentId !== req.paymentId)
        throw new Error(`the cloud answered for payment ${outcome.paymentId}`);
      return asAuthorization(outcome);
    },
    async cancel(paymentId): Promise<WalletCancelResult> {
      const outcome: WalletCancelOutcome | null = await call((c, s) =>
        c.cancelWalletPayment(s, paymentId),
      );
      // Not connected: nothing was ever sent under this id.
      if (!outcome || outcome.status === 'cancelled') return { kind: 'cancelled' };
      const r = asAuthorization(outcome);
      return r.kind === 'approved' ? r : { kind: 'declined', reason: r.reason };
    },
  };
}
