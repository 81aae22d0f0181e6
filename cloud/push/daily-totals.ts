import type { Queryable } from '../db/types';

export interface DailyChange {
  readonly sales?: number;
  readonly gross?: number;
  readonly refunds?: number;
  readonly refunded?: number;
}

/**
 * Adds to a store's running figures for the UTC day of `at`: sales and their gross, and refunds
 * beside them (never netted into gross, so the day shows both).
 */
export async function addToDailyTotals(
  tx: Queryable,
  storeId: string,
  at: string,
  currency: string,
  change: DailyChange,
): Promise<void> {
  await tx.query(
    `INSERT INTO store_daily_totals (store_id, day, currency, sales_count, gross, refunds_count, refunded)
     VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6, $7)
     ON CONFLICT (store_id, day, currency) DO UPDATE
       SET sales_count = store_daily_totals.sales_count + EXCLUDED.sales_count,
           gross = store_daily_totals.gross + EXCLUDED.gross,
           refunds_count = store_daily_totals.refunds_count + EXCLUDED.refunds_count,
           refunded = store_daily_totals.refunded + EXCLUDED.refunded`,
    [
      storeId,
      at,
      currency,
      change.sales ?? 0,
      change.gross ?? 0,
      change.refunds ?? 0,
      change.refunded ?? 0,
    ],
  );
}
