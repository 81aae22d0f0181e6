import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STORE_PROFILES } from '../../../common/store-profile';
import type { ScannerGuidance, ScannerStatus } from '../../../common/host/contract';
import { useApp } from '../app-context';
import { ScannerPanel } from './ScannerPanel';

export function SettingsView({
  saleInProgress,
  scanner,
}: {
  saleInProgress: boolean;
  scanner: { status: ScannerStatus | null; guidance: ScannerGuidance | null };
}) {
  const { t } = useTranslation();
  const { profile, settings, changeProfile } = useApp();
  const [note, setNote] = useState<string | null>(null);
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
          void changeProfile(e.target.value).then(
            () => next && setNote(t('settings.saved', { name: next.name })),
          );
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
      <ScannerPanel status={scanner.status} guidance={scanner.guidance} />
    </section>
  );
}
