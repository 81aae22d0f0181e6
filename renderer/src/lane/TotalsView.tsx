import { useTranslation } from '../i18n/use-translation';
import type { CartTotals } from '../../../common/cart';
import { useApp } from '../app-context';
import { useMoneyFormat } from './format';

export function TotalsView({ totals }: { totals: CartTotals }) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const fmt = useMoneyFormat();
  return (
    <>
      <dl className="totals" aria-label={t('totals.total')}>
        <div>
          <dt>{t('totals.subtotal')}</dt>
          <dd>{fmt(totals.subtotal)}</dd>
        </div>
        <div>
          <dt>{profile.tax.pricesIncludeTax ? t('totals.taxIncluded') : t('totals.tax')}</dt>
          <dd data-testid="tax">{fmt(totals.tax)}</dd>
        </div>
        <div className="grand">
          <dt>{t('totals.total')}</dt>
          <dd data-testid="total">{fmt(totals.total)}</dd>
        </div>
      </dl>
      <p className="muted small" data-testid="item-count">
        {t('totals.items', { count: totals.itemCount })}
      </p>
    </>
  );
}
