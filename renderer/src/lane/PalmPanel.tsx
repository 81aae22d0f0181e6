import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckoutEvent } from '../../../common/checkout/checkout-events';
import type { PalmStep } from '../../../common/checkout/phase';
import type { PalmContext } from '../../../common/checkout/types';
import type { Money } from '../../../common/money';
import { useMoneyFormat } from './format';
import { shuffledDigits } from './keypad';

interface Props {
  step: PalmStep;
  palm: PalmContext;
  total: Money;
  send(event: CheckoutEvent): void;
}

/**
 * A view of the palm branch: guidance while the scanner is armed, the step-up keypad, and the
 * fallback with card and cash highlighted. Rendered only where palm pay is wired (Lane's
 * `palmEnabled`), which the app is not until payment authorization lands.
 */
export function PalmPanel({ step, palm, total, send }: Props) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  const highlight = step === 'paused' || step === 'fallback' || step === 'unresolved';

  let message: string;
  if (step === 'waiting')
    message = palm.guidance
      ? t(`palm.guidance.${palm.guidance}`)
      : palm.notice
        ? `${t(`palm.notice.${palm.notice}`)} ${t('palm.hover')}`
        : t('palm.hover');
  else if (step === 'stepUp' || step === 'stepUpChecking')
    message = palm.notice
      ? t(`palm.notice.${palm.notice}`, { count: palm.stepUpTriesLeft })
      : t('palm.stepUp');
  else if (step === 'fallback')
    message = t(`palm.fallback.${palm.fallback ?? 'scanner-unavailable'}`, {
      reason: palm.reason ?? '',
    });
  else message = t(`palm.${step}`);

  return (
    <section className="tender-panel" aria-labelledby="palm-title">
      <h2 id="palm-title">{t('palm.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <p
        className={`palm-status ${highlight ? 'error' : ''}`}
        role={highlight ? 'alert' : 'status'}
        aria-live="polite"
        data-state={step}
        data-testid="palm-status"
      >
        {message}
      </p>
      {step === 'stepUp' && (
        <StepUpKeypad
          key={palm.stepUpRound}
          onDigits={(digits) => send({ type: 'STEP_UP_ENTERED', digits })}
        />
      )}
      <div className="actions">
        {(step === 'unresolved' || (step === 'fallback' && palm.blocked === null)) && (
          <button type="button" onClick={() => send({ type: 'PALM_RETRY' })}>
            {t('palm.retry')}
          </button>
        )}
        <button
          type="button"
          className={highlight ? 'primary' : undefined}
          onClick={() => send({ type: 'PAY_CARD' })}
        >
          {t('palm.payCard')}
        </button>
        <button
          type="button"
          className={highlight ? 'primary' : undefined}
          onClick={() => send({ type: 'PAY_CASH' })}
        >
          {t('palm.payCash')}
        </button>
        <button type="button" onClick={() => send({ type: 'BACK' })}>
          {t('tender.back')}
        </button>
      </div>
    </section>
  );
}

/** Four digits on keys laid out afresh for every prompt (keyed by the machine's stepUpRound). */
function StepUpKeypad({ onDigits }: { onDigits(digits: string): void }) {
  const { t } = useTranslation();
  const keys = useMemo(() => shuffledDigits(), []);
  const [entered, setEntered] = useState('');
  const press = (d: string) => {
    const next = entered + d;
    if (next.length === 4) {
      setEntered('');
      onDigits(next);
    } else setEntered(next);
  };
  return (
    <div className="keypad" role="group" aria-label={t('palm.keypad')}>
      <p aria-live="polite">{t('palm.digitsEntered', { count: entered.length })}</p>
      {keys.map((d) => (
        <button type="button" key={d} onClick={() => press(d)}>
          {d}
        </button>
      ))}
      <button type="button" onClick={() => setEntered('')} disabled={entered === ''}>
        {t('palm.clearDigits')}
      </button>
    </div>
  );
}
