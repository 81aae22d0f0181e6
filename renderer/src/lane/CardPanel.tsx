import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HostError, isFinalCardState, type CardPaymentUpdate } from '../../../common/host/contract';
import type { Money } from '../../../common/money';
import type { Tender } from '../../../common/sale';
import { useApp } from '../app-context';
import { recordCardDecline } from '../db/sales';
import { describeError } from './errors';
import { useMoneyFormat } from './format';

interface Props {
  saleId: string;
  total: Money;
  resumePaymentId?: string;
  onPending(paymentId: string | null): void;
  onComplete(tenders: Tender[]): Promise<void>;
  onPayCash(): void;
  onBack(): void;
}

type View =
  | { kind: 'starting' }
  | { kind: 'update'; update: CardPaymentUpdate }
  | { kind: 'not-responding' }
  | { kind: 'error'; message: string };

const newPaymentId = () => crypto.randomUUID().replaceAll('-', '');

/**
 * Drives one card payment: begin → the terminal's updates → approved (sale completes) or a
 * failure with its reason and the other tenders one tap away. A watchdog covers a terminal that
 * stops answering mid-payment; the lane never waits on it forever.
 */
export function CardPanel({
  saleId,
  total,
  resumePaymentId,
  onPending,
  onComplete,
  onPayCash,
  onBack,
}: Props) {
  const { t } = useTranslation();
  const { host, db, settings } = useApp();
  const fmt = useMoneyFormat();
  const [view, setView] = useState<View>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const paymentRef = useRef<string | null>(null);
  const completing = useRef(false);
  const onPendingRef = useRef(onPending);
  onPendingRef.current = onPending;
  const onCompleteRef = useRef(onComplete);
  onCompleteRef.current = onComplete;

  const handle = useCallback(
    (u: CardPaymentUpdate) => {
      if (u.paymentId !== paymentRef.current) return;
      setView({ kind: 'update', update: u });
      if (!isFinalCardState(u.state)) return;
      onPendingRef.current(null);
      if (u.state === 'approved' && !completing.current) {
        completing.current = true;
        void onCompleteRef
          .current([
            {
              kind: 'card',
              amount: u.amount,
              paymentId: u.paymentId,
              authCode: u.authCode ?? '',
              brand: u.brand ?? 'Card',
              last4: u.last4 ?? '',
            },
          ])
          .catch((e: unknown) => setView({ kind: 'error', message: describeError(t, e) }));
      } else if (u.state === 'declined') {
        void recordCardDecline(db, {
          saleId,
          paymentId: u.paymentId,
          reason: u.reason ?? 'generic_decline',
          amount: u.amount.amount,
          currency: u.amount.currency,
        });
      }
    },
    [db, saleId, t],
  );

  useEffect(() => host.onEvent((e) => e.type === 'card' && handle(e.update)), [host, handle]);

  // Start (or resume after a reload) a payment for each attempt.
  useEffect(() => {
    let stale = false;
    completing.current = false;
    void (async () => {
      try {
        if (attempt === 0 && resumePaymentId) {
          paymentRef.current = resumePaymentId;
          const status = await host.card.status({ paymentId: resumePaymentId });
          if (stale) return;
          if (status) {
            handle(status);
            return;
          }
        }
        const paymentId = newPaymentId();
        paymentRef.current = paymentId;
        setView({ kind: 'starting' });
        onPendingRef.current(paymentId);
        const first = await host.card.begin({ paymentId, amount: total });
        if (!stale) handle(first);
      } catch (e) {
        if (stale) return;
        onPendingRef.current(null);
        const notResponding =
          e instanceof HostError && (e.code === 'DEVICE_NOT_RESPONDING' || e.code === 'TIMEOUT');
        setView(
          notResponding
            ? { kind: 'not-responding' }
            : { kind: 'error', message: describeError(t, e) },
        );
      }
    })();
    return () => {
      stale = true;
    };
    // One payment per attempt: re-running on every prop change would start duplicate payments.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  // Watchdog: no final answer within the configured time → treat the terminal as not responding.
  const state = view.kind === 'update' ? view.update.state : view.kind;
  useEffect(() => {
    if (view.kind !== 'update' || isFinalCardState(view.update.state)) return;
    const timer = setTimeout(() => setView({ kind: 'not-responding' }), settings.cardWatchdogMs);
    return () => clearTimeout(timer);
  }, [view, settings.cardWatchdogMs]);

  const cancel = async () => {
    const id = paymentRef.current;
    if (!id) return;
    try {
      await host.card.cancel({ paymentId: id });
    } catch (e) {
      setView({ kind: 'error', message: describeError(t, e) });
    }
  };

  const leave = (to: () => void) => {
    const id = paymentRef.current;
    if (id && view.kind === 'update' && !isFinalCardState(view.update.state))
      void host.card.cancel({ paymentId: id }).catch(() => {});
    paymentRef.current = null;
    onPendingRef.current(null);
    to();
  };

  const waiting =
    view.kind === 'starting' || (view.kind === 'update' && !isFinalCardState(view.update.state));
  const failed = !waiting && !(view.kind === 'update' && view.update.state === 'approved');
  let message: string;
  if (view.kind === 'starting') message = t('card.starting');
  else if (view.kind === 'not-responding') message = t('card.notResponding');
  else if (view.kind === 'error') message = view.message;
  else if (view.update.state === 'declined')
    message = t('card.declined', {
      reason: t(`card.reasons.${view.update.reason ?? 'generic_decline'}`),
    });
  else message = t(`card.${view.update.state}`);

  return (
    <section className="tender-panel" aria-labelledby="card-title">
      <h2 id="card-title">{t('card.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <p
        className={`card-status ${failed ? 'error' : ''}`}
        role={failed ? 'alert' : 'status'}
        aria-live="polite"
        data-state={state}
        data-testid="card-status"
      >
        {message}
      </p>
      <div className="actions">
        {waiting && view.kind === 'update' && view.update.state === 'waiting-for-card' && (
          <button type="button" onClick={() => void cancel()}>
            {t('card.cancel')}
          </button>
        )}
        {failed && (
          <>
            <button type="button" className="primary" onClick={() => setAttempt((a) => a + 1)}>
              {t('card.retry')}
            </button>
            <button type="button" onClick={() => leave(onPayCash)}>
              {t('card.payCash')}
            </button>
            <button type="button" onClick={() => leave(onBack)}>
              {t('tender.back')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
