import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import {
  HostError,
  type ScannerGuidance,
  type ScannerStatus,
  type VerifiedCapture,
} from '../../../common/host/contract';
import { useApp } from '../app-context';
import { usePalmPay } from '../shell/usePalmPay';
import { staffRef, type StaffMember } from '../../../common/staff';
import { recordStaffAction } from '../db/staff-audit';
import { CredentialDialog } from '../staff/CredentialDialog';
import { cloudStoreSettings, palmPayAccess } from '../sync/pull';
import { identifyPalm, type IdentifyView } from './identify';
import { CloudNeeded, approveScannerOnCloud } from './scanner-approval';

/**
 * The palm scanner for a technician or manager: model, serial, firmware, the attestation key's
 * fingerprint with approval (a manager's passcode, checked by the store cloud), a test capture that shows what the scanner delivered (verified
 * quality, liveness, hand and counter — never the template). "Identify palm" sends one verified
 * capture to the matcher worker and shows the store policy's decision; it charges nothing.
 */
export function ScannerPanel({
  status,
  guidance,
}: {
  status: ScannerStatus | null;
  guidance: ScannerGuidance | null;
}) {
  const { t } = useTranslation();
  const { host, hostInfo, db, syncEngine } = useApp();
  const access = useLiveQuery(() => palmPayAccess(db), [db]);
  const palmPay = usePalmPay(db);
  // The store's decision policy comes with its settings from the cloud; none, no decisions.
  const policy = useLiveQuery(() => cloudStoreSettings(db), [db])?.matcher.policy;
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<VerifiedCapture | null>(null);
  const [decision, setDecision] = useState<IdentifyView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const explain = (e: unknown) =>
    e instanceof HostError
      ? t(`scanner.errors.${e.code}`, { defaultValue: e.message })
      : e instanceof Error
        ? e.message
        : String(e);

  const capture = async (identify: boolean) => {
    setBusy(true);
    setResult(null);
    setDecision(null);
    setError(null);
    try {
      const c = await host.scanner.capture({ mode: 'identify', timeoutMs: 10_000 });
      const capturedAt = performance.now();
      setResult(c);
      const matcher = palmPay.client;
      if (identify && matcher && policy && palmPay.templates !== undefined)
        setDecision(await identifyPalm(matcher, policy, palmPay.templates, c.template, capturedAt));
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };

  // Sync pulls every minute; this asks for the store's palm customers now.
  const checkNow = async () => {
    if (!syncEngine) return;
    setChecking(true);
    try {
      await syncEngine.syncNow();
    } catch (e) {
      setError(explain(e));
    } finally {
      setChecking(false);
    }
  };

  // Approving the key: a manager's passcode, checked by the store cloud (scanner-approval.ts),
  // then the host pins it. The dialog shows why it cannot be done offline.
  const [approving, setApproving] = useState(false);
  const checkOnCloud = async (manager: StaffMember, passcode: string): Promise<boolean> => {
    if (!status) return false;
    try {
      return (
        (await approveScannerOnCloud({
          db,
          cloudUrl: hostInfo?.cloud?.url ?? null,
          status,
          manager,
          passcode,
        })) !== null
      );
    } catch (e) {
      if (e instanceof CloudNeeded)
        throw new Error(
          e.reason === 'not-connected'
            ? t('staff.notConnected')
            : e.reason === 'unreachable'
              ? t('staff.cloudUnreachable')
              : e.message,
        );
      throw e;
    }
  };
  const pinOnHost = async (manager: StaffMember) => {
    if (!status?.serial) return;
    try {
      await host.scanner.approveKey({ serial: status.serial });
    } catch (e) {
      throw new Error(t('staff.hostRefused', { reason: explain(e) }));
    }
    await recordStaffAction(db, 'scanner.approved', staffRef(manager), {
      serial: status.serial,
      model: status.model ?? '',
      keyFingerprint: status.keyFingerprint ?? '',
    });
    setApproving(false);
  };

  const state = status?.state ?? 'absent';
  return (
    <section aria-labelledby="scanner-title" className="scanner-panel">
      <h3 id="scanner-title">{t('scanner.label')}</h3>
      <dl className="facts">
        <dt>{t('settings.scannerState')}</dt>
        <dd data-testid="scanner-state">{t(`scanner.states.${state}`)}</dd>
        {status?.model && (
          <>
            <dt>{t('settings.scannerModel')}</dt>
            <dd>{status.model}</dd>
            <dt>{t('settings.scannerSerial')}</dt>
            <dd>{status.serial}</dd>
            <dt>{t('settings.scannerFirmware')}</dt>
            <dd>{status.firmware}</dd>
            <dt>{t('settings.scannerKey')}</dt>
            <dd data-testid="scanner-key">
              <code>{status.keyFingerprint}</code> ·{' '}
              {t(`settings.keyStates.${status.keyState ?? 'pending'}`)}
            </dd>
          </>
        )}
      </dl>
      <div className="actions">
        {status?.keyState === 'pending' && (
          <button type="button" onClick={() => setApproving(true)}>
            {t('settings.approveKey')}
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={busy || state !== 'ready'}
          onClick={() => void capture(false)}
        >
          {t('settings.testCapture')}
        </button>
        <button
          type="button"
          disabled={busy || state !== 'ready' || palmPay.state !== 'ready' || !policy}
          onClick={() => void capture(true)}
        >
          {t('identify.button')}
        </button>
        {busy && (
          <button type="button" onClick={() => void host.scanner.cancel()}>
            {t('settings.cancelCapture')}
          </button>
        )}
      </div>
      <p role="status" aria-live="polite" data-testid="scanner-guidance">
        {busy ? (guidance ? t(`scanner.guidance.${guidance}`) : t('settings.holdPalm')) : ''}
      </p>
      {result && (
        <p className="ok-box" data-testid="capture-result">
          {t('settings.captureVerified', {
            hand: t(`settings.hands.${result.hand}`),
            quality: result.quality,
            liveness: result.liveness,
            counter: result.counter,
          })}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h4>{t('identify.title')}</h4>
      <p className="muted small">{t('identify.help')}</p>
      <p data-testid="identify-readiness">
        {t('palmPay.label')}: {t(`palmPay.states.${palmPay.state}`)}
        {palmPay.state === 'ready' && palmPay.templates !== undefined && (
          <> ({t('palmPay.templates', { count: palmPay.templates })})</>
        )}
        {/* No shard yet, or one published before this lane's key was: a newer one may be waiting. */}
        {(palmPay.state === 'no-shard' ||
          (palmPay.state === 'unavailable' && palmPay.reason === 'key')) &&
          syncEngine && (
            <>
              {' '}
              <button
                type="button"
                className="small"
                disabled={checking}
                onClick={() => void checkNow()}
              >
                {checking ? t('identify.checking') : t('identify.checkNow')}
              </button>
            </>
          )}
      </p>
      {access && (
        <p className="muted small" data-testid="palm-pay-approval">
          {access.automatic
            ? t('palmAccess.automatic')
            : access.approved
              ? t('palmAccess.approved', { name: access.approvedBy ?? '—' })
              : t('palmAccess.waiting')}
        </p>
      )}
      {palmPay.state === 'ready' && !policy && <p className="muted">{t('identify.noPolicy')}</p>}
      {approving && status?.serial && (
        <CredentialDialog
          db={db}
          purpose={t('staff.purpose.scanner', {
            serial: status.serial,
            fingerprint: status.keyFingerprint ?? '',
          })}
          note={t('staff.scannerCloud')}
          action="scanner-approval"
          check={checkOnCloud}
          onApproved={pinOnHost}
          onCancel={() => setApproving(false)}
        />
      )}
      {decision && <Decision view={decision} />}
    </section>
  );
}

/** The decision: who (accept / step-up, and why), the score and margin against the thresholds. */
function Decision({ view }: { view: IdentifyView }) {
  const { t, i18n } = useTranslation();
  const n = new Intl.NumberFormat(i18n.language, {
    minimumFractionDigits: 3,
    maximumFractionDigits: 3,
  });
  const ms = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const head =
    view.kind === 'accept'
      ? t('identify.accept', { template: view.templateId })
      : view.kind === 'step-up'
        ? `${t('identify.stepUp', { template: view.templateId })} (${t(`identify.reasons.${view.reason}`)})`
        : t('identify.noMatch');
  return (
    <div
      className={view.kind === 'accept' ? 'ok-box' : undefined}
      data-testid="identify-result"
      data-decision={view.kind}
      role="status"
    >
      <strong>{head}</strong>
      <ul className="small">
        {view.shopper && (
          <li data-testid="identify-shopper">
            {t('identify.shopper', {
              ref: view.shopper.customerRef,
              loyalty: view.shopper.loyaltyId
                ? t('identify.loyalty', { id: view.shopper.loyaltyId })
                : t('identify.noLoyalty'),
              age: t(view.shopper.ageVerified ? 'identify.ageVerified' : 'identify.ageNotVerified'),
            })}
          </li>
        )}
        <li>
          {t('identify.score', {
            score: n.format(view.similarity),
            accept: n.format(view.accept),
            stepUp: n.format(view.stepUp),
          })}
        </li>
        <li>
          {view.margin === null
            ? t('identify.noMargin')
            : t('identify.margin', {
                margin: n.format(view.margin),
                minMargin: n.format(view.minMargin),
              })}
        </li>
        <li data-testid="identify-elapsed">
          {t('identify.elapsed', { ms: ms.format(view.elapsedMs) })}
        </li>
      </ul>
    </div>
  );
}
