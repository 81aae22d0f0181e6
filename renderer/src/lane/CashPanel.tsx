import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compare, money, parseMoneyInput, subtract, type Money } from '../../../common/money';
import type { Tender } from '../../../common/sale';
import { useApp } from '../app-context';
import { describeError } from './errors';
import { useMoneyFormat } from './format';

interface Props {
  total: Money;
  onComplete(tenders: Tender[]): Promise<void>;
  onBack(): void;
}

/** Next banknotes above the total, as quick-cash buttons (a $7.23 sale offers $10, $20, $50…). */
export function quickCashAmounts(total: number, banknotes: readonly number[]): number[] {
  const out: number[] = [];
  for (const note of banknotes) {
    const amount = Math.ceil(total / note) * note;
    if (amount > total && !out.includes(amount)) out.push(amount);
  }
  return out.sort((a, b) => a - b).slice(0, 4);
}

export function CashPanel({ total, onComplete, onBack }: Props) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const fmt = useMoneyFormat();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const parsed = useMemo(() => {
    if (text.trim() === '') return null;
    try {
      return parseMoneyInput(text, profile.currency, profile.locale);
    } catch {
      return null;
    }
  }, [text, profile]);
  const change = parsed && compare(parsed, total) >= 0 ? subtract(parsed, total) : null;

  const pay = async (given: Money) => {
    if (compare(given, total) < 0) {
      setError(t('cash.tooLow', { given: fmt(given), total: fmt(total) }));
      return;
    }
    setBusy(true);
    try {
      await onComplete([{ kind: 'cash', amount: total, given, change: subtract(given, total) }]);
    } catch (e) {
      setError(describeError(t, e));
      setBusy(false);
    }
  };

  const submitTyped = () => {
    try {
      void pay(parseMoneyInput(text, profile.currency, profile.locale));
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  return (
    <section className="tender-panel" aria-labelledby="cash-title">
      <h2 id="cash-title">{t('cash.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <label htmlFor="cash-received">{t('cash.received')}</label>
      <input
        id="cash-received"
        className="cash-input"
        inputMode="decimal"
        autoFocus
        autoComplete="off"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'cash-error' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            submitTyped();
          } else if (e.key === 'Escape') onBack();
        }}
      />
      <div className="quick-cash" role="group" aria-label={t('cash.quickGroup')}>
        <button type="button" disabled={busy} onClick={() => void pay(total)}>
          {t('cash.exact', { amount: fmt(total) })}
        </button>
        {quickCashAmounts(total.amount, profile.banknotes).map((a) => (
          <button
            type="button"
            key={a}
            disabled={busy}
            aria-label={t('cash.quick', { amount: fmt(a) })}
            onClick={() => void pay(money(a, profile.currency))}
          >
            {fmt(a)}
          </button>
        ))}
      </div>
      <p className="change" aria-live="polite">
        {t('cash.change')}:{' '}
        <strong data-testid="change-preview">{change ? fmt(change) : '—'}</strong>
      </p>
      {error && (
        <p id="cash-error" className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={submitTyped}>
          {t('cash.complete')}
        </button>
        <button type="button" onClick={onBack} disabled={busy}>
          {t('tender.back')}
        </button>
      </div>
    </section>
  );
}
