import { useTranslation } from '../i18n/use-translation';
import type { SyncEngine } from './engine';
import { HALTED_PHASES, type SyncPhase } from './state';
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
  revoked: 'bad',
  'unknown-terminal': 'bad',
  stalled: 'bad',
  stopped: 'warn',
};

/**
 * The sync state at a glance, for the lane's status bar (renders an <li>, as the bar's items do):
 * phase, every unsynced row, rejected count. When sync has stopped, the tooltip and the
 * accessible description say what to do, then the cloud's own words; otherwise the last error.
 * A polite live region, so a screen reader hears when the lane goes offline.
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
  const halted = HALTED_PHASES.includes(s.phase);
  const help = halted ? t(`sync.help.${s.phase}`) : null;
  const title = [help, s.lastError].filter(Boolean).join(' — ') || undefined;
  return (
    <li
      className={`sync-status ${tone}`}
      data-testid="sync-status"
      data-phase={s.phase}
      title={title}
    >
      <span
        role="status"
        aria-live="polite"
        aria-label={`${t('sync.badgeLabel')}: ${parts.join(', ')}`}
        aria-description={help ?? undefined}
      >
        {t('sync.badgeLabel')}: {parts.join(' · ')}
      </span>
    </li>
  );
}
