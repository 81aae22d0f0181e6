import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { EnrolStep } from '../../../common/enrolment/types';
import { CardStep, ConsentStep, DuplicateStep, PalmsStep, PhoneStep } from './EnrolSteps';
import { useEnrolmentFlow } from './useEnrolmentFlow';

const STEPS = ['consent', 'card', 'phone', 'palms', 'done'] as const;
/** Where each step of the flow sits in the progress line. */
const PLACE: Record<EnrolStep, (typeof STEPS)[number]> = {
  consent: 'consent',
  card: 'card',
  phone: 'phone',
  palms: 'palms',
  saving: 'palms',
  duplicate: 'palms',
  done: 'done',
  failed: 'done',
  cancelled: 'done',
};

/**
 * Enrolling a shopper at the lane, cashier-assisted: consent → card on the card terminal →
 * phone → one or both palms (+ an optional attendant age check) → saved in the store cloud.
 * The flow itself is common/enrolment/ (pure, tested in Node); this only shows it.
 */
export function EnrolmentView({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const run = useEnrolmentFlow();
  const closeRef = useRef<HTMLButtonElement>(null);
  const step = run?.state.step;
  useEffect(() => {
    if (step === 'done' || step === 'cancelled') closeRef.current?.focus();
  }, [step]);
  if (!run) return null;
  const { flow, state } = run;
  const at = STEPS.indexOf(PLACE[state.step]);
  const final = state.step === 'done' || state.step === 'cancelled' || state.step === 'failed';
  return (
    <section
      className="enrolment"
      aria-labelledby="enrol-title"
      data-testid="enrolment"
      data-step={state.step}
    >
      <h2 id="enrol-title">{t('enrol.title')}</h2>
      <ol className="enrol-steps" aria-label={t('enrol.title')}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === at ? 'step' : undefined} className={i < at ? 'done' : ''}>
            {t(`enrol.steps.${s}`)}
          </li>
        ))}
      </ol>
      {state.card && state.step !== 'card' && (
        <p className="small muted" data-testid="enrol-card-saved">
          {t('enrol.card.saved', { brand: state.card.brand, last4: state.card.last4 })}
          {state.phone && ` · ${t('enrol.phone.saved', { phone: state.phone.e164 })}`}
        </p>
      )}
      {state.problem && (
        <p className="error" role="alert" data-testid="enrol-problem" data-problem={state.problem}>
          {t(`enrol.problem.${state.problem}`)}
        </p>
      )}
      {state.step === 'consent' && <ConsentStep flow={flow} state={state} />}
      {state.step === 'card' && <CardStep flow={flow} state={state} />}
      {state.step === 'phone' && <PhoneStep flow={flow} state={state} />}
      {state.step === 'palms' && <PalmsStep flow={flow} state={state} />}
      {state.step === 'saving' && (
        <p role="status" aria-busy="true">
          {t('enrol.saving')}
        </p>
      )}
      {state.step === 'duplicate' && <DuplicateStep flow={flow} state={state} />}
      {state.step === 'done' && state.result && (
        <div role="status" data-testid="enrol-done">
          <h3>{t(state.result.updated ? 'enrol.done.updated' : 'enrol.done.title')}</h3>
          <p>{t('enrol.done.lead', { ref: state.result.customerRef })}</p>
        </div>
      )}
      {state.step === 'cancelled' && <p role="status">{t('enrol.cancelled')}</p>}
      <div className="actions">
        {final ? (
          <button ref={closeRef} type="button" className="primary" onClick={onClose}>
            {t('enrol.done.close')}
          </button>
        ) : (
          <button
            type="button"
            disabled={state.step === 'saving'}
            onClick={() => flow.send({ type: 'CANCEL' })}
          >
            {t('enrol.cancel')}
          </button>
        )}
      </div>
    </section>
  );
}
