import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { VerifiedCapture } from '../../../common/host/contract';
import { useApp } from '../app-context';
import { identifyPalm } from '../settings/identify';
import { usePalmPay } from '../shell/usePalmPay';
import { CredentialDialog } from '../staff/CredentialDialog';
import { cloudStoreSettings } from '../sync/pull';
import { CUSTOMER_REF, lookupFromDecision, palmDeletionRequest } from './palm-deletion';
import { shopperCloud, type DeletionOutcome } from './shopper-cloud';

type Stage =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'digits'; readonly templateId: string; readonly capture: VerifiedCapture }
  | { readonly kind: 'manager'; readonly customerRef: string };

/**
 * Deleting a shopper's palm pay data at the lane: the shopper presents the palm and types the
 * last four digits of their phone, or a manager acts on a request (the shopper's ref and the
 * manager's own credential). The store cloud does the deleting (cloud/enrolment/deletion.ts).
 */
export function DeletionView({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { host, db } = useApp();
  const palmPay = usePalmPay(db);
  const policy = useLiveQuery(() => cloudStoreSettings(db), [db])?.matcher.policy;
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [digits, setDigits] = useState('');
  const [ref, setRef] = useState('');
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);

  const report = (o: DeletionOutcome) => {
    if (o.kind === 'done') {
      const at = new Intl.DateTimeFormat(i18n.language, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }).format(new Date(o.answer.completesAfter));
      const ref = o.answer.customerRef;
      setMessage({
        ok: true,
        text:
          o.answer.status === 'completed'
            ? t('deletion.done', { ref })
            : t('deletion.pending', { ref, at }),
      });
    } else
      setMessage({
        ok: false,
        text:
          o.reason === 'unreachable'
            ? t('deletion.unreachable')
            : o.reason === 'not-confirmed'
              ? t('deletion.notConfirmed')
              : o.reason === 'not-found'
                ? t('deletion.notFound')
                : t('deletion.refused', { message: o.message }),
      });
  };

  const capture = async () => {
    setMessage(null);
    const matcher = palmPay.client;
    if (!matcher || !policy || palmPay.templates === undefined)
      return setMessage({ ok: false, text: t('deletion.noMatcher') });
    setStage({ kind: 'busy' });
    try {
      const c = await host.scanner.capture({ mode: 'identify', timeoutMs: 20_000 });
      const d = await identifyPalm(matcher, policy, palmPay.templates, c.template, 0);
      const found = lookupFromDecision(d);
      if (found.kind === 'matched') {
        setDigits('');
        return setStage({ kind: 'digits', templateId: found.templateId, capture: c });
      }
      setMessage({ ok: false, text: t('deletion.notEnrolled') });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
    setStage({ kind: 'idle' });
  };

  const confirmPalm = async (templateId: string, c: VerifiedCapture) => {
    const req = palmDeletionRequest(templateId, c, digits);
    if (!req) return;
    setStage({ kind: 'busy' });
    report(await shopperCloud(db).deleteShopper(req));
    setStage({ kind: 'idle' });
  };

  const busy = stage.kind === 'busy';
  return (
    <section className="deletion" aria-labelledby="deletion-title" data-testid="deletion">
      <h2 id="deletion-title">{t('deletion.title')}</h2>
      <p>{t('deletion.lead')}</p>
      {message && (
        <p
          className={message.ok ? 'ok-box' : 'error'}
          role={message.ok ? 'status' : 'alert'}
          data-testid="deletion-message"
        >
          {message.text}
        </p>
      )}
      <fieldset disabled={busy}>
        <legend>{t('deletion.byPalm')}</legend>
        {stage.kind === 'digits' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void confirmPalm(stage.templateId, stage.capture);
            }}
          >
            <p role="status">{t('deletion.recognised')}</p>
            <label htmlFor="deletion-digits">{t('deletion.digits')}</label>
            <input
              id="deletion-digits"
              autoFocus
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              value={digits}
              onChange={(e) => setDigits(e.target.value.replace(/\D/g, ''))}
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={digits.length !== 4}>
                {t('deletion.confirm')}
              </button>
            </div>
          </form>
        ) : (
          <>
            <p className="small muted">{t('deletion.present')}</p>
            <button type="button" onClick={() => void capture()}>
              {t('deletion.capture')}
            </button>
          </>
        )}
      </fieldset>
      <fieldset disabled={busy}>
        <legend>{t('deletion.byManager')}</legend>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const r = ref.trim();
            if (!CUSTOMER_REF.test(r)) return setMessage({ ok: false, text: t('deletion.badRef') });
            setMessage(null);
            setStage({ kind: 'manager', customerRef: r });
          }}
        >
          <label htmlFor="deletion-ref">{t('deletion.ref')}</label>
          <input
            id="deletion-ref"
            autoComplete="off"
            maxLength={48}
            value={ref}
            onChange={(e) => setRef(e.target.value)}
          />
          <div className="actions">
            <button type="submit">{t('deletion.confirm')}</button>
          </div>
        </form>
      </fieldset>
      {stage.kind === 'manager' && (
        <CredentialDialog
          db={db}
          purpose={t('deletion.managerPurpose', { ref: stage.customerRef })}
          action="shopper-deletion"
          onCancel={() => setStage({ kind: 'idle' })}
          check={async (member, passcode) => {
            const o = await shopperCloud(db).deleteShopper({
              via: 'manager',
              customerRef: stage.customerRef,
              staffId: member.id,
              passcode,
            });
            // A wrong passcode counts against the dialog's lock; no answer is not a wrong one.
            if (o.kind === 'failed' && o.code === 'STAFF_CREDENTIAL_INVALID') return false;
            if (o.kind === 'failed' && o.reason === 'unreachable')
              throw new Error(t('deletion.unreachable'));
            report(o);
            return true;
          }}
          onApproved={() => setStage({ kind: 'idle' })}
        />
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('deletion.close')}
        </button>
      </div>
    </section>
  );
}
