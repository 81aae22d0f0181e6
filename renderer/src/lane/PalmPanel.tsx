import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
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
  /** The first pause (each further pause in the sale doubles it), for the countdown. */
  pauseMs: number;
  send(event: CheckoutEvent): void;
  /** Offer cash (false at a kiosk, which takes no cash). */
  cash?: boolean;
}

/**
 * A view of the palm branch: guidance while the scanner is armed, the step-up keypad, and the
 * fallback (with the reason in words) and the pause (with its countdown), card and cash
 * highlighted. Card and cash are one tap away at every step.
 */
export function PalmPanel({ step, palm, total, pauseMs, send, cash = true }: Props) {
  const { t } = useTranslation();
  // A reason code (the cloud's, or an offline limit) in words; an unknown one as it came.
  const reason = palm.reason
    ? t(`palmTender.reasons.${palm.reason}`, { defaultValue: palm.reason })
    : '';
  const shopper = palm.candidate?.shopper ?? null;
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
    message = t(`palm.fallback.${palm.fallback ?? 'scanner-unavailable'}`, { reason });
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
      {step === 'paused' && <PauseCountdown ms={pauseMs * 2 ** Math.max(0, palm.pauses - 1)} />}
      {shopper && (step === 'stepUp' || step === 'stepUpChecking' || step === 'authorizing') && (
        <p className="muted" data-testid="palm-shopper">
          {t('palmTender.welcome')}
          {shopper.loyaltyId ? ` · ${t('palmTender.loyalty', { id: shopper.loyaltyId })}` : ''}
        </p>
      )}
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
        {cash && (
          <button
            type="button"
            className={highlight ? 'primary' : undefined}
            onClick={() => send({ type: 'PAY_CASH' })}
          >
            {t('palm.payCash')}
          </button>
        )}
        <button type="button" onClick={() => send({ type: 'BACK' })}>
          {t('tender.back')}
        </button>
      </div>
    </section>
  );
}

/** Seconds until palm pay resumes (the machine's timer decides; this only shows it). */
function PauseCountdown({ ms }: { ms: number }) {
  const { t } = useTranslation();
  const [end] = useState(() => Date.now() + ms);
  const [left, setLeft] = useState(Math.ceil(ms / 1000));
  useEffect(() => {
    const h = setInterval(() => setLeft(Math.max(0, Math.ceil((end - Date.now()) / 1000))), 500);
    return () => clearInterval(h);
  }, [end]);
  return (
    <p className="muted" data-testid="palm-pause">
      {t('palmTender.pausedFor', { count: left })}
    </p>
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
    <div className="keypad" role="group" aria-label={t('palm.keypad')} data-testid="palm-keypad">
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
