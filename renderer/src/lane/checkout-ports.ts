import type { CheckoutTender } from '../../../common/checkout/types';
import type { PalmPorts } from '../../../common/checkout/ports';
import type { Tender } from '../../../common/sale';
import type { AppServices } from '../app-context';
import { clearDraft, completeSale, loadDraft, recordCardDecline, saveDraft } from '../db/sales';
import type { CheckoutPorts } from './checkout-driver';
import { printReceipt } from './print';

/**
 * The lane's ports: the host (card terminal, scanner, drawer, printer) from app-context, and
 * the Dexie functions in db/sales.ts. Services are read at call time (`app()`), so a sync engine
 * that appears later is used without restarting the checkout.
 */
export function lanePorts(app: () => AppServices, palm: PalmPorts | null): CheckoutPorts {
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
      };
    },
    saveDraft: (draft) => saveDraft(app().db, draft),
    clearDraft: () => clearDraft(app().db),
    commitSale(c) {
      const a = app();
      return completeSale(a.db, {
        saleId: c.saleId,
        startedAt: c.startedAt,
        cart: c.cart,
        tenders: c.tenders.map(saleTender),
        ageCheckedFor: c.ageCheckedFor,
        terminalId: a.terminalId,
        laneCode: a.settings.laneCode,
        locale: a.profile.locale,
        tax: a.profile.tax,
      });
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
      capture: (req) => app().host.scanner.capture(req),
      cancel: () => app().host.scanner.cancel(),
    },
    openDrawer: () => app().host.drawer.open(),
    printReceipt: (sale) => printReceipt(app(), sale),
    nudgeSync: () => app().syncEngine?.nudge(), // push it now rather than at the next poll
    palm,
    report: (message, error) => console.error(`checkout: ${message}`, error),
  };
}

/**
 * The sale record (common/sale.ts, the sync protocol) has no palm tender yet: the palm-pay work
 * adds it with its receipt line. Until then a palm tender is refused here rather than written
 * as something it is not; the app never offers palm (no palm ports are wired).
 */
function saleTender(t: CheckoutTender): Tender {
  if (t.kind === 'palm') throw new Error('Palm tenders cannot be recorded by this build');
  return t;
}
