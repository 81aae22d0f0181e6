import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { DeletionView } from './DeletionView';
import { EnrolmentView } from './EnrolmentView';
import './enrolment.css';

/** The lane's Shoppers tab: enrol a shopper for palm pay, or delete one's data on request. */
export function ShoppersView() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'enrol' | 'delete' | null>(null);
  const enrolRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open === null) enrolRef.current?.focus();
  }, [open]);
  if (open === 'enrol') return <EnrolmentView onClose={() => setOpen(null)} />;
  if (open === 'delete') return <DeletionView onClose={() => setOpen(null)} />;
  return (
    <section className="shoppers" aria-labelledby="shoppers-title">
      <h2 id="shoppers-title">{t('shoppers.title')}</h2>
      <p>{t('shoppers.help')}</p>
      <div className="actions">
        <button ref={enrolRef} type="button" className="primary" onClick={() => setOpen('enrol')}>
          {t('shoppers.enrol')}
        </button>
        <button type="button" onClick={() => setOpen('delete')}>
          {t('shoppers.delete')}
        </button>
      </div>
    </section>
  );
}
