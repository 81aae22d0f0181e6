import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { formatMoney } from '../../../common/money';
import type { Sale } from '../../../common/sale';
import { useApp } from '../app-context';
import { recentSales } from '../db/sales';
import { PostSaleDialog } from './PostSaleDialog';

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
    const voided = new Set((await db.voids.toArray()).map((v) => v.saleId));
    const refunded = new Map<string, number>();
    for (const r of await db.refunds.toArray())
      refunded.set(r.saleId, (refunded.get(r.saleId) ?? 0) + r.amount.amount);
    return sales.map((s) => ({
      sale: s,
      status: status.get(s.id) ?? 'synced',
      voided: voided.has(s.id),
      refunded: refunded.get(s.id) ?? 0,
    }));
  }, [db]);
  const [acting, setActing] = useState<{ sale: Sale; mode: 'void' | 'refund' } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const time = new Intl.DateTimeFormat(profile.locale, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">{t('history.title')}</h2>
      {done && (
        <p role="status" data-testid="post-sale-done">
          {done}
        </p>
      )}
      {acting && (
        <PostSaleDialog
          sale={acting.sale}
          mode={acting.mode}
          onCancel={() => setActing(null)}
          onDone={(message) => {
            setActing(null);
            setDone(message);
          }}
        />
      )}
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
              <th scope="col">
                <span className="sr-only">{t('postSale.refund')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ sale, status, voided, refunded }) => (
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
                          : x.kind === 'wallet'
                            ? `${x.wallet} ${x.codeLast4}`
                            : t('tender.palm'),
                    )
                    .join(', ')}
                </td>
                <td className="num">{formatMoney(sale.totals.total, sale.locale)}</td>
                <td>
                  <span className={`sync ${status}`}>{t(`history.${status}`)}</span>
                </td>
                <td data-testid="history-correction">
                  {voided ? (
                    <span className="muted">{t('postSale.voided')}</span>
                  ) : (
                    <>
                      {refunded > 0 && (
                        <span className="muted">
                          {t('postSale.refunded', {
                            amount: formatMoney(
                              { amount: refunded, currency: sale.currency },
                              sale.locale,
                            ),
                          })}{' '}
                        </span>
                      )}
                      {refunded === 0 && (
                        <button
                          type="button"
                          aria-label={t('postSale.voidOf', { receipt: sale.receiptNo })}
                          onClick={() => setActing({ sale, mode: 'void' })}
                        >
                          {t('postSale.void')}
                        </button>
                      )}{' '}
                      {refunded < sale.totals.total.amount && (
                        <button
                          type="button"
                          aria-label={t('postSale.refundOf', { receipt: sale.receiptNo })}
                          onClick={() => setActing({ sale, mode: 'refund' })}
                        >
                          {t('postSale.refund')}
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
