import { useTranslation } from 'react-i18next';
import type { SyncEngine, SyncPhase } from './engine';
import { useSyncState } from './useSyncState';

const TONE: Record<SyncPhase, 'ok' | 'warn' | 'bad'> = {
  starting: 'warn',
  'waiting-lock': 'ok',
  unprovisioned: 'warn',
  provisioning: 'warn',
  syncing: 'ok',
  idle: 'ok',
  offline: 'warn',
  backoff: 'warn',
  'auth-failed': 'bad',
  stalled: 'bad',
  stopped: 'warn',
};

/**
 * The sync state at a glance, for the lane's status bar (renders an <li>, as the bar's items do):
 * phase, sales waiting, rejected count; the last error is the tooltip and the accessible
 * description. A polite live region, so a screen reader hears when the lane goes offline.
 */
export function SyncStatus({ engine }: { engine: SyncEngine | null }) {
  const { t } = useTranslation();
  const s = useSyncState(engine);
  if (!s) return null;
  const waiting = s.pending + s.inFlight;
  const tone = s.rejected > 0 && TONE[s.phase] === 'ok' ? 'warn' : TONE[s.phase];
  const parts = [t(`sync.phase.${s.phase}`)];
  if (waiting > 0) parts.push(t('sync.pending', { count: waiting }));
  if (s.rejected > 0) parts.push(t('sync.rejected', { count: s.rejected }));
  return (
    <li
      className={`sync-status ${tone}`}
      data-testid="sync-status"
      data-phase={s.phase}
      title={s.lastError ?? undefined}
    >
      <span
        role="status"
        aria-live="polite"
        aria-label={`${t('sync.badgeLabel')}: ${parts.join(', ')}`}
      >
        {t('sync.badgeLabel')}: {parts.join(' · ')}
      </span>
    </li>
  );
}
