import { useLiveQuery } from 'dexie-react-hooks';
import type { ReactNode } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { DeviceStatus, HostDevices } from '../../../common/host/contract';
import { useApp } from '../app-context';

/** The lane's status bar: device host link, each device, and how many sales wait to sync. */
export function StatusBar({
  devices,
  extra,
  sync,
}: {
  devices: HostDevices | null;
  extra?: ReactNode;
  sync?: ReactNode;
}) {
  const { t } = useTranslation();
  const { hostConnected } = useApp();
  const dev = (label: string, d: DeviceStatus | undefined, detail?: string) =>
    d && (
      <li className={`dev ${d.state}`}>
        {label}: {detail ?? t(`status.states.${d.state}`)}
        {d.kind === 'emulator' && <span className="muted"> ({t('status.emulated')})</span>}
      </li>
    );
  return (
    <footer className="status-bar" aria-label="Status">
      <ul>
        <li className={hostConnected ? 'ok' : 'bad'} data-testid="host-status">
          {t('status.host')}:{' '}
          {hostConnected ? t('status.hostConnected') : t('status.hostDisconnected')}
        </li>
        {dev(t('status.card'), devices?.card)}
        {devices &&
          dev(
            t('status.drawer'),
            devices.drawer,
            t(`status.drawerStates.${devices.drawer.drawer}`),
          )}
        {dev(t('status.printer'), devices?.printer)}
        {extra}
        {sync ?? <UnsyncedCount />}
      </ul>
    </footer>
  );
}

/** Without a sync engine (no cloud known yet), the outbox depth is all there is to show. */
function UnsyncedCount() {
  const { t } = useTranslation();
  const { db } = useApp();
  const unsynced = useLiveQuery(
    () => db.outbox.where('status').anyOf(['pending', 'in-flight']).count(),
    [db],
  );
  return (
    <li data-testid="unsynced" className={unsynced ? 'warn' : 'ok'}>
      {unsynced ? t('status.unsynced', { count: unsynced }) : t('status.allSynced')}
    </li>
  );
}
