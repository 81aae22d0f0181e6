import { csvCell, csvNumber, csvRows } from '../common/csv';
import { isCurrencyCode, minorUnitExponent } from '../common/money';
import { STORE_PROFILES } from '../common/store-profile';
import type { Queryable } from './db/types';
import { storeSettings } from './stores';

/**
 * A store's days as its bookkeeper sees them: each calendar day in the store's own time zone
 * (its settings' `timeZone`, else its profile's), per currency — the sales that stand, voids,
 * refunds paid back that day, net, and what the standing sales took per tender. Computed from
 * the recorded sales and refunds, never from a lane's figures.
 */

export interface DayRow {
  /** YYYY-MM-DD in the store's zone. */
  readonly day: string;
  readonly currency: string;
  readonly salesCount: number;
  readonly gross: number;
  readonly voidsCount: number;
  readonly voided: number;
  readonly refundsCount: number;
  readonly refunded: number;
  /** gross − refunded */
  readonly net: number;
  readonly cash: number;
  readonly card: number;
  readonly palm: number;
}

export interface StoreCalendar {
  readonly timeZone: string;
  readonly locale: string;
}

export async function storeCalendar(db: Queryable, storeId: string): Promise<StoreCalendar> {
  const settings = await storeSettings(db, storeId);
  const profile = STORE_PROFILES.find((p) => p.id === settings.profileId) ?? STORE_PROFILES[0]!;
  return { timeZone: settings.timeZone ?? profile.timeZone, locale: profile.locale };
}

/** The calendar day (YYYY-MM-DD) of `at` in `timeZone`. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export async function dailyFigures(
  db: Queryable,
  storeId: string,
  timeZone: string,
  from: string,
  to: string,
): Promise<DayRow[]> {
  const r = await db.query<{
    day: string;
    currency: string;
    sales_count: number;
    gross: number;
    voids_count: number;
    voided: number;
    refunds_count: number;
    refunded: number;
    cash: number;
    card: number;
    palm: number;
  }>(
    `WITH s AS (
       SELECT (completed_at AT TIME ZONE $2)::date AS day, currency,
              count(*) FILTER (WHERE voided_at IS NULL)::int AS sales_count,
              coalesce(sum(total) FILTER (WHERE voided_at IS NULL), 0)::bigint AS gross,
              count(*) FILTER (WHERE voided_at IS NOT NULL)::int AS voids_count,
              coalesce(sum(total) FILTER (WHERE voided_at IS NOT NULL), 0)::bigint AS voided
       FROM sales WHERE store_id = $1
         AND (completed_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
       GROUP BY 1, 2),
     t AS (
       SELECT (s.completed_at AT TIME ZONE $2)::date AS day, s.currency,
              coalesce(sum(t.amount) FILTER (WHERE t.kind = 'cash'), 0)::bigint AS cash,
              coalesce(sum(t.amount) FILTER (WHERE t.kind = 'card'), 0)::bigint AS card,
              coalesce(sum(t.amount) FILTER (WHERE t.kind = 'palm'), 0)::bigint AS palm
       FROM sale_tenders t JOIN sales s ON s.store_id = t.store_id AND s.id = t.sale_id
       WHERE s.store_id = $1 AND s.voided_at IS NULL
         AND (s.completed_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
       GROUP BY 1, 2),
     r AS (
       SELECT (refunded_at AT TIME ZONE $2)::date AS day, currency,
              count(*)::int AS refunds_count, sum(amount)::bigint AS refunded
       FROM sale_refunds WHERE store_id = $1
         AND (refunded_at AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
       GROUP BY 1, 2)
     SELECT day::text AS day, currency,
            coalesce(s.sales_count, 0) AS sales_count, coalesce(s.gross, 0) AS gross,
            coalesce(s.voids_count, 0) AS voids_count, coalesce(s.voided, 0) AS voided,
            coalesce(r.refunds_count, 0) AS refunds_count, coalesce(r.refunded, 0) AS refunded,
            coalesce(t.cash, 0) AS cash, coalesce(t.card, 0) AS card, coalesce(t.palm, 0) AS palm
     FROM s FULL JOIN r USING (day, currency) LEFT JOIN t USING (day, currency)
     ORDER BY day, currency`,
    [storeId, timeZone, from, to],
  );
  return r.rows.map((x) => ({
    day: x.day,
    currency: x.currency,
    salesCount: x.sales_count,
    gross: x.gross,
    voidsCount: x.voids_count,
    voided: x.voided,
    refundsCount: x.refunds_count,
    refunded: x.refunded,
    net: x.gross - x.refunded,
    cash: x.cash,
    card: x.card,
    palm: x.palm,
  }));
}

/** Minor units as a plain decimal in major units ("-12.34", "5000" for KRW), integer math only. */
export function plainAmount(amount: number, currency: string): string {
  const exp = isCurrencyCode(currency) ? minorUnitExponent(currency) : 0;
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

export const DAYS_CSV_HEADER = [
  'date',
  'store',
  'time_zone',
  'currency',
  'sales',
  'gross',
  'voids',
  'voided',
  'refunds',
  'refunded',
  'net',
  'cash',
  'card',
  'palm',
];

/**
 * The days as CSV a spreadsheet opens as it is: a UTF-8 byte-order mark (so Excel reads a Korean
 * store name), RFC 4180 quoting, text cells defused against formulas, amounts as plain decimals
 * in major units with a point (the currency in its own column).
 */
export function daysCsv(storeName: string, timeZone: string, rows: readonly DayRow[]): string {
  const money = (n: number, c: string) => csvNumber(plainAmount(n, c));
  return (
    '\uFEFF' +
    csvRows([
      DAYS_CSV_HEADER,
      ...rows.map((d) => [
        csvCell(d.day),
        csvCell(storeName),
        csvCell(timeZone),
        csvCell(d.currency),
        csvNumber(String(d.salesCount)),
        money(d.gross, d.currency),
        csvNumber(String(d.voidsCount)),
        money(d.voided, d.currency),
        csvNumber(String(d.refundsCount)),
        money(d.refunded, d.currency),
        money(d.net, d.currency),
        money(d.cash, d.currency),
        money(d.card, d.currency),
        money(d.palm, d.currency),
      ]),
    ])
  );
}
