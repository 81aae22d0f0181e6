import { activeLines, cartTotals, type Cart } from '../../../common/cart';
import { DomainError } from '../../../common/errors';
import type { Sale, Tender } from '../../../common/sale';
import { checkSale, type SaleFigures } from '../../../common/sale-check';
import type { TaxPolicy } from '../../../common/tax';
import type { MutationPayload } from '../../../common/sync/protocol';
import type { TerminalDatabase } from './database';
import { enqueueMutation, numberMutations, type NewMutation } from './enqueue';
import type { DraftRow } from './schema';
import { storeNow } from './store-clock';
import { COUNTERS_KEY, readCounters } from './settings';

export interface CompleteSaleInput {
  readonly saleId: string;
  readonly startedAt: string;
  readonly cart: Cart;
  readonly tenders: readonly Tender[];
  readonly ageCheckedFor: number;
  readonly terminalId: string;
  readonly laneCode: string;
  readonly locale: string;
  readonly tax: TaxPolicy;
  /** Minimum age a palm shopper's age-verified record covered (0: none); audited with the sale. */
  readonly palmAgeVerifiedFor?: number;
  /**
   * Palm payments stored offline that this sale completes with: each becomes a `payment.stored`
   * mutation in the sale's own transaction, numbered after the sale's (the cloud finds the sale
   * first). Their `storedAt` is the sale's completion time.
   */
  readonly storedPayments?: readonly StoredPaymentInput[];
  readonly now?: Date;
}

export type StoredPaymentInput = Omit<MutationPayload<'payment.stored'>, 'saleId' | 'storedAt'>;

/**
 * The lane writes only sales the cloud will count: the same check the cloud runs on every pushed
 * sale (common/sale-check.ts), so a lane bug is caught at the counter, not in the back office.
 */
function assertSaleAddsUp(sale: SaleFigures, tax: TaxPolicy): void {
  const problem = checkSale(sale, { currency: sale.currency, tax });
  if (problem) {
    throw new DomainError(
      problem.code === 'CASH_TOO_LOW' ? 'CASH_TOO_LOW' : 'SALE_INVALID',
      `The sale cannot be completed: ${problem.message}`,
    );
  }
}

/**
 * Completes a sale: the sale, its outbox mutation and its audit entry are written in ONE
 * transaction (strict durability, set on the database), and the draft is cleared in the same
 * one. Everything is computed before the transaction opens, so nothing inside awaits other I/O.
 * Completing the same sale id twice returns the first record and writes nothing (double taps).
 */
export async function completeSale(db: TerminalDatabase, input: CompleteSaleInput): Promise<Sale> {
  if (activeLines(input.cart).length === 0)
    throw new DomainError('CART_EMPTY', 'The sale has no items');
  const totals = cartTotals(input.cart, input.tax);
  for (const p of input.storedPayments ?? []) {
    const t = input.tenders.find(
      (x) => x.kind === p.method && 'paymentId' in x && x.paymentId === p.paymentId,
    );
    if (!t || t.amount.amount !== p.amount.amount || t.amount.currency !== p.amount.currency)
      throw new DomainError('SALE_INVALID', `stored payment ${p.paymentId} is not a tender of it`);
  }

  // Two round trips to IndexedDB: every read at once, then every write at once (requests in a
  // transaction run in order; waiting for each one in turn cost a round trip per step, ~15 of
  // them for a stored palm payment, the largest share of the commit under load).
  return db.transaction('rw', [db.sales, db.outbox, db.audit, db.settings, db.drafts], async () => {
    const [existing, countersRow, draft, now] = await Promise.all([
      db.sales.get(input.saleId),
      db.settings.get(COUNTERS_KEY),
      db.drafts.get('current'),
      input.now ?? storeNow(db),
    ]);
    const completedAt = now.toISOString();
    // A clock stepped back between the first scan and payment must not stop a sale (the cloud
    // refuses a sale started after it was completed): the sale then starts when it completed.
    const started = Date.parse(input.startedAt);
    const startedAt =
      Number.isNaN(started) || started > Date.parse(completedAt) ? completedAt : input.startedAt;
    assertSaleAddsUp(
      {
        currency: input.cart.currency,
        lines: input.cart.lines,
        totals,
        tenders: input.tenders,
        startedAt,
        completedAt,
      },
      input.tax,
    );
    if (existing) return existing;
    const counters = readCounters(countersRow?.value);
    const sale: Sale = {
      id: input.saleId,
      receiptNo: `${input.laneCode}-${String(counters.nextReceiptNo).padStart(6, '0')}`,
      terminalId: input.terminalId,
      currency: input.cart.currency,
      locale: input.locale,
      lines: input.cart.lines,
      totals,
      tenders: input.tenders,
      ageCheckedFor: input.ageCheckedFor,
      startedAt,
      completedAt,
    };
    const { rows, next } = numberMutations(counters, [
      { kind: 'sale.completed', payload: sale, createdAt: completedAt },
      ...(input.storedPayments ?? []).map((p): NewMutation => ({
        kind: 'payment.stored',
        payload: { ...p, saleId: sale.id, storedAt: completedAt },
        createdAt: completedAt,
      })),
    ]);
    await Promise.all([
      db.sales.add(sale),
      db.outbox.bulkAdd(rows),
      db.audit.add({
        at: completedAt,
        kind: 'sale.completed',
        detail: {
          saleId: sale.id,
          receiptNo: sale.receiptNo,
          total: totals.total.amount,
          currency: sale.currency,
          tenders: input.tenders.map((t) => t.kind).join('+'),
          ...palmAuditDetail(input),
        },
      }),
      db.settings.put({
        key: COUNTERS_KEY,
        value: { ...next, nextReceiptNo: counters.nextReceiptNo + 1 },
      }),
      draft?.saleId === input.saleId ? db.drafts.delete('current') : undefined,
    ]);
    return sale;
  });
}

/** What the sale's audit row says of a palm tender: who (pseudonymous), stored, the age covered. */
function palmAuditDetail(input: CompleteSaleInput): Record<string, string | number | boolean> {
  const palm = input.tenders.find((t) => t.kind === 'palm');
  if (!palm || palm.kind !== 'palm') return {};
  return {
    palmCustomerRef: palm.customerRef,
    palmStored: palm.stored,
    palmAgeVerifiedFor: input.palmAgeVerifiedFor ?? 0,
    ...(palm.loyaltyId ? { loyaltyId: palm.loyaltyId } : {}),
  };
}

export async function saveDraft(
  db: TerminalDatabase,
  draft: Omit<DraftRow, 'id' | 'updatedAt'>,
): Promise<void> {
  await db.drafts.put({ ...draft, id: 'current', updatedAt: new Date().toISOString() });
}

export async function loadDraft(db: TerminalDatabase): Promise<DraftRow | undefined> {
  return db.drafts.get('current');
}

export async function clearDraft(db: TerminalDatabase): Promise<void> {
  await db.drafts.delete('current');
}

/**
 * A declined card is audited on the lane and pushed to the store as an `audit.event` mutation,
 * numbered in the same transaction as the audit row (the sale itself is not written).
 */
export async function recordCardDecline(
  db: TerminalDatabase,
  detail: { saleId: string; paymentId: string; reason: string; amount: number; currency: string },
): Promise<void> {
  const at = new Date().toISOString();
  await db.transaction('rw', [db.audit, db.outbox, db.settings], async () => {
    await db.audit.add({ at, kind: 'card.declined', detail });
    await enqueueMutation(db, {
      kind: 'audit.event',
      payload: { kind: 'card.declined', at, detail },
      createdAt: at,
    });
  });
}

export async function recentSales(db: TerminalDatabase, limit = 100): Promise<Sale[]> {
  return db.sales.orderBy('completedAt').reverse().limit(limit).toArray();
}
