import { useTranslation } from '../i18n/use-translation';
import { CardPanel } from '../lane/CardPanel';
import { CommitPanel } from '../lane/CommitPanel';
import { PalmPanel } from '../lane/PalmPanel';
import { cardStep, palmStep } from '../../../common/checkout/phase';
import type { Checkout } from '../lane/useCheckout';
import type { Kiosk } from './useKiosk';

/** A hand settling over the scanner: how far to hold it, shown rather than told. */
export function PalmHover() {
  return (
    <span className="palm-hover" aria-hidden="true">
      <span className="hand" />
      <span className="scanner" />
    </span>
  );
}

/**
 * Paying at the kiosk: palm first (where the lane has palm pay), then card. No cash: a kiosk
 * runs without a cash unit, as Xstore's self checkout does.
 */
export function PayPanel({ c, kiosk, onBack }: { c: Checkout; kiosk: Kiosk; onBack(): void }) {
  const { t } = useTranslation();
  const ctx = c.snapshot.context;
  const card = cardStep(c.snapshot);
  const palm = palmStep(c.snapshot);
  const due = ctx.due ?? kiosk.basketValue;
  const choosing = c.phase === 'scanning' || c.phase === 'age-check';
  // No cash at a kiosk: a panel's "pay cash instead" does nothing here.
  const send = (e: Parameters<Checkout['send']>[0]) => {
    if (e.type !== 'PAY_CASH') c.send(e);
  };

  if (choosing) {
    const payCard = () => {
      if (c.ageCheck) kiosk.chooseCard();
      else c.send({ type: 'PAY_CARD' });
    };
    return (
      <section className="kiosk-pay" aria-labelledby="pay-title">
        <h2 id="pay-title">{t('kiosk.payTitle')}</h2>
        {c.palmEnabled && (
          <button
            type="button"
            className="kiosk-primary kiosk-pay-option"
            disabled={kiosk.paymentBlocked || !c.can({ type: 'PAY_PALM' })}
            onClick={() => c.send({ type: 'PAY_PALM' })}
          >
            <PalmHover />
            {t('kiosk.payPalm')}
          </button>
        )}
        <button
          type="button"
          className="kiosk-primary kiosk-pay-option"
          disabled={kiosk.paymentBlocked}
          onClick={payCard}
        >
          {t('kiosk.payCard')}
        </button>
        <p className="kiosk-muted">{t('kiosk.noCash')}</p>
        <button type="button" className="kiosk-secondary" onClick={onBack}>
          {t('kiosk.back')}
        </button>
      </section>
    );
  }
  return (
    <section className="kiosk-pay" aria-label={t('kiosk.pay')}>
      {palm && (
        <>
          {palm === 'waiting' && (
            <p className="kiosk-palm-guide">
              <PalmHover /> {t('kiosk.palmHint')}
            </p>
          )}
          <PalmPanel
            step={palm}
            palm={ctx.palm}
            total={due}
            pauseMs={ctx.palmSettings?.pauseMs ?? 30_000}
            send={send}
            cash={false}
          />
        </>
      )}
      {card && ctx.card && (
        <CardPanel step={card} card={ctx.card} total={due} send={send} cash={false} />
      )}
      {(c.phase === 'committing' || c.phase === 'commit-failed') && (
        <CommitPanel
          total={due}
          problem={c.phase === 'commit-failed' ? ctx.commitProblem : null}
          onRetry={() => c.send({ type: 'COMMIT_RETRY' })}
        />
      )}
      {(card === 'failed' || palm === 'fallback') && (
        <button type="button" className="kiosk-secondary" onClick={() => c.send({ type: 'BACK' })}>
          {t('kiosk.back')}
        </button>
      )}
    </section>
  );
}
