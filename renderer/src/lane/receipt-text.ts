import { lineAmount } from '../../../common/cart';
import { formatMoney } from '../../../common/money';
import type { Sale } from '../../../common/sale';
import type { StoreProfile } from '../../../common/store-profile';

/** Plain-text receipt lines for a 42-column thermal printer. */
export function receiptLines(sale: Sale, profile: StoreProfile): string[] {
  const fmt = (m: Parameters<typeof formatMoney>[0]) => formatMoney(m, sale.locale);
  const row = (left: string, right: string) => {
    const width = 42;
    const l =
      left.length + right.length + 1 > width ? left.slice(0, width - right.length - 2) + '…' : left;
    return l + ' '.repeat(Math.max(1, width - l.length - right.length)) + right;
  };
  const lines = [
    profile.name,
    `${sale.receiptNo}  ${new Date(sale.completedAt).toLocaleString(sale.locale)}`,
    '',
  ];
  for (const l of sale.lines) {
    if (l.voided) continue;
    lines.push(row(l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name, fmt(lineAmount(l))));
  }
  lines.push(
    '',
    row('Subtotal', fmt(sale.totals.subtotal)),
    row(profile.tax.pricesIncludeTax ? 'incl. tax' : 'Tax', fmt(sale.totals.tax)),
  );
  lines.push(row('TOTAL', fmt(sale.totals.total)));
  for (const t of sale.tenders) {
    if (t.kind === 'cash') {
      lines.push(row('Cash', fmt(t.given)), row('Change', fmt(t.change)));
    } else if (t.kind === 'card') {
      lines.push(row(`${t.brand} ****${t.last4}`, fmt(t.amount)), `Auth ${t.authCode}`);
    } else {
      lines.push(
        row('Paid by palm', fmt(t.amount)),
        t.card
          ? `${t.card.brand} ****${t.card.last4}  Auth ${t.authCode}`
          : 'Card on file (stored)',
      );
      if (t.loyaltyId) lines.push(`Loyalty ${t.loyaltyId}`);
    }
  }
  return lines;
}
