import { memo, useEffect } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { activeLines, cartTotals } from '../../../common/cart';
import type { CheckoutEvent } from '../../../common/checkout/checkout-events';
import { cardStep, palmStep, walletStep } from '../../../common/checkout/phase';
import { useApp } from '../app-context';
import { AgeCheckDialog } from './AgeCheckDialog';
import { CardPanel } from './CardPanel';
import { CartView } from './CartView';
import { CashPanel } from './CashPanel';
import { CommitPanel } from './CommitPanel';
import { describeError } from './errors';
import { useMoneyFormat } from './format';
import { PalmPanel } from './PalmPanel';
import { ReceiptView } from './ReceiptView';
import { ScanInput } from './ScanInput';
import { TotalsView } from './TotalsView';
import { WalletPanel } from '../wallet/WalletPanel';
import type { Checkout } from './useCheckout';

/**
 * The cashier lane, rendered from the checkout machine's state: scan → cart and totals → cash,
 * card (or palm, where wired) → receipt. Buttons and keys send events; the machine decides.
 * Memoised: the terminal around it re-renders on scanner and device events (several during a
 * palm's hover and match), which change nothing here.
 */
export const Lane = memo(function Lane({
  checkout: c,
  palmReady = true,
}: {
  checkout: Checkout;
  palmReady?: boolean;
}) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const fmt = useMoneyFormat();
  const ctx = c.snapshot.context;
  const totals = cartTotals(c.cart, profile.tax);
  const scanning = c.phase === 'scanning';
  const tenderKeys = c.phase === 'scanning' || c.phase === 'age-check';

  // Function keys, as on a POS keyboard. F8/F9 switch tender wherever the machine allows it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tender: CheckoutEvent | null =
        e.key === 'F8' ? { type: 'PAY_CASH' } : e.key === 'F9' ? { type: 'PAY_CARD' } : null;
      if (tender) {
        e.preventDefault();
        // A scan still being looked up may be what makes the sale payable: send it after.
        if (c.can(tender) || c.scansPending()) c.send(tender);
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
  }, [c, scanning, t]);

  if (c.phase === 'receipt' && ctx.receipt) {
    return (
      <ReceiptView
        receipt={ctx.receipt}
        onPrint={() => c.send({ type: 'PRINT' })}
        onNewSale={c.newSale}
      />
    );
  }

  const due = ctx.due ?? totals.total;
  // The tender that settles the sale (a split sale's cash parts come before it).
  const committingWith = ctx.tenders?.at(-1)?.kind ?? null;
  const restOptions: { label: string; event: CheckoutEvent }[] = [
    { label: t('tender.card'), event: { type: 'PAY_CARD' } },
    { label: t('tender.wallet'), event: { type: 'PAY_WALLET' } },
    ...(c.palmEnabled && palmReady
      ? [{ label: t('tender.palm'), event: { type: 'PAY_PALM' } as const }]
      : []),
  ];
  const restTenders = restOptions
    .filter((b) => c.can(b.event))
    .map((b) => ({ label: b.label, onClick: () => c.send(b.event) }));
  const card = cardStep(c.snapshot);
  const palm = palmStep(c.snapshot);
  const wallet = walletStep(c.snapshot);

  return (
    <div className="lane">
      <div className="lane-left">
        <ScanInput
          disabled={!scanning}
          onBarcode={c.enterBarcode}
          onPick={c.addFromSearch}
          onError={c.setError}
        />
        {c.error && (
          <p className="error" role="alert" data-testid="lane-error">
            {c.error}
          </p>
        )}
        {ctx.handBack && (
          <p className="error" role="alert" data-testid="hand-back">
            {t('split.handBack', { amount: fmt(ctx.handBack) })}
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
        {tenderKeys && (
          <div className="tenders">
            <button
              type="button"
              className="primary big"
              disabled={!c.can({ type: 'PAY_CASH' })}
              onClick={() => c.send({ type: 'PAY_CASH' })}
            >
              {t('tender.cashKey')}
            </button>
            <button
              type="button"
              className="primary big"
              disabled={!c.can({ type: 'PAY_CARD' })}
              onClick={() => c.send({ type: 'PAY_CARD' })}
            >
              {t('tender.cardKey')}
            </button>
            <button
              type="button"
              className="primary big"
              disabled={!c.can({ type: 'PAY_WALLET' })}
              onClick={() => c.send({ type: 'PAY_WALLET' })}
            >
              {t('tender.walletKey')}
            </button>
            {c.palmEnabled && (
              <button
                type="button"
                className="primary big"
                disabled={!palmReady || !c.can({ type: 'PAY_PALM' })}
                title={palmReady ? undefined : t('palmTender.notReady')}
                onClick={() => c.send({ type: 'PAY_PALM' })}
              >
                {t('palm.payKey')}
              </button>
            )}
          </div>
        )}
        {(c.phase === 'cash' || (c.phase === 'committing' && committingWith === 'cash')) && (
          <CashPanel
            total={due}
            paid={ctx.paid}
            problem={ctx.cashProblem}
            busy={c.phase === 'committing'}
            onGiven={(given) => c.send({ type: 'CASH_GIVEN', given })}
            onPart={(given) => c.send({ type: 'CASH_PART', given })}
            onBack={() => c.send({ type: 'BACK' })}
            rest={restTenders}
          />
        )}
        {card && ctx.card && <CardPanel step={card} card={ctx.card} total={due} send={c.send} />}
        {palm && c.palmEnabled && (
          <PalmPanel
            step={palm}
            palm={ctx.palm}
            total={due}
            pauseMs={ctx.palmSettings?.pauseMs ?? 30_000}
            send={c.send}
          />
        )}
        {wallet && (
          <WalletPanel
            step={wallet}
            wallet={ctx.wallet}
            total={due}
            send={c.send}
            palm={
              c.palmEnabled && palmReady && c.can({ type: 'PAY_PALM' })
                ? { label: t('tender.palm') }
                : null
            }
          />
        )}
        {(c.phase === 'commit-failed' ||
          (c.phase === 'committing' && committingWith !== 'cash')) && (
          <CommitPanel
            total={due}
            problem={c.phase === 'commit-failed' ? ctx.commitProblem : null}
            onRetry={() => c.send({ type: 'COMMIT_RETRY' })}
          />
        )}
      </aside>
      {c.ageCheck && (
        <AgeCheckDialog
          check={c.ageCheck}
          onConfirm={() => c.send({ type: 'CONFIRM_AGE' })}
          onRefuse={() => c.send({ type: 'REFUSE_AGE' })}
          {...(c.palmEnabled &&
          palmReady &&
          c.can({ type: 'PAY_PALM' }) &&
          ctx.palm.notice !== 'age-not-verified'
            ? { onPalm: () => c.send({ type: 'PAY_PALM' }) }
            : {})}
          notice={ctx.palm.notice === 'age-not-verified' ? t('palm.notice.age-not-verified') : null}
        />
      )}
    </div>
  );
});
