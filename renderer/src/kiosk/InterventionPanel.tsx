import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { Intervention } from '../../../common/kiosk/interventions';
import type { StaffMember } from '../../../common/staff';
import { staffRef } from '../../../common/staff';
import { useApp } from '../app-context';
import { CredentialDialog } from '../staff/CredentialDialog';
import type { Kiosk } from './useKiosk';

/** "Unknown barcode 123", "ID check for Lager 6 pk", in the kiosk's language. */
export function useDescribe(): (i: Intervention) => string {
  const { t } = useTranslation();
  return (i) =>
    t(`kiosk.what.${i.kind}`, {
      name: i.name ?? '',
      barcode: i.barcode ?? '',
      quantity: i.quantity ?? 0,
    });
}

function useSeconds(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * The attendant's part of the kiosk: their own credential first (the shopper has none, so the
 * shopper can never clear their own intervention), then approve or deny each pending one. The
 * attendant's sign-in lasts while the panel is open; closing it ends it.
 */
export function AttendantAccess({ kiosk, onDone }: { kiosk: Kiosk; onDone(): void }) {
  const { t } = useTranslation();
  const { db } = useApp();
  const [attendant, setAttendant] = useState<StaffMember | null>(null);
  const describe = useDescribe();
  const now = useSeconds();
  if (!attendant) {
    return (
      <CredentialDialog
        db={db}
        role="attendant"
        title={t('kiosk.attendantTitle')}
        purpose={t('kiosk.attendantPurpose')}
        action="kiosk-intervention"
        onApproved={(m) => setAttendant(m)}
        onCancel={onDone}
      />
    );
  }
  const pending = kiosk.session.interventions;
  return (
    <div className="modal-backdrop">
      <div
        className="modal kiosk-attendant"
        role="dialog"
        aria-modal="true"
        aria-labelledby="attendant-title"
        data-testid="kiosk-attendant"
      >
        <h2 id="attendant-title">
          {t('kiosk.attendant')}: {attendant.name}
        </h2>
        <ul>
          {pending.map((i) => (
            <li key={i.id} data-testid="kiosk-attendant-item" data-kind={i.kind}>
              <span className={`dot ${i.severity}`} aria-hidden="true" />
              <span className="what">{describe(i)}</span>
              <span className="kiosk-muted">
                {t('kiosk.waited', { seconds: Math.max(0, Math.round((now - i.raisedAt) / 1000)) })}
              </span>
              <button
                type="button"
                className="kiosk-primary"
                onClick={() => void kiosk.clear(i.id, 'approve', staffRef(attendant), 'kiosk')}
              >
                {t('kiosk.approve')}
              </button>
              <button
                type="button"
                className="kiosk-secondary"
                onClick={() => void kiosk.clear(i.id, 'deny', staffRef(attendant), 'kiosk')}
              >
                {t('kiosk.deny')}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="kiosk-secondary" onClick={onDone}>
          {t('kiosk.closeAttendant')}
        </button>
      </div>
    </div>
  );
}

/** Red: the shopper waits; only "need help" and the attendant's sign-in remain. */
export function WaitOverlay({ kiosk, onAttendant }: { kiosk: Kiosk; onAttendant(): void }) {
  const { t } = useTranslation();
  const describe = useDescribe();
  const red = kiosk.session.interventions.filter((i) => i.severity === 'red');
  return (
    <div className="modal-backdrop">
      <div
        className="modal kiosk-wait"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="wait-title"
        aria-describedby="wait-body"
        data-testid="kiosk-wait"
      >
        <h2 id="wait-title">{t('kiosk.waitTitle')}</h2>
        <p id="wait-body">{t('kiosk.waitBody')}</p>
        <ul>
          {red.map((i) => (
            <li key={i.id} data-testid="kiosk-intervention" data-kind={i.kind}>
              {describe(i)}
            </li>
          ))}
        </ul>
        <div className="kiosk-actions">
          <button type="button" className="kiosk-help" onClick={kiosk.callHelp}>
            {t('kiosk.needHelp')}
          </button>
          <button
            type="button"
            className="kiosk-secondary"
            onClick={onAttendant}
            data-testid="kiosk-wait-attendant"
          >
            {t('kiosk.attendant')}
          </button>
        </div>
      </div>
    </div>
  );
}
