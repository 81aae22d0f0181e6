import { useMemo, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { Problem } from '../../../common/checkout/types';
import type { CashTender } from '../../../common/sale';
import { compare, money, parseMoneyInput, subtract, type Money } from '../../../common/money';
import { useApp } from '../app-context';
import { describeError, describeProblem } from './errors';
import { useMoneyFormat } from './format';

interface Props {
  /** What is still due (the total less any part payments). */
  total: Money;
  /** Cash already tendered toward the sale (split tender). */
  paid: readonly CashTender[];
  /** The machine's refusal of the last amount (too low, another currency, a failed commit). */
  problem: Problem | null;
  busy: boolean;
  onGiven(given: Money): void;
  /** Take the typed amount as part of the due; the rest goes to the next tender. */
  onPart(given: Money): void;
  onBack(): void;
  /** The other tenders that can pay the rest, as buttons (label, action), shown after a part. */
  rest: readonly { readonly label: string; readonly onClick: () => void }[];
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

/**
 * A view of the cash tender: the cashier's typed amount is parsed here (a typo is the field's
 * own error); whether it pays the sale is the machine's call (CASH_GIVEN).
 */
export function CashPanel({ total, paid, problem, busy, onGiven, onPart, onBack, rest }: Props) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const fmt = useMoneyFormat();
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  // The machine's problem stays until the next amount; typing hides it, as an edit would.
  const [dismissed, setDismissed] = useState<Problem | null>(null);

  const parsed = useMemo(() => {
    if (text.trim() === '') return null;
    try {
      return parseMoneyInput(text, profile.currency, profile.locale);
    } catch {
      return null;
    }
  }, [text, profile]);
  const change = parsed && compare(parsed, total) >= 0 ? subtract(parsed, total) : null;
  const part = parsed && parsed.amount > 0 && compare(parsed, total) < 0 ? parsed : null;
  const paidSoFar = paid.reduce((n, p) => n + p.amount.amount, 0);

  const shown = problem && problem !== dismissed ? problem : null;
  const error =
    inputError ??
    (shown?.code === 'CASH_TOO_LOW' || shown?.code === 'CASH_PART_INVALID'
      ? t(shown.code === 'CASH_TOO_LOW' ? 'cash.tooLow' : 'errors.CASH_PART_INVALID', {
          given: fmt(Number(shown.details?.given ?? 0)),
          total: fmt(total),
        })
      : shown
        ? describeProblem(t, shown)
        : null);

  const pay = (given: Money) => {
    setInputError(null);
    setDismissed(null);
    onGiven(given);
  };

  const submitTyped = () => {
    try {
      pay(parseMoneyInput(text, profile.currency, profile.locale));
    } catch (e) {
      setInputError(describeError(t, e));
    }
  };

  return (
    <section className="tender-panel" aria-labelledby="cash-title">
      <h2 id="cash-title">{t('cash.title')}</h2>
      {paid.length > 0 && (
        <p className="muted" data-testid="paid-so-far">
          {t('split.paid')}: {fmt(paidSoFar)}
        </p>
      )}
      <p className="due">
        {paid.length > 0 ? t('split.due') : t('tender.due')}:{' '}
        <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <label htmlFor="cash-received">{t('cash.received')}</label>
      <input
        id="cash-received"
        className="cash-input"
        inputMode="decimal"
        autoFocus
        autoComplete="off"
        value={text}
        disabled={busy}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'cash-error' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setInputError(null);
          setDismissed(problem);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            submitTyped();
          } else if (e.key === 'Escape') onBack();
        }}
      />
      <div className="quick-cash" role="group" aria-label={t('cash.quickGroup')}>
        <button type="button" disabled={busy} onClick={() => pay(total)}>
          {t('cash.exact', { amount: fmt(total) })}
        </button>
        {quickCashAmounts(total.amount, profile.banknotes).map((a) => (
          <button
            type="button"
            key={a}
            disabled={busy}
            aria-label={t('cash.quick', { amount: fmt(a) })}
            onClick={() => pay(money(a, profile.currency))}
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
        {part && (
          <button
            type="button"
            data-testid="cash-part"
            disabled={busy}
            onClick={() => {
              setText('');
              setInputError(null);
              setDismissed(null);
              onPart(part);
            }}
          >
            {t('split.part', { amount: fmt(part) })}
          </button>
        )}
        <button type="button" onClick={onBack} disabled={busy}>
          {t('tender.back')}
        </button>
      </div>
      {paid.length > 0 && rest.length > 0 && (
        <div className="actions" role="group" aria-label={t('split.restBy')}>
          <span className="muted">{t('split.restBy')}:</span>
          {rest.map((b) => (
            <button type="button" key={b.label} disabled={busy} onClick={b.onClick}>
              {b.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
