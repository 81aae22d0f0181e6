import { csvCell } from '../../../common/csv';
import type { OutboxRow } from '../db/schema';

export { csvCell };

export const REJECTED_CSV_HEADER = [
  'mutationId',
  'kind',
  'createdAt',
  'rejectedAt',
  'receiptNo',
  'saleId',
  'total',
  'currency',
  'tenders',
  'reason',
];

/** Rejected outbox rows as CSV (RFC 4180, CRLF line ends), with a header row. */
export function rejectedCsv(rows: readonly OutboxRow[]): string {
  const lines = [REJECTED_CSV_HEADER.join(',')];
  for (const r of rows) {
    const sale = r.kind === 'sale.completed' ? r.payload : null;
    lines.push(
      [
        r.mutationId,
        r.kind,
        r.createdAt,
        r.syncedAt ?? '',
        sale?.receiptNo ?? (r.kind === 'audit.event' ? r.payload.kind : ''),
        sale?.id ?? '',
        sale?.totals.total.amount ?? '',
        sale?.currency ?? '',
        sale?.tenders.map((t) => `${t.kind}:${t.amount.amount}`).join(' ') ?? '',
        r.rejectedReason ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
