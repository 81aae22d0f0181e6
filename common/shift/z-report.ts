import type { CurrencyCode } from '../money';

/**
 * The Z report: what one till took over one shift, and whether the drawer holds what it should.
 * Pure arithmetic over the shift's facts (its sales, voids, refunds, pay-ins and pay-outs, the
 * float and the counted cash); the lane computes it to print, and the cloud computes it again
 * from what it recorded, never from the lane's figures.
 */

export const TENDER_KINDS = ['cash', 'card', 'palm', 'wallet'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

/** A sale as the report needs it: its total, how it was paid, and whether it was voided. */
export interface ShiftSale {
  readonly total: number;
  readonly tenders: readonly { readonly kind: TenderKind; readonly amount: number }[];
  readonly voided: boolean;
}

export interface ShiftRefund {
  readonly amount: number;
  readonly tender: TenderKind;
}

export interface ShiftCashEntry {
  readonly kind: 'pay-in' | 'pay-out';
  readonly amount: number;
}

export interface ShiftFacts {
  readonly currency: CurrencyCode;
  readonly float: number;
  readonly sales: readonly ShiftSale[];
  readonly refunds: readonly ShiftRefund[];
  readonly cash: readonly ShiftCashEntry[];
  /** The counted drawer, or null before the close. */
  readonly counted: number | null;
}

export interface TenderFigures {
  readonly sales: number;
  readonly refunds: number;
  /** sales − refunds */
  readonly net: number;
}

export interface ZReport {
  readonly currency: CurrencyCode;
  readonly salesCount: number;
  /** Totals of the sales that stand (voided ones are out). */
  readonly gross: number;
  readonly voidsCount: number;
  readonly voided: number;
  readonly refundsCount: number;
  readonly refunded: number;
  /** gross − refunded */
  readonly net: number;
  readonly tenders: Readonly<Record<TenderKind, TenderFigures>>;
  readonly float: number;
  readonly payIns: number;
  readonly payOuts: number;
  /** float + cash sales − cash refunds + pay-ins − pay-outs */
  readonly expectedCash: number;
  readonly countedCash: number | null;
  /** counted − expected: negative is short, positive over; null before the close. */
  readonly overShort: number | null;
}

const sumOf = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

export function zReport(f: ShiftFacts): ZReport {
  const standing = f.sales.filter((s) => !s.voided);
  const voided = f.sales.filter((s) => s.voided);
  const tenders = Object.fromEntries(
    TENDER_KINDS.map((kind) => {
      const sales = sumOf(standing, (s) =>
        sumOf(
          s.tenders.filter((t) => t.kind === kind),
          (t) => t.amount,
        ),
      );
      const refunds = sumOf(
        f.refunds.filter((r) => r.tender === kind),
        (r) => r.amount,
      );
      return [kind, { sales, refunds, net: sales - refunds }];
    }),
  ) as Record<TenderKind, TenderFigures>;
  const gross = sumOf(standing, (s) => s.total);
  const refunded = sumOf(f.refunds, (r) => r.amount);
  const payIns = sumOf(
    f.cash.filter((c) => c.kind === 'pay-in'),
    (c) => c.amount,
  );
  const payOuts = sumOf(
    f.cash.filter((c) => c.kind === 'pay-out'),
    (c) => c.amount,
  );
  const expectedCash = f.float + tenders.cash.net + payIns - payOuts;
  return {
    currency: f.currency,
    salesCount: standing.length,
    gross,
    voidsCount: voided.length,
    voided: sumOf(voided, (s) => s.total),
    refundsCount: f.refunds.length,
    refunded,
    net: gross - refunded,
    tenders,
    float: f.float,
    payIns,
    payOuts,
    expectedCash,
    countedCash: f.counted,
    overShort: f.counted === null ? null : f.counted - expectedCash,
  };
}

/** A recorded sale as the report counts it. */
export function shiftSaleOf(
  sale: {
    readonly totals: { readonly total: { readonly amount: number } };
    readonly tenders: readonly {
      readonly kind: TenderKind;
      readonly amount: { readonly amount: number };
    }[];
  },
  voided: boolean,
): ShiftSale {
  return {
    total: sale.totals.total.amount,
    tenders: sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount.amount })),
    voided,
  };
}
