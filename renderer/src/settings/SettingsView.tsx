import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { staffRef } from '../../../common/staff';
import { STORE_PROFILES, type StoreProfile } from '../../../common/store-profile';
import type { ScannerGuidance, ScannerStatus } from '../../../common/host/contract';
import { useApp } from '../app-context';
import { CredentialDialog } from '../staff/CredentialDialog';
import { ScannerPanel } from './ScannerPanel';

/** The lane's settings: its store (a manager approves a change) and its palm scanner. */
export function SettingsView({
  saleInProgress,
  scanner,
}: {
  saleInProgress: boolean;
  scanner: { status: ScannerStatus | null; guidance: ScannerGuidance | null };
}) {
  const { t } = useTranslation();
  const { db, profile, settings, changeProfile } = useApp();
  const [note, setNote] = useState<string | null>(null);
  // The store picked in the list, waiting for a manager's approval (the list keeps showing the
  // current store until then).
  const [pending, setPending] = useState<StoreProfile | null>(null);
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <label htmlFor="store-profile">{t('settings.store')}</label>
      <select
        id="store-profile"
        value={profile.id}
        disabled={saleInProgress}
        aria-describedby="store-help"
        onChange={(e) => {
          const next = STORE_PROFILES.find((p) => p.id === e.target.value);
          if (next && next.id !== profile.id) setPending(next);
        }}
      >
        {STORE_PROFILES.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} · {p.locale} · {p.currency}
          </option>
        ))}
      </select>
      <p id="store-help" className="muted">
        {saleInProgress ? t('settings.blocked') : t('settings.storeHelp')}
      </p>
      <p>
        {t('settings.lane')}: <strong>{settings.laneCode}</strong>
      </p>
      {note && <p role="status">{note}</p>}
      {pending && (
        <CredentialDialog
          db={db}
          purpose={t('staff.purpose.store', { name: pending.name })}
          action="store-change"
          onCancel={() => setPending(null)}
          onApproved={async (m) => {
            await changeProfile(pending.id, staffRef(m));
            setPending(null);
            setNote(
              `${t('settings.saved', { name: pending.name })} ${t('staff.approvedBy', { name: m.name })}`,
            );
          }}
        />
      )}
      <ScannerPanel status={scanner.status} guidance={scanner.guidance} />
    </section>
  );
}
