import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { useApp } from '../app-context';
import type { PendingAgeCheck } from './useCheckout';

/**
 * Modal ID check for an age-restricted item: confirm (Enter) or remove the item (Esc). Where palm
 * pay is ready, the customer may instead pay by palm: an age-verified palm account covers the
 * check (the record was verified at enrolment); one that is not brings the check back, saying so.
 */
export function AgeCheckDialog({
  check,
  onConfirm,
  onRefuse,
  onPalm,
  notice,
}: {
  check: PendingAgeCheck;
  onConfirm(): void;
  onRefuse(): void;
  /** Pay by palm instead (absent where palm pay is not ready). */
  onPalm?: () => void;
  /** Why the check is back (the palm account is not age-verified). */
  notice?: string | null;
}) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const born = new Date();
  born.setFullYear(born.getFullYear() - check.age);
  const date = new Intl.DateTimeFormat(profile.locale, { dateStyle: 'long' }).format(born);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="age-title"
        aria-describedby="age-body"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onRefuse();
          }
        }}
      >
        <h2 id="age-title">{t('age.title')}</h2>
        <p id="age-body">{t('age.body', { name: check.name, age: check.age, date })}</p>
        {notice && (
          <p className="error" role="alert" data-testid="age-notice">
            {notice}
          </p>
        )}
        <div className="actions">
          <button ref={confirmRef} type="button" className="primary" onClick={onConfirm}>
            {t('age.confirm', { age: check.age })}
          </button>
          <button type="button" onClick={onRefuse}>
            {t('age.refuse')}
          </button>
          {onPalm && (
            <button type="button" onClick={onPalm}>
              {t('palmTender.agePalm')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
