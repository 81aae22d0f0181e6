import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { IPC_EVENT_CHANNEL } from '../../common/host/rpc';
import { startCloudSidecar } from '../../native/cloud-sidecar';
import { loadHostConfig } from '../../native/config';
import { createEmulatedHostService } from '../../native/host/terminal-host-service';
import { registerHostIpc } from './ipc';
import { APP_ORIGIN, APP_SCHEME, serveAppFile } from './protocol';

const devServerUrl = process.env.ELECTRON_RENDERER_URL; // set by electron-vite in development
const config = loadHostConfig(process.env);

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

let terminalWindow: BrowserWindow | null = null;

const service = createEmulatedHostService({
  shell: 'electron',
  appVersion: app.getVersion(),
  terminalId: config.terminalId ?? `lane-${randomUUID().slice(0, 8)}`,
  // The emulator panel exists only in development builds.
  emulatorControls: Boolean(devServerUrl) || config.emulatorControls,
  ...config.emulator,
});

function createWindow(): void {
  terminalWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    kiosk: config.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !config.kiosk,
    },
  });
  const wc = terminalWindow.webContents;
  const home = devServerUrl ?? `${APP_ORIGIN}/index.html`;
  // Navigation and new windows are refused: the terminal shows one page, always.
  wc.on('will-navigate', (e, url) => {
    if (url !== home) e.preventDefault();
  });
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-attach-webview', (e) => e.preventDefault());
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
    const sidecar = await startCloudSidecar({
      root: app.getAppPath(),
      port: config.embeddedCloud.port,
      dataDir: join(app.getPath('userData'), 'cloud-data'),
      allowedOrigins: [APP_ORIGIN, ...(devServerUrl ? [new URL(devServerUrl).origin] : [])],
      // Electron's own binary runs as plain Node for the child.
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    service.cloud = { url: sidecar.url, provisioningCode: sidecar.provisioningCode };
    service.cloudCodes = sidecar.issueProvisioningCode;
    app.once('will-quit', () => void sidecar.stop());
  } catch (e) {
    console.warn(
      `The embedded store cloud did not start: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

void app.whenReady().then(async () => {
  await connectCloud();
  protocol.handle(APP_SCHEME, (req) =>
    serveAppFile(
      join(import.meta.dirname, '../renderer'),
      req.url,
      service.cloud ? [service.cloud.url] : [],
    ),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));

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
