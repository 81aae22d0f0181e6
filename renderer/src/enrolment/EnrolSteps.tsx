import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { CAPTURES_PER_PALM } from '../../../common/enrolment/captures';
import { canFinish } from '../../../common/enrolment/machine';
import type { EnrolmentFlow } from '../../../common/enrolment/driver';
import type { EnrolHand, EnrolState } from '../../../common/enrolment/types';
import { AgeCheck } from './AgeCheck';

/** The enrolment's screens, one per step (EnrolmentView picks one). Each focuses its main control. */
export interface StepProps {
  readonly flow: EnrolmentFlow;
  readonly state: EnrolState;
}

function useFocus<T extends HTMLElement>(dep: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), [dep]);
  return ref;
}

export function ConsentStep({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const agree = useFocus<HTMLButtonElement>(state.step);
  return (
    <div data-testid="enrol-consent">
      <p>{t('enrol.consent.lead')}</p>
      <ul className="enrol-consent">
        <li>{t('enrol.consent.template')}</li>
        <li>{t('enrol.consent.card')}</li>
        <li>{t('enrol.consent.phone')}</li>
        <li>{t('enrol.consent.delete')}</li>
        <li>{t('enrol.consent.retention')}</li>
      </ul>
      <div className="actions">
        <button
          ref={agree}
          type="button"
          className="primary"
          disabled={!state.online}
          onClick={() => flow.send({ type: 'CONSENT', at: new Date().toISOString() })}
        >
          {t('enrol.consent.agree')}
        </button>
      </div>
    </div>
  );
}

export function CardStep({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const again = useFocus<HTMLButtonElement>(state.problem);
  return (
    <div data-testid="enrol-card">
      <p>{t('enrol.card.lead')}</p>
      {state.problem ? (
        <div className="actions">
          <button
            ref={again}
            type="button"
            className="primary"
            onClick={() => flow.send({ type: 'READ_CARD' })}
          >
            {t('enrol.card.readAgain')}
          </button>
        </div>
      ) : (
        <p className="muted" role="status">
          {t('enrol.card.waiting')}
        </p>
      )}
    </div>
  );
}

export function PhoneStep({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const [raw, setRaw] = useState('');
  const input = useFocus<HTMLInputElement>(state.problem);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    flow.send({ type: 'PHONE', raw });
  };
  return (
    <form data-testid="enrol-phone" onSubmit={submit}>
      <label htmlFor="enrol-phone-input">{t('enrol.phone.label')}</label>
      <input
        ref={input}
        id="enrol-phone-input"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        maxLength={32}
        value={raw}
        aria-describedby="enrol-phone-hint"
        aria-invalid={state.problem?.startsWith('phone-') ? true : undefined}
        onChange={(e) => setRaw(e.target.value)}
      />
      <p id="enrol-phone-hint" className="muted small">
        {t('enrol.phone.hint', { country: state.country })}
      </p>
      <div className="actions">
        <button type="submit" className="primary">
          {t('enrol.phone.next')}
        </button>
      </div>
    </form>
  );
}

export function PalmsStep({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const capturing = state.current !== null ? state.palms[state.current] : undefined;
  const ready = canFinish(state);
  const finish = useFocus<HTMLButtonElement>(ready);
  const first = useFocus<HTMLButtonElement>(state.current === null && !ready);
  const palm = (hand: EnrolHand) => state.palms.find((p) => p.hand === hand);
  const handName = (h: EnrolHand) =>
    t(h === 'left' ? 'enrol.palms.handLeft' : 'enrol.palms.handRight');
  return (
    <div data-testid="enrol-palms">
      <p>{t('enrol.palms.lead', { count: CAPTURES_PER_PALM })}</p>
      <div className="enrol-palms">
        {(['left', 'right'] as const).map((hand, i) => {
          const p = palm(hand);
          const good = p?.good.length ?? 0;
          const complete = good >= CAPTURES_PER_PALM && state.current === null;
          return (
            <div key={hand} className="enrol-palm" data-testid={`enrol-palm-${hand}`}>
              <strong>{t(hand === 'left' ? 'enrol.palms.left' : 'enrol.palms.right')}</strong>
              <progress
                max={CAPTURES_PER_PALM}
                value={good}
                aria-label={t('enrol.palms.progress', { good, count: CAPTURES_PER_PALM })}
              />
              <span className="small">
                {complete && p
                  ? t('enrol.palms.complete')
                  : t('enrol.palms.progress', { good, count: CAPTURES_PER_PALM })}
              </span>
              <button
                ref={i === 0 ? first : undefined}
                type="button"
                disabled={state.current !== null}
                onClick={() => flow.send({ type: 'START_PALM', hand })}
              >
                {complete
                  ? t('enrol.palms.again')
                  : t(hand === 'left' ? 'enrol.palms.captureLeft' : 'enrol.palms.captureRight')}
              </button>
            </div>
          );
        })}
      </div>
      {capturing && (
        <p role="status" data-testid="enrol-hold">
          {t('enrol.palms.hold', {
            hand: handName(capturing.hand),
            n: capturing.good.length + 1,
            count: CAPTURES_PER_PALM,
          })}
        </p>
      )}
      <AgeCheck flow={flow} state={state} />
      <div className="actions">
        <button
          ref={finish}
          type="button"
          className="primary"
          disabled={!ready}
          onClick={() => flow.send({ type: 'FINISH' })}
        >
          {t('enrol.palms.finish')}
        </button>
      </div>
    </div>
  );
}

export function DuplicateStep({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const [digits, setDigits] = useState('');
  const input = useFocus<HTMLInputElement>(state.problem);
  return (
    <form
      data-testid="enrol-duplicate"
      onSubmit={(e) => {
        e.preventDefault();
        flow.send({ type: 'UPDATE_EXISTING', confirmLast4: digits });
        setDigits('');
      }}
    >
      <h3>{t('enrol.duplicate.title')}</h3>
      <p>{t('enrol.duplicate.lead', { ref: state.duplicate?.customerRef ?? '' })}</p>
      <label htmlFor="enrol-dup-digits">{t('enrol.duplicate.digits')}</label>
      <input
        ref={input}
        id="enrol-dup-digits"
        inputMode="numeric"
        autoComplete="off"
        maxLength={4}
        value={digits}
        onChange={(e) => setDigits(e.target.value.replace(/\D/g, ''))}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={digits.length !== 4}>
          {t('enrol.duplicate.update')}
        </button>
      </div>
    </form>
  );
}
