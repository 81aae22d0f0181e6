import { useTranslation } from '../i18n/use-translation';
import type {
  ScannerState,
  ScannerStatus as ScannerStatusInfo,
} from '../../../common/host/contract';

/** Status-bar class per scanner state, matching the other devices' `dev <state>` classes. */
const STATE_CLASS: Record<ScannerState, string> = {
  absent: 'offline',
  connecting: 'busy',
  ready: 'ready',
  capturing: 'busy',
  fault: 'fault',
};

/**
 * The palm scanner's entry in the lane's status bar (an `<li>`): its state, whether it is the
 * emulator, a pending or mismatched attestation key, why it is out of order, and refused captures.
 */
export function ScannerStatus({ scanner }: { scanner: ScannerStatusInfo | null }) {
  const { t } = useTranslation();
  const state: ScannerState = scanner?.state ?? 'absent';
  const notes: string[] = [];
  if (scanner?.kind === 'emulator') notes.push(t('scanner.emulated'));
  if (scanner?.keyState === 'pending') notes.push(t('scanner.keyPending'));
  if (scanner?.keyState === 'mismatch') notes.push(t('scanner.keyMismatch'));
  if (state === 'fault' && scanner?.lastError && scanner.keyState !== 'mismatch')
    notes.push(t(`scanner.errors.${scanner.lastError}`, { defaultValue: scanner.lastError }));
  if (scanner && scanner.rejectedCaptures > 0)
    notes.push(t('scanner.rejected', { count: scanner.rejectedCaptures }));
  const warn = scanner?.keyState === 'pending' || (scanner?.rejectedCaptures ?? 0) > 0;
  return (
    <li
      className={`dev ${STATE_CLASS[state]}${warn ? ' warn' : ''}`}
      data-testid="scanner-status"
      data-state={state}
      title={scanner?.serial ?? undefined}
    >
      {t('scanner.label')}: {t(`scanner.states.${state}`)}
      {notes.length > 0 && <span className="muted"> ({notes.join(' · ')})</span>}
    </li>
  );
}
