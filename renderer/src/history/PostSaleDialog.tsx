import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { cartTotals } from '../../../common/cart';
import { formatMoney } from '../../../common/money';
import type { RefundLine } from '../../../common/refund-check';
import type { Sale } from '../../../common/sale';
import { staffRef, type StaffRef } from '../../../common/staff';
import { useApp } from '../app-context';
import {
  checkLaneRefund,
  recordRefund,
  recordVoid,
  refundTender,
  saleCorrections,
  whyNotVoidable,
} from '../db/post-sale';
import { CredentialDialog } from '../staff/CredentialDialog';
import { PalmRefundError, palmRefund } from '../palm-pay/palm-refund-cloud';

/** Idempotency keys for the card terminal: URL-safe, 8–64 characters. */
const key = (prefix: string, id: string) =>
  `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 64);

/**
 * Void (the whole sale, while its till is open) or refund (whole or per line) one sale, with a
 * manager's credential. Money goes back the way it came: the card through the card terminal
 * (its own idempotency key, so a retry never pays twice), cash from the drawer.
 */
export function PostSaleDialog({
  sale,
  mode,
  onDone,
  onCancel,
}: {
  sale: Sale;
  mode: 'void' | 'refund';
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { db, host, profile } = useApp();
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [refundId] = useState(() => key('rf', crypto.randomUUID()));
  const info = useLiveQuery(async () => {
    const c = await saleCorrections(db, sale.id);
    return { ...c, whyNot: await whyNotVoidable(db, sale) };
  }, [db, sale]);
  const lines = sale.lines.filter((l) => !l.voided);
  const refundedOf = (lineId: string) =>
    (info?.refunds ?? [])
      .flatMap((r) => r.lines ?? [])
      .filter((l) => l.lineId === lineId)
      .reduce((n, l) => n + l.quantity, 0);
  const [qty, setQty] = useState<Record<string, number>>({});
  if (!info) return null;
  const fmt = (n: number) => formatMoney({ amount: n, currency: sale.currency }, profile.locale);
  const chosen: RefundLine[] = lines
    .map((l) => ({ lineId: l.lineId, quantity: qty[l.lineId] ?? 0 }))
    .filter((l) => l.quantity > 0);
  const left = sale.totals.total.amount - info.refunds.reduce((n, r) => n + r.amount.amount, 0);
  const everything = lines.every((l) => refundedOf(l.lineId) + (qty[l.lineId] ?? 0) === l.quantity);
  const amount =
    mode === 'void'
      ? sale.totals.total.amount
      : everything
        ? left
        : cartTotals(
            {
              currency: sale.currency,
              lines: chosen.map((c) => ({
                ...lines.find((l) => l.lineId === c.lineId)!,
                quantity: c.quantity,
              })),
            },
            profile.tax,
          ).total.amount;
  const tender = refundTender(sale, amount, info.refunds);
  const blocked =
    mode === 'void' ? info.whyNot : amount <= 0 ? 'nothing' : !tender ? 'no-tender' : null;

  /** Sends the money back, then records it; a refusal from the card terminal records nothing. */
  async function approved(by: StaffRef): Promise<void> {
    const card = sale.tenders.find((x) => x.kind === 'card');
    const back = mode === 'void' ? (card ?? sale.tenders[0]) : tender;
    if (!back) throw new Error(t('postSale.noTender'));
    const refundKind = back.kind === 'card' || back.kind === 'palm' ? back.kind : 'cash';
    if (mode === 'refund') {
      const problem = await checkLaneRefund(db, {
        refundId,
        sale,
        amount: { amount, currency: sale.currency },
        ...(everything ? {} : { lines: chosen }),
        tender: refundKind,
        reason,
        tax: profile.tax,
      });
      if (problem) throw new Error(problem);
    }
    let processorRef: string | null = null;
    if (back.kind === 'card') {
      const cardAmount = mode === 'void' ? back.amount.amount : amount;
      const r = await host.card.refund({
        refundId: mode === 'void' ? key('vd', sale.id) : refundId,
        paymentId: back.paymentId,
        amount: { amount: cardAmount, currency: sale.currency },
      });
      if (r.state !== 'approved')
        throw new Error(t('postSale.cardDeclined', { reason: r.reason ?? 'declined' }));
      processorRef = r.refundRef ?? null;
    } else if (back.kind === 'palm' && mode === 'refund') {
      // The processor is behind the store cloud: it sends the money back to the card on file.
      try {
        processorRef = await palmRefund(db, {
          refundId,
          saleId: sale.id,
          amount: { amount, currency: sale.currency },
          ...(everything ? {} : { lines: chosen }),
          reason: reason.trim() || 'refund',
          approvedBy: by.id,
        });
      } catch (e) {
        if (!(e instanceof PalmRefundError)) throw e;
        throw new Error(
          e.kind === 'offline'
            ? t('palmRefund.offline')
            : t('palmRefund.refused', { message: e.message }),
        );
      }
    }
    const cashBack =
      mode === 'void'
        ? sale.tenders.filter((x) => x.kind === 'cash').reduce((n, x) => n + x.amount.amount, 0)
        : back.kind === 'cash'
          ? amount
          : 0;
    if (cashBack > 0) await host.drawer.open().catch(() => null); // a stuck drawer never loses the record
    if (mode === 'void') {
      await recordVoid(db, { sale, reason, by, processorRef });
    } else {
      await recordRefund(db, {
        refundId,
        sale,
        amount: { amount, currency: sale.currency },
        ...(everything ? {} : { lines: chosen }),
        tender: refundKind,
        reason,
        by,
        processorRef,
        tax: profile.tax,
      });
    }
    const parts = [
      cashBack > 0 ? t('postSale.cashBack', { amount: fmt(cashBack) }) : null,
      processorRef
        ? t('postSale.cardBack', {
            amount: fmt(mode === 'void' ? (card?.amount.amount ?? 0) : amount),
            ref: processorRef,
          })
        : null,
    ].filter(Boolean);
    onDone(t('postSale.done', { what: parts.join('; ') || t('postSale.voided') }));
  }

  const title =
    mode === 'void'
      ? t('postSale.voidOf', { receipt: sale.receiptNo })
      : t('postSale.refundOf', { receipt: sale.receiptNo });
  return (
    <div className="modal-backdrop">
      <div
        className="modal post-sale"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="post-sale-dialog"
      >
        <h2>{title}</h2>
        {mode === 'refund' && (
          <table>
            <tbody>
              {lines.map((l) => {
                const most = l.quantity - refundedOf(l.lineId);
                return (
                  <tr key={l.lineId}>
                    <th scope="row">{l.name}</th>
                    <td>
                      <input
                        type="number"
                        min={0}
                        max={most}
                        aria-label={t('postSale.quantity', { name: l.name })}
                        value={qty[l.lineId] ?? 0}
                        onChange={(e) =>
                          setQty({
                            ...qty,
                            [l.lineId]: Math.max(0, Math.min(most, Number(e.target.value) || 0)),
                          })
                        }
                      />{' '}
                      / {most}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {mode === 'refund' && (
          <button
            type="button"
            onClick={() =>
              setQty(
                Object.fromEntries(lines.map((l) => [l.lineId, l.quantity - refundedOf(l.lineId)])),
              )
            }
          >
            {t('postSale.whole')}
          </button>
        )}
        <p data-testid="post-sale-amount">
          {t('postSale.amount', {
            amount: fmt(amount),
            tender: t(
              `tender.${mode === 'void' ? (sale.tenders[0]?.kind ?? 'cash') : (tender?.kind ?? 'cash')}`,
            ),
          })}
        </p>
        {blocked && (
          <p className="error" role="alert" data-testid="post-sale-blocked">
            {blocked === 'no-tender'
              ? t('postSale.noTender')
              : t(`postSale.whyNot.${blocked}`, { defaultValue: '' })}
          </p>
        )}
        <label>
          {t('postSale.reason')}{' '}
          <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        </label>
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={blocked !== null}
            onClick={() => setAsking(true)}
          >
            {mode === 'void' ? t('postSale.confirmVoid') : t('postSale.confirmRefund')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('postSale.cancel')}
          </button>
        </div>
      </div>
      {asking && (
        <CredentialDialog
          db={db}
          action={mode === 'void' ? 'sale-void' : 'sale-refund'}
          purpose={
            mode === 'void'
              ? t('postSale.voidPurpose', { receipt: sale.receiptNo, amount: fmt(amount) })
              : t('postSale.refundPurpose', { receipt: sale.receiptNo, amount: fmt(amount) })
          }
          onCancel={() => setAsking(false)}
          onApproved={(m) => approved(staffRef(m))}
        />
      )}
    </div>
  );
}
