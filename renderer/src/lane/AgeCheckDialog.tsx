import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app-context';
import type { PendingAgeCheck } from './useCheckout';

/** Modal ID check for an age-restricted item: confirm (Enter) or remove the item (Esc). */
export function AgeCheckDialog({
  check,
  onConfirm,
  onRefuse,
}: {
  check: PendingAgeCheck;
  onConfirm(): void;
  onRefuse(): void;
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
        <div className="actions">
          <button ref={confirmRef} type="button" className="primary" onClick={onConfirm}>
            {t('age.confirm', { age: check.age })}
          </button>
          <button type="button" onClick={onRefuse}>
            {t('age.refuse')}
          </button>
        </div>
      </div>
    </div>
  );
}
