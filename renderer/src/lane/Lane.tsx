import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { activeLines, cartTotals } from '../../../common/cart';
import { useApp } from '../app-context';
import { AgeCheckDialog } from './AgeCheckDialog';
import { CardPanel } from './CardPanel';
import { CartView } from './CartView';
import { CashPanel } from './CashPanel';
import { describeError } from './errors';
import { ReceiptView } from './ReceiptView';
import { ScanInput } from './ScanInput';
import { TotalsView } from './TotalsView';
import type { Checkout } from './useCheckout';

/** The cashier lane: scan → cart and totals → cash or card → receipt. */
export function Lane({ checkout: c }: { checkout: Checkout }) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const totals = cartTotals(c.cart, profile.tax);
  const hasItems = activeLines(c.cart).length > 0;
  const scanning = c.phase.kind === 'scanning';
  const canTender = scanning && hasItems && !c.ageCheck;

  // Function keys, as on a POS keyboard.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F8' && canTender) {
        e.preventDefault();
        c.goTo('cash');
      } else if (e.key === 'F9' && canTender) {
        e.preventDefault();
        c.goTo('card');
      } else if (e.key === 'F4' && scanning) {
        e.preventDefault();
        const last = activeLines(c.cart).at(-1);
        if (last) {
          const el = document.querySelector<HTMLInputElement>(
            `[aria-label="${CSS.escape(t('cart.quantityFor', { name: last.name }))}"]`,
          );
          el?.focus();
          el?.select();
        }
      } else if (e.key === 'F7' && scanning) {
        e.preventDefault();
        const last = activeLines(c.cart).at(-1);
        if (last) c.voidLine(last.lineId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [c, canTender, scanning, t]);

  if (c.phase.kind === 'receipt') {
    return <ReceiptView sale={c.phase.sale} onNewSale={c.newSale} />;
  }

  return (
    <div className="lane">
      <div className="lane-left">
        <ScanInput
          disabled={!scanning || Boolean(c.ageCheck)}
          onBarcode={c.enterBarcode}
          onPick={c.addFromSearch}
          onError={c.setError}
        />
        {c.error && (
          <p className="error" role="alert" data-testid="lane-error">
            {c.error}
          </p>
        )}
        <CartView
          cart={c.cart}
          editable={scanning}
          onQuantity={c.changeQuantity}
          onVoid={(id) => {
            try {
              c.voidLine(id);
            } catch (e) {
              c.setError(describeError(t, e));
            }
          }}
          onError={c.setError}
        />
      </div>
      <aside className="lane-right" aria-label={t('totals.total')}>
        <TotalsView totals={totals} />
        {scanning && (
          <div className="tenders">
            <button
              type="button"
              className="primary big"
              disabled={!canTender}
              onClick={() => c.goTo('cash')}
            >
              {t('tender.cashKey')}
            </button>
            <button
              type="button"
              className="primary big"
              disabled={!canTender}
              onClick={() => c.goTo('card')}
            >
              {t('tender.cardKey')}
            </button>
          </div>
        )}
        {c.phase.kind === 'cash' && (
          <CashPanel
            total={totals.total}
            onComplete={async (tenders) => {
              await c.complete(tenders);
            }}
            onBack={() => c.goTo('scanning')}
          />
        )}
        {c.phase.kind === 'card' && (
          <CardPanel
            saleId={c.saleId}
            total={totals.total}
            resumePaymentId={c.phase.resumePaymentId}
            onPending={c.setPendingCard}
            onComplete={async (tenders) => {
              await c.complete(tenders);
            }}
            onPayCash={() => c.goTo('cash')}
            onBack={() => c.goTo('scanning')}
          />
        )}
      </aside>
      {c.ageCheck && (
        <AgeCheckDialog check={c.ageCheck} onConfirm={c.confirmAge} onRefuse={c.refuseAge} />
      )}
    </div>
  );
}
