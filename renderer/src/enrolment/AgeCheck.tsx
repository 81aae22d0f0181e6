import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { MinimumAge } from '../../../common/enrolment/types';
import { useApp } from '../app-context';
import { CredentialDialog } from '../staff/CredentialDialog';
import { checkOffline } from '../staff/staff';
import type { StepProps } from './EnrolSteps';

/**
 * The attendant's ID check during enrolment: 18+ or 21+, approved with their own credential
 * (checked on the lane now, and by the cloud with the enrolment). Only the minimum age, who and
 * when are kept — the date of birth is never typed in.
 */
export function AgeCheck({ flow, state }: StepProps) {
  const { t } = useTranslation();
  const { db, profile } = useApp();
  const [asking, setAsking] = useState<MinimumAge | null>(null);
  const [who, setWho] = useState<string | null>(null);
  const age = state.age;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(profile.locale, { timeStyle: 'short' }).format(new Date(iso));
  return (
    <fieldset className="enrol-age" data-testid="enrol-age">
      <legend>{t('enrol.age.title')}</legend>
      <p className="small" data-testid="enrol-age-status">
        {age
          ? t('enrol.age.verified', {
              age: age.minimumAge,
              who: who ?? age.staffId,
              at: time(age.verifiedAt),
            })
          : t('enrol.age.none')}
      </p>
      <div className="actions">
        {([18, 21] as const).map((a) => (
          <button key={a} type="button" onClick={() => setAsking(a)}>
            {t(a === 18 ? 'enrol.age.verify18' : 'enrol.age.verify21')}
          </button>
        ))}
      </div>
      {asking !== null && (
        <CredentialDialog
          db={db}
          role={['attendant', 'manager']}
          title={t('enrol.age.dialogTitle')}
          purpose={t('enrol.age.purpose', { age: asking })}
          action="enrol-age-check"
          onCancel={() => setAsking(null)}
          check={async (member, passcode) => {
            const ok = await checkOffline(member, passcode);
            // The cloud checks the same credential again with the enrolment, so it travels along.
            if (ok)
              flow.send({
                type: 'AGE_VERIFIED',
                verification: {
                  minimumAge: asking,
                  staffId: member.id,
                  passcode,
                  verifiedAt: new Date().toISOString(),
                },
              });
            return ok;
          }}
          onApproved={(member) => {
            setWho(member.name);
            setAsking(null);
          }}
        />
      )}
    </fieldset>
  );
}
