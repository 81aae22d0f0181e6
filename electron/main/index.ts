import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../common/host/rpc';
import { startCloudSidecar } from '../../native/cloud-sidecar';
import { loadHostConfig } from '../../native/config';
import { scannerSetupFromEnv } from '../../native/palm/config';
import { dispatchHostCall } from '../../native/host/dispatch';
import { createEmulatedHostService } from '../../native/host/emulated-host';
import { createHostLog, hostLogSetup } from '../../native/logging/host-logger';
import { utilityCloudLauncher } from './cloud-process';
import { registerHostIpc } from './ipc';
import {
  blockKioskShortcuts,
  keepKioskWindowOpen,
  kioskWindowOptions,
  recoverLostPage,
} from './kiosk-mode';
import {
  devToolsAllowed,
  lockDownContents,
  lockDownSession,
  terminalWebPreferences,
} from './lockdown';
import { APP_ORIGIN, APP_SCHEME, serveAppFile } from './protocol';

// `electron-vite dev` builds main in development mode and sets the dev server's URL. A production
// build compiles DEV to false, so no environment variable can point it at another page.
const devBuild = import.meta.env.DEV;
const devServerUrl = devBuild ? process.env.ELECTRON_RENDERER_URL : undefined;
const config = loadHostConfig(process.env);
const devTools = devToolsAllowed({ devBuild, kiosk: config.kiosk });

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

let terminalWindow: BrowserWindow | null = null;
let quitting = false;
app.on('before-quit', () => {
  quitting = true;
});

const scanner = scannerSetupFromEnv(process.env);
const service = createEmulatedHostService({
  scanner,
  shell: 'electron',
  appVersion: app.getVersion(),
  terminalId: config.terminalId ?? `lane-${randomUUID().slice(0, 8)}`,
  // The emulator panel exists only in development builds.
  emulatorControls: Boolean(devServerUrl) || config.emulatorControls,
  laneType: config.laneType,
  ...config.emulator,
});

function createWindow(): void {
  terminalWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    ...kioskWindowOptions(config.kiosk),
    backgroundColor: '#0f172a',
    webPreferences: terminalWebPreferences({
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      devTools,
    }),
  });
  const home = devServerUrl ?? `${APP_ORIGIN}/index.html`;
  const wc = terminalWindow.webContents;
  lockDownContents(wc, { home, devTools });
  const recovered = recoverLostPage(wc, {
    onPageGone: ({ reason, exitCode, reloadInMs }) => {
      service.logger.error({ reason, exitCode, reloadInMs }, 'terminal page gone; reloading');
      // A kiosk's shopper is stuck until it is back: the light calls the attendant.
      if (config.laneType === 'self')
        void dispatchHostCall(service, 'light.set', { state: 'flashing' });
    },
    onRecovered: () => service.logger.info('terminal page back after a loss'),
  });
  wc.on('did-finish-load', recovered);
  if (config.kiosk) {
    blockKioskShortcuts(wc);
    keepKioskWindowOpen(terminalWindow, () => quitting);
  }
  void terminalWindow.loadURL(home);
  terminalWindow.on('closed', () => {
    terminalWindow = null;
  });
}

/** The store cloud: CLOUD_URL, or the embedded one started beside the terminal (development). */
async function connectCloud(): Promise<void> {
  if (config.cloudUrl) {
    service.cloud = { url: config.cloudUrl, provisioningCode: config.provisioningCode };
    return;
  }
  if (!config.embeddedCloud) return;
  try {
    // The demo's emulated scanner (PALM_EMULATOR_KEY=approved, the default): the embedded demo
    // cloud records its key as the demo store's approved one, as browser mode does.
    const demoKey =
      scanner.kind === 'emulator' && scanner.demoCloudApproves
        ? await service.emulatedScannerKey()
        : null;
    const sidecar = await startCloudSidecar({
      // out/main/cloud.js: cloud/main.ts, bundled beside this file (electron.vite.config.ts).
      launch: utilityCloudLauncher(utilityProcess.fork, join(import.meta.dirname, 'cloud.js')),
      ...(demoKey ? { env: { DEMO_SCANNER_KEY: JSON.stringify(demoKey) } } : {}),
      port: config.embeddedCloud.port,
      dataDir: join(app.getPath('userData'), 'cloud-data'),
      allowedOrigins: [APP_ORIGIN, ...(devServerUrl ? [new URL(devServerUrl).origin] : [])],
    });
    // The one code the demo cloud printed at start; the host mints none.
    service.cloud = { url: sidecar.url, provisioningCode: sidecar.provisioningCode };
    // Captures the store already spent from the emulator (an earlier run) are never re-sent.
    if (demoKey && sidecar.demoScanner?.serial === demoKey.serial)
      service.resumeEmulatedScannerCounter(sidecar.demoScanner.nextCounter);
    if (sidecar.loginUrl) console.log(`Store dashboard login (one use): ${sidecar.loginUrl}`);
    app.once('will-quit', () => void sidecar.stop());
  } catch (e) {
    console.warn(
      `The embedded store cloud did not start: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

void app.whenReady().then(async () => {
  // The host's log lives in the app's user-data folder (HOST_LOG_DIR or HOST_LOG=off override).
  try {
    const log = await createHostLog(
      hostLogSetup(process.env, join(app.getPath('userData'), 'logs')),
    );
    service.attachLog(log);
    log.logger.info({ shell: 'electron', appVersion: app.getVersion() }, 'host started');
    app.once('will-quit', () => void log.close());
  } catch (e) {
    console.warn(`The host log could not be opened: ${e instanceof Error ? e.message : String(e)}`);
  }
  await connectCloud();
  protocol.handle(APP_SCHEME, (req) =>
    serveAppFile(
      join(import.meta.dirname, '../renderer'),
      req.url,
      service.cloud ? [service.cloud.url] : [],
    ),
  );
  lockDownSession(session.defaultSession);
  // No menu in kiosk mode: it is also where the default reload, DevTools and quit accelerators live.
  if (config.kiosk) Menu.setApplicationMenu(null);

  const allowedOrigins = [APP_ORIGIN, ...(devServerUrl ? [new URL(devServerUrl).origin] : [])];
  registerHostIpc(ipcMain, service, {
    webContentsId: () => terminalWindow?.webContents.id ?? null,
    allowedOrigins,
  });
  service.onEvent((event) => terminalWindow?.webContents.send(IPC_EVENT_CHANNEL, event));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
