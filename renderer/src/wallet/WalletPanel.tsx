import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { CheckoutEvent } from '../../../common/checkout/checkout-events';
import type { WalletStep } from '../../../common/checkout/phase';
import type { WalletContext } from '../../../common/checkout/types';
import type { Money } from '../../../common/money';
import { useMoneyFormat } from '../lane/format';

interface Props {
  step: WalletStep;
  wallet: WalletContext;
  total: Money;
  send(event: CheckoutEvent): void;
  /** Whether palm pay may take the payment instead (shown beside cash and card). */
  palm: { readonly label: string } | null;
}

/**
 * A view of the wallet branch: a code field that has the focus, so the lane's wedge scanner
 * types the shopper's payment code into it (Enter sends WALLET_CODE), what the cloud said, and
 * the other tenders one tap away. The field is cleared at once: the code is a credential.
 */
export function WalletPanel({ step, wallet, total, send, palm }: Props) {
  const { t } = useTranslation();
  const fmt = useMoneyFormat();
  const [text, setText] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const scanning = step === 'waiting' || step === 'failed';
  useEffect(() => {
    if (scanning) field.current?.focus();
  }, [scanning]);

  const status =
    step === 'authorizing'
      ? t('walletTender.authorizing')
      : step === 'cancelling'
        ? t('walletTender.cancelling')
        : step === 'unresolved'
          ? t('walletTender.unresolved')
          : step === 'failed' && wallet.reason
            ? t(`walletTender.reasons.${wallet.reason}`, {
                defaultValue: t('walletTender.reasons.WALLET_DECLINED'),
              })
            : t('walletTender.scan');

  return (
    <section className="tender-panel" aria-labelledby="wallet-title">
      <h2 id="wallet-title">{t('walletTender.title')}</h2>
      <p className="due">
        {t('tender.due')}: <strong data-testid="amount-due">{fmt(total)}</strong>
      </p>
      <p
        data-testid="wallet-status"
        data-step={step}
        data-reason={wallet.reason ?? undefined}
        role={step === 'failed' ? 'alert' : 'status'}
        className={step === 'failed' ? 'error' : undefined}
      >
        {status}
      </p>
      {scanning && (
        <>
          <label htmlFor="wallet-code">{t('walletTender.code')}</label>
          <input
            id="wallet-code"
            ref={field}
            className="cash-input"
            inputMode="numeric"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              const code = text;
              setText('');
              if (code.trim()) send({ type: 'WALLET_CODE', code });
            }}
          />
          {wallet.notice === 'not-a-code' && (
            <p className="error" role="alert" data-testid="wallet-notice">
              {t('walletTender.notACode')}
            </p>
          )}
        </>
      )}
      <div className="actions">
        {step === 'unresolved' && (
          <button type="button" className="primary" onClick={() => send({ type: 'WALLET_RETRY' })}>
            {t('walletTender.retry')}
          </button>
        )}
        <button type="button" onClick={() => send({ type: 'PAY_CASH' })}>
          {t('walletTender.payCash')}
        </button>
        <button type="button" onClick={() => send({ type: 'PAY_CARD' })}>
          {t('walletTender.payCard')}
        </button>
        {palm && (
          <button type="button" onClick={() => send({ type: 'PAY_PALM' })}>
            {palm.label}
          </button>
        )}
        <button type="button" onClick={() => send({ type: 'BACK' })}>
          {t('tender.back')}
        </button>
      </div>
    </section>
  );
}
