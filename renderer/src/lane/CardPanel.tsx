import { useTranslation } from '../i18n/use-translation';
import type { CheckoutEvent } from '../../../common/checkout/checkout-events';
import type { CardStep } from '../../../common/checkout/phase';
import type { CardAttempt } from '../../../common/checkout/types';
import type { Money } from '../../../common/money';
import { describeProblem } from './errors';
import { useMoneyFormat } from './format';

interface Props {
  step: CardStep;
  card: CardAttempt;
  total: Money;
  send(event: CheckoutEvent): void;
  /** Offer cash after a failed card (false at a kiosk, which takes no cash). */
  cash?: boolean;
}

/**
 * A view of the card branch of the checkout machine: what the terminal says, and buttons that
 * send events. The payment itself (begin, watchdog, cancel, resume) lives in the machine.
 */
export function CardPanel({ step, card, total, send, cash = true }: Props) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  const u = card.update;

  let state: string;
  let message: string;
  if (step === 'starting' || step === 'resuming') {
    state = 'starting';
    message = t('card.starting');
  } else if (step === 'inProgress' && u) {
    state = u.state;
    message = t(`card.${u.state}`);
  } else if (step === 'notResponding') {
    state = 'not-responding';
    message = t('card.notResponding');
  } else if (step === 'cancelling') {
    state = 'cancelling';
    message = t('card.cancelling');
  } else if (step === 'unresolved') {
    state = 'unresolved';
    message = t('card.unresolved');
  } else if (card.problem) {
    state = u?.state ?? 'error';
    message =
      card.problem.code === 'CARD_AMOUNT_MISMATCH'
        ? t('card.amountMismatch')
        : describeProblem(t, card.problem);
  } else if (u?.state === 'declined') {
    state = 'declined';
    message = t('card.declined', { reason: t(`card.reasons.${u.reason ?? 'generic_decline'}`) });
  } else {
    state = u?.state ?? 'error';
    message = t(`card.${u?.state ?? 'failed'}`);
  }

  const failed = step === 'failed' || step === 'notResponding' || step === 'unresolved';
  return (
    <section className="tender-panel" aria-labelledby="card-title">
      <h2 id="card-title">{t('card.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <p
        className={`card-status ${failed ? 'error' : ''}`}
        role={failed ? 'alert' : 'status'}
        aria-live="polite"
        data-state={state}
        data-testid="card-status"
      >
        {message}
      </p>
      <div className="actions">
        {step === 'inProgress' && u?.state === 'waiting-for-card' && (
          <button type="button" onClick={() => send({ type: 'CARD_CANCEL' })}>
            {t('card.cancel')}
          </button>
        )}
        {failed && (
          <>
            <button type="button" className="primary" onClick={() => send({ type: 'CARD_RETRY' })}>
              {step === 'unresolved' ? t('card.checkAgain') : t('card.retry')}
            </button>
            {cash && (
              <button type="button" onClick={() => send({ type: 'PAY_CASH' })}>
                {t('card.payCash')}
              </button>
            )}
            <button type="button" onClick={() => send({ type: 'BACK' })}>
              {t('tender.back')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
