import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { formatMoney, parseMoneyInput, type Money } from '../../../common/money';
import type { DenominationCount } from '../../../common/shift/denominations';
import { staffRef } from '../../../common/staff';
import { useApp } from '../app-context';
import { addCashEntry, closeShift, currentShift, openShift, shiftReport } from '../db/shift';
import { describeError } from '../lane/errors';
import { CredentialDialog } from '../staff/CredentialDialog';
import { CountForm } from './CountForm';
import { ZReportView } from './ZReportView';

type Asking =
  | { readonly kind: 'pay-out'; readonly amount: Money; readonly reason: string }
  | { readonly kind: 'close'; readonly counts: DenominationCount[]; readonly total: number };

/**
 * The day's routine at one till: open with a float, pay cash in or out while selling, then
 * count the drawer by denomination and close with a manager, which prints the Z report.
 */
export function TillView() {
  const { t } = useTranslation();
  const { db, profile } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [floatText, setFloatText] = useState('');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const state = useLiveQuery(async () => {
    const open = await currentShift(db);
    const last = open ? null : ((await db.shifts.orderBy('openedAt').last()) ?? null);
    const running = open
      ? await shiftReport(db, open, null, new Date(Date.now() + 60_000).toISOString())
      : null;
    return { open, last, running };
  }, [db]);
  const fmt = (m: Money) => formatMoney(m, profile.locale);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      return true;
    } catch (e) {
      setError(describeError(t, e));
      return false;
    }
  };
  const money = (text: string) => parseMoneyInput(text, profile.currency, profile.locale);
  if (!state) return null;
  const { open, last, running } = state;

  return (
    <section className="till" aria-labelledby="till-title">
      <h2 id="till-title">{t('till.title')}</h2>
      {error && (
        <p className="error" role="alert" data-testid="till-error">
          {error}
        </p>
      )}
      {!open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => openShift(db, { float: money(floatText), by: null }));
          }}
        >
          <p>{t('till.closed')}</p>
          <label>
            {t('till.float')}{' '}
            <input value={floatText} onChange={(e) => setFloatText(e.target.value)} />
          </label>{' '}
          <button type="submit" className="primary">
            {t('till.open')}
          </button>
        </form>
      )}
      {open && running && (
        <>
          <p data-testid="till-open">
            {t('till.openSince', {
              time: new Date(open.openedAt).toLocaleString(profile.locale),
              float: fmt(open.float),
            })}
          </p>
          <p data-testid="till-expected">
            {t('till.expectedNow', {
              amount: fmt({ amount: running.expectedCash, currency: profile.currency }),
            })}
          </p>
          <form className="cash-entry" onSubmit={(e) => e.preventDefault()}>
            <label>
              {t('till.cashAmount')}{' '}
              <input value={amountText} onChange={(e) => setAmountText(e.target.value)} />
            </label>{' '}
            <label>
              {t('till.cashReason')}{' '}
              <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
            </label>{' '}
            <button
              type="button"
              onClick={() =>
                void run(async () => {
                  await addCashEntry(db, {
                    kind: 'pay-in',
                    amount: money(amountText),
                    reason,
                    by: null,
                  });
                  setAmountText('');
                  setReason('');
                })
              }
            >
              {t('till.payIn')}
            </button>{' '}
            <button
              type="button"
              onClick={() =>
                void run(async () =>
                  setAsking({ kind: 'pay-out', amount: money(amountText), reason }),
                )
              }
            >
              {t('till.payOut')}
            </button>
          </form>
          <CountForm
            currency={profile.currency}
            locale={profile.locale}
            onCounted={(counts, total) => setAsking({ kind: 'close', counts, total })}
          />
        </>
      )}
      {!open && last?.report && (
        <>
          <h3>{t('till.lastReport')}</h3>
          <ZReportView shift={last} report={last.report} />
        </>
      )}
      {asking && (
        <CredentialDialog
          db={db}
          action={asking.kind === 'close' ? 'till-close' : 'till-pay-out'}
          purpose={
            asking.kind === 'close'
              ? t('till.closePurpose', {
                  amount: fmt({ amount: asking.total, currency: profile.currency }),
                })
              : t('till.payOutPurpose', { amount: fmt(asking.amount) })
          }
          onCancel={() => setAsking(null)}
          onApproved={async (m) => {
            const by = staffRef(m);
            setAsking(null); // an error shows on the till, not in the dialog
            await (asking.kind === 'close'
              ? run(() => closeShift(db, { counted: asking.counts, by }))
              : run(async () => {
                  await addCashEntry(db, {
                    kind: 'pay-out',
                    amount: asking.amount,
                    reason: asking.reason,
                    by,
                  });
                  setAmountText('');
                  setReason('');
                }));
          }}
        />
      )}
    </section>
  );
}
