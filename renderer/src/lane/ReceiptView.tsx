import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { lineAmount } from '../../../common/cart';
import type { ReceiptContext } from '../../../common/checkout/types';
import { describePrintProblem, describeProblem } from './errors';
import { useMoneyFormat } from './format';
import { markPalm } from '../palm-pay/timing';
import { afterPaint } from './render-hold';

/** The completed sale. The drawer and the printer are the machine's commands; this shows them. */
export function ReceiptView({
  receipt,
  onPrint,
  onNewSale,
}: {
  receipt: ReceiptContext;
  onPrint(): void;
  onNewSale(): void;
}) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  const newSaleRef = useRef<HTMLButtonElement>(null);
  const { sale } = receipt;
  // Change comes only from cash that settled the sale (a split sale's cash parts give none).
  const last = sale.tenders.at(-1);
  const cash = last?.kind === 'cash' ? last : undefined;
  const split = sale.tenders.length > 1;

  useEffect(() => newSaleRef.current?.focus(), [sale.id]);
  // "Paid" is on screen once the frame showing this render has been painted (bench:palm-pay). A
  // layout effect runs before that paint; a passive effect can run after it and would count the
  // frame after.
  useLayoutEffect(() => {
    if (!sale.tenders.some((x) => x.kind === 'palm')) return;
    return afterPaint(() => markPalm('paid'));
  }, [sale]);

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <p className="muted">{t('receipt.number', { no: sale.receiptNo })}</p>
      {cash && (
        <p className="change-due">
          {t('receipt.change')}: <strong data-testid="change-due">{fmt(cash.change)}</strong>
        </p>
      )}
      <ul className="receipt-lines">
        {sale.lines
          .filter((l) => !l.voided)
          .map((l) => (
            <li key={l.lineId}>
              <span>
                {l.quantity > 1 ? `${l.quantity} × ` : ''}
                {l.name}
              </span>
              <span>{fmt(lineAmount(l))}</span>
            </li>
          ))}
        <li className="grand">
          <span>{t('totals.total')}</span>
          <span data-testid="receipt-total">{fmt(sale.totals.total)}</span>
        </li>
        {sale.tenders.map((x, i) => (
          <li key={i} className="muted" data-testid="receipt-tender">
            <span>
              {split && x.kind === 'cash'
                ? t('tender.cash')
                : x.kind === 'cash'
                  ? t('receipt.paidCash', { given: fmt(x.given) })
                  : x.kind === 'card'
                    ? t('receipt.paidCard', { brand: x.brand, last4: x.last4, auth: x.authCode })
                    : x.kind === 'wallet'
                      ? t('walletTender.paid', {
                          wallet: x.wallet,
                          last4: x.codeLast4,
                          auth: x.authCode,
                        })
                      : x.card
                        ? t('receipt.paidPalm', { ...x.card, auth: x.authCode ?? '' })
                        : t('receipt.paidPalmStored')}
            </span>
            {/* A split sale shows what each tender paid. */}
            {split && <span>{fmt(x.amount)}</span>}
          </li>
        ))}
        {sale.tenders.map((x) =>
          x.kind === 'palm' && x.loyaltyId ? (
            <li key={`loyalty-${x.paymentId}`} className="muted" data-testid="receipt-loyalty">
              {t('palmTender.loyalty', { id: x.loyaltyId })}
            </li>
          ) : null,
        )}
      </ul>
      {receipt.drawerProblem && (
        <p className="error" role="alert">
          {t('receipt.drawerFailed', { message: describeProblem(t, receipt.drawerProblem) })}
        </p>
      )}
      {receipt.printed && <p role="status">{t('receipt.printed')}</p>}
      {receipt.printProblem && (
        <p className="error" role="alert" data-testid="print-problem">
          {describePrintProblem(t, receipt.printProblem)}
        </p>
      )}
      <div className="actions">
        <button ref={newSaleRef} type="button" className="primary" onClick={onNewSale}>
          {t('receipt.newSale')}
        </button>
        <button type="button" data-testid="print-receipt" onClick={onPrint}>
          {t('receipt.print')}
        </button>
      </div>
    </section>
  );
}
