import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_PROFILES, type StoreProfile } from '../../../common/store-profile';
import { decodeEscPos, paperText } from '../../../common/printer/escpos-decode';
import { displayWidth } from '../../../common/printer/text-width';
import type { Sale } from '../../../common/sale';
import { encodeEscPos } from '../../../native/printer/escpos-encode';
import { receiptStrings } from '../i18n/receipt-strings';
import { receiptDocument, type Translate } from './receipt-text';

const translators: Record<string, Translate> = {};
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: Object.fromEntries(
      Object.entries(receiptStrings).map(([lang, s]) => [lang, { translation: s }]),
    ),
    lng: 'en',
    interpolation: { escapeValue: false },
  });
  for (const lang of ['en', 'de', 'ko']) translators[lang] = i18n.getFixedT(lang) as Translate;
});

function saleFor(p: StoreProfile): Sale {
  const m = (amount: number) => ({ amount, currency: p.currency });
  const unit = p.currency === 'KRW' ? 2500 : 250;
  return {
    id: '5b0d6a0e-3a7c-4c39-9a9e-1c2f1e0b7d11',
    receiptNo: '01-000042',
    terminalId: 'lane-1',
    currency: p.currency,
    locale: p.locale,
    lines: [
      {
        lineId: 'l1',
        productId: 'p1',
        barcode: '4006381333931',
        name: 'Whole Milk 1 gal',
        unitPrice: m(unit),
        quantity: 2,
        taxClass: 'standard',
        minimumAge: 0,
        voided: false,
      },
    ],
    totals: {
      subtotal: m(unit * 2),
      tax: m(p.currency === 'KRW' ? 455 : 41),
      total: m(p.tax.pricesIncludeTax ? unit * 2 : unit * 2 + 41),
      breakdown: [
        {
          taxClass: 'standard',
          rateBasisPoints: p.tax.rates.standard,
          base: m(unit * 2),
          tax: m(41),
        },
      ],
      itemCount: 2,
    },
    tenders: [
      {
        kind: 'cash',
        amount: m(p.tax.pricesIncludeTax ? unit * 2 : unit * 2 + 41),
        given: m(unit * 4),
        change: m(unit * 2),
      },
    ],
    ageCheckedFor: 0,
    startedAt: '2026-12-01T09:00:00.000Z',
    completedAt: '2026-12-01T09:01:00.000Z',
  };
}

const LABELS = {
  'en-US': ['Subtotal', 'Sales tax', 'TOTAL', 'Cash', 'Change', 'Receipt 01-000042'],
  'de-DE': ['Zwischensumme', 'enth. MwSt. 19', 'SUMME', 'Bar', 'Rückgeld', 'Beleg 01-000042'],
  'ko-KR': ['소계', '부가세 포함 10%', '합계', '현금', '거스름돈', '영수증 01-000042'],
} as const;

describe('the receipt in each demo store', () => {
  for (const p of STORE_PROFILES) {
    it(`${p.locale}: every label in the store's language, money in its currency, aligned`, () => {
      const sale = saleFor(p);
      const d = receiptDocument(sale, {
        profile: p,
        t: translators[p.locale.slice(0, 2)]!,
        eReceiptUrl: 'http://cloud.test/r/0123456789abcdef0123456789abcdef',
      });
      const lines = paperText(decodeEscPos(encodeEscPos(d, { columns: 42 })));
      const text = lines.join('\n');
      for (const label of LABELS[p.locale as keyof typeof LABELS]) expect(text).toContain(label);
      if (p.locale !== 'en-US') expect(text).not.toMatch(/Subtotal|Change|TOTAL/);
      const total = new Intl.NumberFormat(p.locale, { style: 'currency', currency: p.currency })
        .format(sale.totals.total.amount / (p.currency === 'KRW' ? 1 : 100))
        .replace('₩', '￦');
      const totalLine = lines.find((l) => l.endsWith(total) && /TOTAL|SUMME|합계/.test(l));
      expect(totalLine, `a total row ending in ${total} in ${JSON.stringify(lines)}`).toBeDefined();
      for (const l of lines.filter((x) => !x.startsWith('[') && !x.startsWith('✂') && x !== ''))
        expect(displayWidth(l) === 42 || displayWidth(l) === 21, l).toBe(true);
      expect(text).toContain('[QR http://cloud.test/r/0123456789abcdef0123456789abcdef]');
    });
  }

  it('prints each tender of a split sale: the cash part without change, then the card', () => {
    const p = STORE_PROFILES[0]!;
    const sale = saleFor(p);
    const total = sale.totals.total.amount;
    const usd = (amount: number) => ({ amount, currency: p.currency });
    const split: Sale = {
      ...sale,
      tenders: [
        { kind: 'cash', amount: usd(200), given: usd(200), change: usd(0) },
        {
          kind: 'card',
          amount: usd(total - 200),
          paymentId: 'pay-1',
          authCode: 'A12345',
          brand: 'Visa',
          last4: '4242',
        },
      ],
    };
    const lines = paperText(
      decodeEscPos(
        encodeEscPos(
          receiptDocument(split, { profile: p, t: translators.en!, eReceiptUrl: null }),
          { columns: 42 },
        ),
      ),
    );
    const money = (n: number) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n / 100);
    expect(lines.find((l) => l.startsWith('Cash'))).toMatch(
      new RegExp(`${money(200).replace('$', '\\$')}$`),
    );
    expect(lines.some((l) => l.startsWith('Change'))).toBe(false);
    expect(lines.find((l) => l.startsWith('Visa **** 4242'))).toMatch(
      new RegExp(`${money(total - 200).replace('$', '\\$')}$`),
    );
  });

  it('leaves the QR out when the lane has no cloud yet', () => {
    const p = STORE_PROFILES[0]!;
    const d = receiptDocument(saleFor(p), { profile: p, t: translators.en!, eReceiptUrl: null });
    expect(d.blocks.some((b) => b.kind === 'qr')).toBe(false);
  });
});
