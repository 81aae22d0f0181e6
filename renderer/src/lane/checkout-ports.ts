import type { AppServices } from '../app-context';
import { recordPalmAudit } from '../db/palm-audit';
import { clearDraft, completeSale, loadDraft, recordCardDecline, saveDraft } from '../db/sales';
import type { LanePalmPorts } from '../palm-pay/palm-ports';
import { markPalm, timedPalm } from '../palm-pay/timing';
import type { CheckoutPorts } from './checkout-driver';
import { walletCloud } from '../wallet/wallet-cloud';
import { printReceipt } from './print';

/**
 * The lane's ports: the host (card terminal, scanner, drawer, printer) from app-context, and
 * the Dexie functions in db/sales.ts. Services are read at call time (`app()`), so a sync engine
 * that appears later is used without restarting the checkout.
 */
export function lanePorts(app: () => AppServices, palm: LanePalmPorts | null): CheckoutPorts {
  return {
    async loadDraft() {
      const d = await loadDraft(app().db);
      if (!d) return null;
      return {
        saleId: d.saleId,
        startedAt: d.startedAt,
        cart: d.cart,
        ageCheckedFor: d.ageCheckedFor,
        ...(d.pendingCardPaymentId ? { pendingCardPaymentId: d.pendingCardPaymentId } : {}),
        ...(d.pendingPalmPaymentId ? { pendingPalmPaymentId: d.pendingPalmPaymentId } : {}),
        ...(d.pendingWalletPaymentId ? { pendingWalletPaymentId: d.pendingWalletPaymentId } : {}),
        ...(d.paidCash && d.paidCash.length > 0 ? { paidCash: d.paidCash } : {}),
      };
    },
    saveDraft: (draft) => saveDraft(app().db, draft),
    clearDraft: () => clearDraft(app().db),
    commitSale(c) {
      const a = app();
      const palmSale = c.tenders.some((t) => t.kind === 'palm');
      const commit = () =>
        completeSale(a.db, {
          saleId: c.saleId,
          startedAt: c.startedAt,
          cart: c.cart,
          tenders: c.tenders,
          ageCheckedFor: c.ageCheckedFor,
          palmAgeVerifiedFor: c.palmAgeVerifiedFor,
          // A palm payment stored offline is forwarded in the sale's own transaction.
          storedPayments: c.tenders.flatMap((t) =>
            t.kind === 'palm' && t.stored ? [storedPayment(palm, t)] : [],
          ),
          terminalId: a.terminalId,
          laneCode: a.settings.laneCode,
          locale: a.profile.locale,
          tax: a.profile.tax,
        });
      return palmSale ? timedPalm('commit-start', 'committed', commit) : commit();
    },
    recordCardDecline: (c) =>
      recordCardDecline(app().db, {
        saleId: c.saleId,
        paymentId: c.paymentId,
        reason: c.reason,
        amount: c.amount.amount,
        currency: c.amount.currency,
      }),
    card: {
      begin: (req) => app().host.card.begin(req),
      cancel: (req) => app().host.card.cancel(req),
      status: (req) => app().host.card.status(req),
    },
    scanner: {
      capture: (req) => {
        palm?.prepare(); // offline, the limit figures are read while the shopper hovers
        return app()
          .host.scanner.capture(req)
          .then((c) => {
            markPalm('captured');
            return c;
          });
      },
      cancel: () => app().host.scanner.cancel(),
    },
    openDrawer: () => app().host.drawer.open(),
    printReceipt: (sale) => printReceipt(app(), sale),
    // Push it now rather than at the next poll — once the receipt is painted, so the push (its
    // signing, its outbox writes and the live queries they wake) never delays "Paid" on screen.
    nudgeSync: () => requestAnimationFrame(() => setTimeout(() => app().syncEngine?.nudge(), 0)),
    palm,
    wallet: walletCloud(app().db),
    auditPalm: (events) => recordPalmAudit(app().db, events),
    report: (message, error) => console.error(`checkout: ${message}`, error),
  };
}

function storedPayment(
  palm: LanePalmPorts | null,
  t: Parameters<LanePalmPorts['storedPayment']>[0],
) {
  if (!palm) throw new Error('a stored palm payment needs the palm ports that stored it');
  return palm.storedPayment(t);
}
