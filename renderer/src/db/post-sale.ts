import { DomainError } from '../../../common/errors';
import type { Money } from '../../../common/money';
import { checkRefund, type RefundLine, type RefundTender } from '../../../common/refund-check';
import type { Sale, Tender } from '../../../common/sale';
import type { StaffRef } from '../../../common/staff';
import { MAX_CLOCK_SKEW_MS } from '../../../common/sync/protocol';
import type { TaxPolicy } from '../../../common/tax';
import type { TerminalDatabase } from './database';
import { enqueueMutation } from './enqueue';
import type { RefundRow, VoidRow } from './schema';
import { currentShift } from './shift';
import { storeNow } from './store-clock';

/**
 * Corrections after a sale, each approved by a manager: a **void** takes the whole sale back
 * while its till's shift is still open (the batch is not closed), a **refund** pays back all or
 * part of it later, to the tender it was paid with. The sale itself is never edited: each
 * correction is its own row and its own mutation, checked by the cloud again.
 */

export interface SaleCorrections {
  readonly voided: VoidRow | null;
  readonly refunds: readonly RefundRow[];
}

export async function saleCorrections(
  db: TerminalDatabase,
  saleId: string,
): Promise<SaleCorrections> {
  return {
    voided: (await db.voids.get(saleId)) ?? null,
    refunds: await db.refunds.where('saleId').equals(saleId).toArray(),
  };
}

/** Why this sale cannot be voided now, or null when it can. */
export async function whyNotVoidable(db: TerminalDatabase, sale: Sale): Promise<string | null> {
  const c = await saleCorrections(db, sale.id);
  if (c.voided) return 'already-voided';
  if (c.refunds.length > 0) return 'refunded';
  const shift = await currentShift(db);
  if (!shift || sale.completedAt < shift.openedAt) return 'batch-closed';
  if (sale.tenders.some((t) => t.kind === 'palm')) return 'palm';
  // A wallet payment goes back only through the wallet, which this lane cannot do yet.
  if (sale.tenders.some((t) => t.kind === 'wallet')) return 'wallet';
  return null;
}

const TABLES = (db: TerminalDatabase) => [db.voids, db.refunds, db.outbox, db.audit, db.settings];

export async function recordVoid(
  db: TerminalDatabase,
  input: { sale: Sale; reason: string; by: StaffRef; processorRef: string | null },
): Promise<VoidRow> {
  if (input.by.role !== 'manager') throw new DomainError('NOT_VOIDABLE', 'A void needs a manager');
  const problem = await whyNotVoidable(db, input.sale);
  if (problem) throw new DomainError('NOT_VOIDABLE', `The sale cannot be voided: ${problem}`);
  const voidedAt = (await storeNow(db)).toISOString();
  const row: VoidRow = {
    saleId: input.sale.id,
    voidedAt,
    reason: input.reason.trim().slice(0, 500) || 'voided',
    approvedBy: input.by,
    processorRef: input.processorRef,
  };
  return db.transaction('rw', TABLES(db), async () => {
    if (await db.voids.get(row.saleId)) return (await db.voids.get(row.saleId))!;
    await db.voids.add(row);
    await enqueueMutation(db, {
      kind: 'sale.voided',
      payload: { saleId: row.saleId, reason: row.reason, voidedAt, approvedBy: input.by.id },
      createdAt: voidedAt,
    });
    await db.audit.add({
      at: voidedAt,
      kind: 'sale.voided',
      detail: { saleId: row.saleId, total: input.sale.totals.total.amount, by: input.by.id },
    });
    return row;
  });
}

/**
 * Where a refund goes back: the card or palm payment (through the card terminal, or the store
 * cloud's processor) first while it has enough left, else cash — never cash for what a card,
 * palm or wallet paid. One refund goes to one tender; a split sale is refunded in parts when no
 * single tender holds the amount. A wallet payment has no refund path here, so a wallet-only
 * sale finds no tender.
 */
export function refundTender(
  sale: Sale,
  amount: number,
  earlier: readonly Pick<RefundRow, 'tender' | 'amount'>[],
): Extract<Tender, { kind: RefundTender }> | null {
  const left = (t: Tender) =>
    t.amount.amount -
    earlier.filter((r) => r.tender === t.kind).reduce((n, r) => n + r.amount.amount, 0);
  const candidates = sale.tenders.filter(
    (t): t is Extract<Tender, { kind: RefundTender }> =>
      t.kind === 'card' || t.kind === 'cash' || t.kind === 'palm',
  );
  return (
    candidates.find((t) => t.kind !== 'cash' && left(t) >= amount) ??
    candidates.find((t) => t.kind === 'cash' && left(t) >= amount) ??
    null
  );
}

export interface RefundInput {
  readonly refundId: string;
  readonly sale: Sale;
  readonly amount: Money;
  readonly lines?: readonly RefundLine[];
  readonly tender: RefundTender;
  readonly reason: string;
  readonly by: StaffRef;
  readonly processorRef: string | null;
  readonly tax: TaxPolicy;
}

/** Checks a refund with the cloud's own rules (common/refund-check.ts) before anything moves. */
export async function checkLaneRefund(
  db: TerminalDatabase,
  input: Omit<RefundInput, 'processorRef' | 'by'>,
): Promise<string | null> {
  const c = await saleCorrections(db, input.sale.id);
  if (c.voided) return 'the sale is voided';
  const now = (await storeNow(db)).getTime();
  return checkRefund(
    {
      refundId: input.refundId,
      saleId: input.sale.id,
      amount: input.amount,
      ...(input.lines ? { lines: input.lines } : {}),
      tender: input.tender,
      refundedAt: new Date(now).toISOString(),
    },
    input.sale,
    c.refunds.map((r) => ({ amount: r.amount.amount, tender: r.tender, lines: r.lines ?? null })),
    { tax: input.tax, notAfter: now + MAX_CLOCK_SKEW_MS, maxSkewMs: MAX_CLOCK_SKEW_MS },
  );
}

export async function recordRefund(db: TerminalDatabase, input: RefundInput): Promise<RefundRow> {
  if (input.by.role !== 'manager')
    throw new DomainError('REFUND_INVALID', 'A refund needs a manager');
  const problem = await checkLaneRefund(db, input);
  if (problem) throw new DomainError('REFUND_INVALID', `The refund cannot be made: ${problem}`);
  const refundedAt = (await storeNow(db)).toISOString();
  const row: RefundRow = {
    refundId: input.refundId,
    saleId: input.sale.id,
    amount: input.amount,
    ...(input.lines ? { lines: input.lines } : {}),
    tender: input.tender,
    reason: input.reason.trim().slice(0, 500) || 'refund',
    refundedAt,
    approvedBy: input.by,
    processorRef: input.processorRef,
  };
  return db.transaction('rw', TABLES(db), async () => {
    const existing = await db.refunds.get(row.refundId);
    if (existing) return existing; // the same refund twice (a double tap) is written once
    await db.refunds.add(row);
    await enqueueMutation(db, {
      kind: 'sale.refunded',
      payload: {
        refundId: row.refundId,
        saleId: row.saleId,
        amount: row.amount,
        ...(row.lines ? { lines: [...row.lines] } : {}),
        tender: row.tender,
        reason: row.reason,
        refundedAt,
        approvedBy: input.by.id,
        ...(row.processorRef ? { processorRef: row.processorRef } : {}),
      },
      createdAt: refundedAt,
    });
    await db.audit.add({
      at: refundedAt,
      kind: 'sale.refunded',
      detail: {
        saleId: row.saleId,
        refundId: row.refundId,
        amount: row.amount.amount,
        tender: row.tender,
        by: input.by.id,
      },
    });
    return row;
  });
}
