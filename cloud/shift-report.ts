import type { CurrencyCode } from '../common/money';
import type { Sale } from '../common/sale';
import { shiftSaleOf, zReport, type TenderKind, type ZReport } from '../common/shift/z-report';
import type { Queryable } from './db/types';

export interface ShiftWindow {
  readonly storeId: string;
  readonly terminalId: string;
  readonly currency: CurrencyCode;
  readonly float: number;
  readonly openedAt: Date;
  readonly shiftId: string;
}

/**
 * The Z report of one lane's shift, from what the cloud recorded: that lane's sales completed
 * while the till was open (voided or not), the refunds it paid out in that time and the shift's
 * pay-ins and pay-outs. A lane pushes in order, so everything it did in the shift is recorded
 * before its close arrives.
 */
export async function deriveShiftReport(
  tx: Queryable,
  w: ShiftWindow,
  closedAt: Date,
  counted: number | null,
): Promise<ZReport> {
  const sales = await tx.query<{ body: Sale; voided: boolean }>(
    `SELECT body, voided_at IS NOT NULL AS voided FROM sales
     WHERE store_id = $1 AND terminal_id = $2 AND currency = $3
       AND completed_at >= $4 AND completed_at <= $5`,
    [w.storeId, w.terminalId, w.currency, w.openedAt, closedAt],
  );
  const refunds = await tx.query<{ amount: number; tender: TenderKind }>(
    `SELECT amount, tender FROM sale_refunds
     WHERE store_id = $1 AND terminal_id = $2 AND currency = $3
       AND refunded_at >= $4 AND refunded_at <= $5`,
    [w.storeId, w.terminalId, w.currency, w.openedAt, closedAt],
  );
  const cash = await tx.query<{ kind: 'pay-in' | 'pay-out'; amount: number }>(
    'SELECT kind, amount FROM shift_cash WHERE store_id = $1 AND shift_id = $2',
    [w.storeId, w.shiftId],
  );
  return zReport({
    currency: w.currency,
    float: w.float,
    sales: sales.rows.map((r) => shiftSaleOf(r.body, r.voided)),
    refunds: refunds.rows,
    cash: cash.rows,
    counted,
  });
}
