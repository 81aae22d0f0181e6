import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lineAmount } from '../../../common/cart';
import type { Sale } from '../../../common/sale';
import { useApp } from '../app-context';
import { describeError } from './errors';
import { useMoneyFormat } from './format';
import { receiptLines } from './receipt-text';

export function ReceiptView({ sale, onNewSale }: { sale: Sale; onNewSale(): void }) {
  const { t } = useTranslation();
  const { host, profile } = useApp();
  const fmt = useMoneyFormat();
  const [note, setNote] = useState<string | null>(null);
  const [drawerError, setDrawerError] = useState<string | null>(null);
  const newSaleRef = useRef<HTMLButtonElement>(null);
  const cash = sale.tenders.find((x) => x.kind === 'cash');

  useEffect(() => {
    newSaleRef.current?.focus();
    if (cash) {
      host.drawer
        .open()
        .catch((e: unknown) =>
          setDrawerError(t('receipt.drawerFailed', { message: describeError(t, e) })),
        );
    }
    // Opening the drawer happens once per completed sale.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sale.id]);

  const print = async () => {
    try {
      await host.printer.print({ receiptNo: sale.receiptNo, lines: receiptLines(sale, profile) });
      setNote(t('receipt.printed'));
    } catch (e) {
      setNote(describeError(t, e));
    }
  };

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <p className="muted">{t('receipt.number', { no: sale.receiptNo })}</p>
      {cash && cash.kind === 'cash' && (
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
          <li key={i} className="muted">
            {x.kind === 'cash'
              ? t('receipt.paidCash', { given: fmt(x.given) })
              : t('receipt.paidCard', { brand: x.brand, last4: x.last4, auth: x.authCode })}
          </li>
        ))}
      </ul>
      {drawerError && (
        <p className="error" role="alert">
          {drawerError}
        </p>
      )}
      {note && <p role="status">{note}</p>}
      <div className="actions">
        <button ref={newSaleRef} type="button" className="primary" onClick={onNewSale}>
          {t('receipt.newSale')}
        </button>
        <button type="button" onClick={() => void print()}>
          {t('receipt.print')}
        </button>
      </div>
    </section>
  );
}
