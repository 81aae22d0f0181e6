import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  HostError,
  type ScannerGuidance,
  type ScannerStatus,
  type VerifiedCapture,
} from '../../../common/host/contract';
import { useApp } from '../app-context';

/**
 * The palm scanner for a technician or manager: model, serial, firmware, the attestation key's
 * fingerprint with approval, and a test capture that shows what the scanner delivered (verified
 * quality, liveness, hand and counter — never the template).
 */
export function ScannerPanel({
  status,
  guidance,
}: {
  status: ScannerStatus | null;
  guidance: ScannerGuidance | null;
}) {
  const { t } = useTranslation();
  const { host } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifiedCapture | null>(null);
  const [error, setError] = useState<string | null>(null);

  const explain = (e: unknown) =>
    e instanceof HostError ? t(`scanner.errors.${e.code}`, { defaultValue: e.message }) : String(e);

  const testCapture = async () => {
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      setResult(await host.scanner.capture({ mode: 'identify', timeoutMs: 10_000 }));
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    if (!status?.serial) return;
    try {
      await host.scanner.approveKey({ serial: status.serial });
    } catch (e) {
      setError(explain(e));
    }
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
            <dd>
              <code>{status.keyFingerprint}</code> ·{' '}
              {t(`settings.keyStates.${status.keyState ?? 'pending'}`)}
            </dd>
          </>
        )}
      </dl>
      <div className="actions">
        {status?.keyState === 'pending' && (
          <button type="button" onClick={() => void approve()}>
            {t('settings.approveKey')}
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={busy || state !== 'ready'}
          onClick={() => void testCapture()}
        >
          {t('settings.testCapture')}
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
    </section>
  );
}
