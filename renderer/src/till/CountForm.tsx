import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { formatMoney, type CurrencyCode } from '../../../common/money';
import { DENOMINATIONS, type DenominationCount } from '../../../common/shift/denominations';

/** The drawer counted note by note and coin by coin, in the store's own denominations. */
export function CountForm({
  currency,
  locale,
  onCounted,
}: {
  currency: CurrencyCode;
  locale: string;
  onCounted: (counts: DenominationCount[], total: number) => void;
}) {
  const { t } = useTranslation();
  const values = DENOMINATIONS[currency];
  const [counts, setCounts] = useState<Record<number, string>>({});
  const parsed = values.map((value) => {
    const raw = (counts[value] ?? '').trim();
    const count = raw === '' ? 0 : Number(raw);
    return { value, count, ok: raw === '' || (/^\d{1,6}$/.test(raw) && count <= 100_000) };
  });
  const valid = parsed.every((p) => p.ok);
  const total = parsed.reduce((n, p) => n + (p.ok ? p.value * p.count : 0), 0);
  const fmt = (n: number) => formatMoney({ amount: n, currency }, locale);
  return (
    <form
      className="count-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid)
          onCounted(
            parsed.filter((p) => p.count > 0).map(({ value, count }) => ({ value, count })),
            total,
          );
      }}
    >
      <fieldset>
        <legend>{t('till.count')}</legend>
        <div className="denominations">
          {parsed.map((p) => (
            <label key={p.value}>
              <span>{fmt(p.value)}</span>
              <input
                inputMode="numeric"
                aria-label={t('till.countOf', { value: fmt(p.value) })}
                aria-invalid={!p.ok}
                value={counts[p.value] ?? ''}
                onChange={(e) => setCounts({ ...counts, [p.value]: e.target.value })}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <p data-testid="counted-total">{t('till.countedTotal', { amount: fmt(total) })}</p>
      <button type="submit" className="primary" disabled={!valid}>
        {t('till.close')}
      </button>
    </form>
  );
}
