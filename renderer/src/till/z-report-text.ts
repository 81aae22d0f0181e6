import type { TFunction } from 'i18next';
import { doc, type PrintDocument } from '../../../common/printer/document';
import { formatMoney, type CurrencyCode } from '../../../common/money';
import { TENDER_KINDS, type ZReport } from '../../../common/shift/z-report';
import type { ShiftRow } from '../db/schema';

export interface ZLine {
  readonly label: string;
  readonly value: string;
  readonly key: string;
}

/** The Z report as label/value rows in the store's language: shown on screen and printed. */
export function zReportRows(t: TFunction, shift: ShiftRow, z: ZReport, locale: string): ZLine[] {
  // n === 0 turns -0 into 0, so nothing prints as "-$0.00".
  const m = (n: number) =>
    formatMoney({ amount: n === 0 ? 0 : n, currency: z.currency as CurrencyCode }, locale);
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(
      new Date(iso),
    );
  const rows: ZLine[] = [
    { key: 'opened', label: t('z.opened'), value: time(shift.openedAt) },
    ...(shift.closedAt
      ? [{ key: 'closed', label: t('z.closedAt'), value: time(shift.closedAt) }]
      : []),
    ...(shift.closedBy
      ? [{ key: 'closedBy', label: t('z.closedBy'), value: shift.closedBy.name }]
      : []),
    { key: 'sales', label: t('z.sales', { count: z.salesCount }), value: m(z.gross) },
    { key: 'voids', label: t('z.voids', { count: z.voidsCount }), value: m(z.voided) },
    { key: 'refunds', label: t('z.refunds', { count: z.refundsCount }), value: m(-z.refunded) },
    { key: 'net', label: t('z.net'), value: m(z.net) },
  ];
  for (const kind of TENDER_KINDS) {
    const f = z.tenders[kind];
    if (f.sales === 0 && f.refunds === 0) continue;
    rows.push({
      key: `tender-${kind}`,
      label: t(`tender.${kind}`, { defaultValue: kind }),
      value: `${m(f.sales)} / ${m(-f.refunds)}`,
    });
  }
  rows.push(
    { key: 'float', label: t('z.float'), value: m(z.float) },
    { key: 'payIns', label: t('z.payIns'), value: m(z.payIns) },
    { key: 'payOuts', label: t('z.payOuts'), value: m(-z.payOuts) },
    { key: 'expected', label: t('z.expected'), value: m(z.expectedCash) },
  );
  if (z.countedCash !== null && z.overShort !== null) {
    rows.push({ key: 'counted', label: t('z.counted'), value: m(z.countedCash) });
    const label = z.overShort < 0 ? t('z.short') : z.overShort > 0 ? t('z.over') : t('z.even');
    rows.push({ key: 'overShort', label, value: m(z.overShort) });
  }
  return rows;
}

/** The Z report as a printed document: the host lays it out for its printer (ESC/POS). */
export function zReportDocument(
  t: TFunction,
  storeName: string,
  shiftId: string,
  rows: readonly ZLine[],
): PrintDocument {
  return {
    title: `Z ${shiftId.slice(-12)}`,
    blocks: [
      doc.text(storeName, { align: 'center', bold: true }),
      doc.text(t('z.title'), { align: 'center', size: 2 }),
      doc.rule(),
      ...rows.map((r) => doc.row(r.label, r.value, { bold: r.key === 'overShort' })),
      doc.feed(2),
    ],
  };
}
