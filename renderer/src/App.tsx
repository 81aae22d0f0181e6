import { useLiveQuery } from 'dexie-react-hooks';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from './i18n/use-translation';
import type { HostDevices, HostInfo, TerminalHost } from '../../common/host/contract';
import type { StaffRef } from '../../common/staff';
import { storeProfile, type StoreProfile } from '../../common/store-profile';
import { AppContext, useApp, type AppServices } from './app-context';
import { seedCatalog } from './db/catalog';
import type { TerminalDatabase } from './db/database';
import { LANE_KEY, type LaneSettings } from './db/settings';
import { recordStaffAction } from './db/staff-audit';
import { HistoryView } from './history/HistoryView';
import { setLocale } from './i18n';
import { Lane } from './lane/Lane';
import { useCheckout } from './lane/useCheckout';
import { SettingsView } from './settings/SettingsView';
import { TillView } from './till/TillView';
import { StatusBar } from './shell/StatusBar';
import { useScanner } from './shell/useScanner';
import { ManagerView } from './manager/ManagerView';
import { ShoppersView } from './enrolment/ShoppersView';
import { SyncStatus } from './sync/SyncStatus';
import { palmPayAccess } from './sync/pull';
import { useLaneSync } from './sync/useLaneSync';
import { ScannerStatus } from './shell/ScannerStatus';
import { PalmPayStatus } from './matcher/PalmPayStatus';
import { usePalmPay } from './shell/usePalmPay';
import { useLanePalmPorts } from './palm-pay/useLanePalmPorts';
import { KioskTerminal } from './kiosk/KioskTerminal';
import { isKioskLane, rememberLaneType, rememberedLaneType } from './kiosk/lane-type';

export interface BootState {
  db: TerminalDatabase;
  host: TerminalHost;
  settings: LaneSettings;
  profile: StoreProfile;
  terminalId: string;
}

type View = 'sale' | 'history' | 'till' | 'shoppers' | 'manager' | 'settings';

// Production builds drop the emulator panel entirely: the condition is a build-time constant.
const EmulatorPanel =
  import.meta.env.MODE !== 'production' ? lazy(() => import('./shell/EmulatorPanel')) : null;

export function App({ boot, hostConnected }: { boot: BootState; hostConnected: boolean }) {
  const [profile, setProfile] = useState(boot.profile);
  const [settings, setSettings] = useState(boot.settings);
  const [hostInfo, setHostInfo] = useState<HostInfo | null>(null);
  const [view, setView] = useState<View>('sale'); // kept across a store change

  useEffect(() => {
    if (!hostConnected) return;
    boot.host.getInfo().then(setHostInfo, () => setHostInfo(null));
  }, [boot.host, hostConnected]);

  // Once per page (not per lane remount): the status bar, Settings and sync heartbeats share it.
  const scanner = useScanner(boot.host, hostConnected);
  const syncEngine = useLaneSync(
    boot.db,
    hostInfo,
    boot.terminalId,
    settings,
    scanner.status?.state ?? 'unknown',
  );

  const changeProfile = useCallback(
    async (profileId: string, approvedBy: StaffRef) => {
      const next = storeProfile(profileId);
      const nextSettings = { ...settings, profileId };
      await boot.db.settings.put({ key: LANE_KEY, value: nextSettings });
      await seedCatalog(boot.db, next);
      await recordStaffAction(boot.db, 'settings.changed', approvedBy, { profileId });
      await setLocale(next.locale);
      setSettings(nextSettings);
      setProfile(next);
    },
    [boot.db, settings],
  );

  useEffect(() => {
    if (hostInfo) rememberLaneType(hostInfo.laneType, localStorage);
  }, [hostInfo]);
  const kiosk = isKioskLane(
    hostInfo?.laneType ?? null,
    location.search,
    rememberedLaneType(localStorage),
  );

  const services: AppServices = useMemo(
    () => ({
      db: boot.db,
      host: boot.host,
      hostInfo,
      hostConnected,
      profile,
      settings,
      terminalId: boot.terminalId,
      syncEngine,
      changeProfile,
    }),
    [boot, hostInfo, hostConnected, profile, settings, changeProfile, syncEngine],
  );

  return (
    <AppContext.Provider value={services}>
      {/* Keyed by currency: a store change starts a fresh lane state. */}
      {kiosk ? (
        <KioskTerminal key={profile.currency} />
      ) : (
        <Terminal key={profile.currency} view={view} setView={setView} scanner={scanner} />
      )}
    </AppContext.Provider>
  );
}

function Terminal({
  view,
  setView,
  scanner,
}: {
  view: View;
  setView: (v: View) => void;
  scanner: ReturnType<typeof useScanner>;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const [devices, setDevices] = useState<HostDevices | null>(app.hostInfo?.devices ?? null);
  const palmPay = usePalmPay(app.db);
  // Palm pay is a tender at every lane; it takes payments once the shard is loaded.
  const palmPorts = useLanePalmPorts(app.db, palmPay, app.profile.currency);
  const checkout = useCheckout(palmPorts);
  const access = useLiveQuery(() => palmPayAccess(app.db), [app.db]);

  useEffect(() => setDevices(app.hostInfo?.devices ?? null), [app.hostInfo]);
  useEffect(
    () => app.host.onEvent((e) => e.type === 'devices' && setDevices(e.devices)),
    [app.host],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F1') {
        e.preventDefault();
        setView('sale');
      } else if (e.key === 'F10') {
        e.preventDefault();
        setView('history');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  // A sale on its receipt screen is finished: it no longer holds the store settings.
  const saleInProgress = checkout?.saleInProgress ?? false;

  // Every checkout step re-renders this component; the header, the emulator panel and the status
  // bar depend on none of it, so they are made once per change of their own inputs (React skips
  // an element it is given again), and the receipt's render is the lane's alone.
  const header = useMemo(() => {
    const tab = (v: View, label: string, key?: string) => (
      <button
        type="button"
        aria-current={view === v ? 'page' : undefined}
        onClick={() => setView(v)}
      >
        {label}
        {key && <span className="key"> {key}</span>}
      </button>
    );
    return (
      <header className="top">
        <h1>
          {t('app.title')} <span className="muted">· {app.profile.name}</span>
        </h1>
        <nav aria-label={t('nav.main')}>
          {tab('sale', t('nav.sale'), 'F1')}
          {tab('history', t('nav.history'), 'F10')}
          {tab('till', t('nav.till'))}
          {tab('shoppers', t('nav.shoppers'))}
          {tab('manager', t('nav.manager'))}
          {tab('settings', t('nav.settings'))}
        </nav>
        <span className="lane-code">{t('app.lane', { lane: app.settings.laneCode })}</span>
      </header>
    );
  }, [t, view, setView, app.profile.name, app.settings.laneCode]);
  const emulatorControls = app.hostInfo?.emulatorControls ?? false;
  const emulator = useMemo(
    () =>
      EmulatorPanel && emulatorControls ? (
        <Suspense fallback={null}>
          <EmulatorPanel />
        </Suspense>
      ) : null,
    [emulatorControls],
  );
  const awaitingApproval = access?.approved === false;
  const statusBar = useMemo(
    () => (
      <StatusBar
        devices={devices}
        extra={
          <>
            <ScannerStatus scanner={scanner.status} />
            <PalmPayStatus palmPay={palmPay} awaitingApproval={awaitingApproval} />
          </>
        }
        sync={app.syncEngine ? <SyncStatus engine={app.syncEngine} /> : null}
      />
    ),
    [devices, scanner.status, palmPay, awaitingApproval, app.syncEngine],
  );

  return (
    <div className="app">
      {header}
      <main>
        {!checkout ? null : view === 'sale' ? (
          <Lane checkout={checkout} palmReady={palmPay.state === 'ready'} />
        ) : view === 'history' ? (
          <HistoryView />
        ) : view === 'till' ? (
          <TillView />
        ) : view === 'shoppers' ? (
          <ShoppersView />
        ) : view === 'manager' ? (
          <ManagerView db={app.db} engine={app.syncEngine} locale={app.profile.locale} />
        ) : (
          <SettingsView saleInProgress={saleInProgress} scanner={scanner} />
        )}
      </main>
      {emulator}
      {statusBar}
    </div>
  );
}
