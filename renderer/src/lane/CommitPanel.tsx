import { useTranslation } from '../i18n/use-translation';
import type { Problem } from '../../../common/checkout/types';
import type { Money } from '../../../common/money';
import { describeProblem } from './errors';
import { useMoneyFormat } from './format';

/**
 * The sale is being written after a card (or palm) payment was taken. If the write fails the
 * money is already taken, so the only way on is to write it again — never another tender.
 */
export function CommitPanel({
  total,
  problem,
  onRetry,
}: {
  total: Money;
  problem: Problem | null;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  return (
    <section className="tender-panel" aria-labelledby="commit-title">
      <h2 id="commit-title">{t('commit.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      {problem ? (
        <>
          <p className="error" role="alert" data-testid="commit-status">
            {t('commit.failed', { message: describeProblem(t, problem) })}
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={onRetry}>
              {t('commit.retry')}
            </button>
          </div>
        </>
      ) : (
        <p role="status" data-testid="commit-status">
          {t('commit.saving')}
        </p>
      )}
    </section>
  );
}
