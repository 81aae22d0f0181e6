import { lineAmount } from '../../../common/cart';
import { formatMoney, type Money } from '../../../common/money';
import { doc, type PrintBlock, type PrintDocument } from '../../../common/printer/document';
import type { PalmTender, Sale, Tender } from '../../../common/sale';
import type { StoreProfile } from '../../../common/store-profile';

/** i18next's `t`, as much of it as a printout needs (tests pass a fixed one). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface ReceiptOptions {
  readonly profile: StoreProfile;
  /** Translations in the store's language (`i18next.getFixedT(languageOf(sale.locale))`). */
  readonly t: Translate;
  /** The e-receipt link for the QR code (cloud/routes/e-receipt.ts), or null when not synced. */
  readonly eReceiptUrl: string | null;
}

/**
 * A sale's receipt as a printer-neutral document (common/printer/document.ts): every label in the
 * store's language, money in its currency and locale. The host lays it out for its printer and
 * encodes the ESC/POS. What each tender prints is `tenderBlocks` — one place per tender kind, so
 * a new tender (or more about one) adds its lines there.
 */
export function receiptDocument(sale: Sale, o: ReceiptOptions): PrintDocument {
  const { t, profile } = o;
  const fmt = (m: Money) => formatMoney(m, sale.locale);
  const blocks: PrintBlock[] = [
    doc.text(profile.name, { align: 'center', bold: true, size: 2 }),
    doc.text(new Date(sale.completedAt).toLocaleString(sale.locale), { align: 'center' }),
    doc.text(t('printout.receiptNo', { no: sale.receiptNo }), { align: 'center' }),
    doc.rule(),
  ];
  for (const l of sale.lines) {
    if (l.voided) continue;
    blocks.push(doc.row(l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name, fmt(lineAmount(l))));
  }
  blocks.push(doc.rule(), doc.row(t('printout.subtotal'), fmt(sale.totals.subtotal)));
  blocks.push(...taxBlocks(sale, profile, t, fmt));
  blocks.push(
    doc.row(t('printout.total'), fmt(sale.totals.total), { bold: true }),
    doc.text(t('printout.items', { count: sale.totals.itemCount })),
    doc.rule(),
  );
  for (const tender of sale.tenders) {
    // A split sale's cash part is all applied: its line is the amount, with no change line.
    if (sale.tenders.length > 1 && tender.kind === 'cash' && tender.change.amount === 0)
      blocks.push(doc.row(t('printout.cash'), fmt(tender.amount)));
    else blocks.push(...tenderBlocks(tender, t, fmt));
  }
  blocks.push(doc.feed(), doc.text(t('printout.thanks'), { align: 'center' }));
  if (o.eReceiptUrl) {
    blocks.push(doc.text(t('printout.eReceipt'), { align: 'center' }), doc.qr(o.eReceiptUrl));
  }
  return { title: `receipt ${sale.receiptNo}`, blocks };
}

function taxBlocks(
  sale: Sale,
  profile: StoreProfile,
  t: Translate,
  fmt: (m: Money) => string,
): PrintBlock[] {
  if (!profile.tax.pricesIncludeTax) return [doc.row(t('printout.tax'), fmt(sale.totals.tax))];
  const rows = sale.totals.breakdown.filter((b) => b.tax.amount !== 0);
  if (rows.length === 0) return [doc.row(t('printout.taxIncludedTotal'), fmt(sale.totals.tax))];
  const percent = (bp: number) =>
    new Intl.NumberFormat(sale.locale, { style: 'percent', maximumFractionDigits: 2 }).format(
      bp / 10_000,
    );
  return rows.map((b) =>
    doc.row(t('printout.taxIncluded', { rate: percent(b.rateBasisPoints) }), fmt(b.tax)),
  );
}

/** What one tender prints: the palm tender's card and loyalty lines live here too. */
export function tenderBlocks(
  tender: Tender,
  t: Translate,
  fmt: (m: Money) => string,
): PrintBlock[] {
  switch (tender.kind) {
    case 'cash':
      return [
        doc.row(t('printout.cash'), fmt(tender.given)),
        doc.row(t('printout.change'), fmt(tender.change)),
      ];
    case 'card':
      return [
        doc.row(
          t('printout.card', { brand: tender.brand, last4: tender.last4 }),
          fmt(tender.amount),
        ),
        doc.text(t('printout.auth', { auth: tender.authCode })),
      ];
    case 'palm':
      return palmBlocks(tender, t, fmt);
    case 'wallet':
      return [
        doc.row(t('printout.wallet', { wallet: tender.wallet }), fmt(tender.amount)),
        doc.text(t('printout.walletCode', { last4: tender.codeLast4 })),
        doc.text(t('printout.auth', { auth: tender.authCode })),
      ];
  }
}

function palmBlocks(tender: PalmTender, t: Translate, fmt: (m: Money) => string): PrintBlock[] {
  const blocks: PrintBlock[] = [doc.row(t('printout.palm'), fmt(tender.amount))];
  blocks.push(
    doc.text(
      tender.card
        ? t('printout.palmCard', { brand: tender.card.brand, last4: tender.card.last4 })
        : t('printout.palmStored'),
    ),
  );
  if (tender.authCode) blocks.push(doc.text(t('printout.auth', { auth: tender.authCode })));
  if (tender.loyaltyId) blocks.push(doc.text(t('printout.loyalty', { id: tender.loyaltyId })));
  return blocks;
}
