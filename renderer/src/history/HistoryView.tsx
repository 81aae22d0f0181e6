import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../common/money';
import { useApp } from '../app-context';
import { recentSales } from '../db/sales';

/** Completed sales on this lane, newest first, with each one's sync state. */
export function HistoryView() {
  const { t } = useTranslation();
  const { db, profile } = useApp();
  const rows = useLiveQuery(async () => {
    const sales = await recentSales(db, 200);
    const outbox = await db.outbox
      .where('status')
      .anyOf(['pending', 'in-flight', 'rejected'])
      .toArray();
    const status = new Map(
      outbox.flatMap((o) =>
        o.kind === 'sale.completed' ? [[o.payload.id, o.status] as const] : [],
      ),
    );
    return sales.map((s) => ({ sale: s, status: status.get(s.id) ?? 'synced' }));
  }, [db]);
  const time = new Intl.DateTimeFormat(profile.locale, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      {rows && rows.length === 0 && <p className="muted">{t('history.empty')}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('history.receipt')}</th>
              <th scope="col">{t('history.time')}</th>
              <th scope="col">{t('history.items')}</th>
              <th scope="col">{t('history.tender')}</th>
              <th scope="col" className="num">
                {t('history.total')}
              </th>
              <th scope="col">{t('history.sync')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ sale, status }) => (
              <tr key={sale.id} data-testid="history-row">
                <th scope="row">{sale.receiptNo}</th>
                <td>{time.format(new Date(sale.completedAt))}</td>
                <td>{sale.totals.itemCount}</td>
                <td>
                  {sale.tenders
                    .map((x) =>
                      x.kind === 'cash'
                        ? t('tender.cash')
                        : x.kind === 'card'
                          ? `${x.brand} ${x.last4}`
                          : t('tender.palm'),
                    )
                    .join(', ')}
                </td>
                <td className="num">{formatMoney(sale.totals.total, sale.locale)}</td>
                <td>
                  <span className={`sync ${status}`}>{t(`history.${status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
