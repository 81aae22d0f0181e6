import { lineAmount } from '../common/cart';
import { formatMoney, type Money } from '../common/money';
import type { Sale, Tender } from '../common/sale';
import { escapeHtml as e } from './html';

/**
 * The e-receipt a shopper opens from the QR code: the sale as printed, in the sale's language,
 * script-free. It names no person: no shopper reference, no loyalty id, no payment id, only a
 * card's brand and last four digits (what the paper receipt shows).
 */
const LABELS = {
  en: {
    title: 'Receipt',
    receipt: 'Receipt',
    subtotal: 'Subtotal',
    tax: 'Tax',
    total: 'Total',
    cash: 'Cash',
    change: 'Change',
    palm: 'Paid by palm',
    stored: 'card on file',
    voided: 'This sale was voided.',
    notFound: 'No receipt at this address.',
  },
  de: {
    title: 'Beleg',
    receipt: 'Beleg',
    subtotal: 'Zwischensumme',
    tax: 'MwSt.',
    total: 'Summe',
    cash: 'Bar',
    change: 'Rückgeld',
    palm: 'Bezahlt per Handfläche',
    stored: 'hinterlegte Karte',
    voided: 'Dieser Verkauf wurde storniert.',
    notFound: 'Unter dieser Adresse gibt es keinen Beleg.',
  },
  ko: {
    title: '영수증',
    receipt: '영수증',
    subtotal: '소계',
    tax: '부가세',
    total: '합계',
    cash: '현금',
    change: '거스름돈',
    palm: '손바닥 결제',
    stored: '등록 카드',
    voided: '이 판매는 취소되었습니다.',
    notFound: '이 주소에는 영수증이 없습니다.',
  },
} as const;

type Lang = keyof typeof LABELS;
const langOf = (locale: string): Lang => {
  const l = locale.slice(0, 2);
  return l === 'de' || l === 'ko' ? l : 'en';
};

const STYLE = `body{font:15px system-ui,sans-serif;margin:0;background:#f3f3f3;color:#111}
main{max-width:26rem;margin:1.5rem auto;background:#fff;padding:1.2rem 1.4rem;box-shadow:0 1px 4px #0003}
h1{font-size:1.2rem;text-align:center;margin:.2rem 0}p.meta{text-align:center;color:#555;margin:.2rem 0 1rem}
table{width:100%;border-collapse:collapse}td{padding:.2rem 0;vertical-align:top}td.amt{text-align:right;white-space:nowrap;padding-left:1rem}
tr.sum td{border-top:1px solid #bbb;padding-top:.4rem}tr.total td{font-weight:700;font-size:1.1rem}.void{background:#fdecea;border:1px solid #e57373;padding:.5rem}`;

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${e(title)}</title><style>${STYLE}</style></head><body><main>
${body}
</main></body></html>`;
}

export function eReceiptPage(sale: Sale, storeName: string, voided: boolean): string {
  const L = LABELS[langOf(sale.locale)];
  const fmt = (m: Money) => e(formatMoney(m, sale.locale));
  const row = (label: string, amount: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${label}</td><td class="amt">${amount}</td></tr>`;
  const lines = sale.lines
    .filter((l) => !l.voided)
    .map((l) => row(e(l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name), fmt(lineAmount(l))));
  const tenders = sale.tenders.flatMap((t) => tenderRows(t, L, fmt, row));
  const when = new Date(sale.completedAt).toLocaleString(sale.locale, { timeZone: 'UTC' });
  return page(
    langOf(sale.locale),
    `${L.title} ${sale.receiptNo}`,
    `<h1>${e(storeName)}</h1>
<p class="meta">${e(L.receipt)} ${e(sale.receiptNo)} · ${e(when)} UTC</p>
${voided ? `<p class="void">${e(L.voided)}</p>` : ''}
<table>
${lines.join('\n')}
${row(e(L.subtotal), fmt(sale.totals.subtotal), 'sum')}
${row(e(L.tax), fmt(sale.totals.tax))}
${row(e(L.total), fmt(sale.totals.total), 'total')}
${tenders.join('\n')}
</table>`,
  );
}

function tenderRows(
  t: Tender,
  L: (typeof LABELS)[Lang],
  fmt: (m: Money) => string,
  row: (label: string, amount: string, cls?: string) => string,
): string[] {
  switch (t.kind) {
    case 'cash':
      return [row(e(L.cash), fmt(t.given), 'sum'), row(e(L.change), fmt(t.change))];
    case 'card':
      return [row(`${e(t.brand)} •••• ${e(t.last4)}`, fmt(t.amount), 'sum')];
    case 'wallet':
      return [row(`${e(t.wallet)} •••• ${e(t.codeLast4)}`, fmt(t.amount), 'sum')];
    case 'palm':
      return [
        row(
          `${e(L.palm)} · ${t.card ? `${e(t.card.brand)} •••• ${e(t.card.last4)}` : e(L.stored)}`,
          fmt(t.amount),
          'sum',
        ),
      ];
  }
}

export function eReceiptNotFoundPage(): string {
  return page('en', LABELS.en.notFound, `<p>${e(LABELS.en.notFound)}</p>`);
}
