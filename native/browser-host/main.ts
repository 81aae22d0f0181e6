import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startCloudSidecar, type CloudSidecar } from '../cloud-sidecar';
import { ConfigError, loadHostConfig } from '../config';
import { createEmulatedHostService } from '../host/terminal-host-service';
import { startBrowserHost } from './server';

/** `npm run start:browser`: the browser-mode host, serving out/browser on 127.0.0.1. */
async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  const staticDir = resolve(root, process.env.BROWSER_BUILD_DIR ?? 'out/browser');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    throw new ConfigError(
      `No renderer build in ${staticDir}. Run \`npm run build:browser\` first.`,
    );
  }
  const config = loadHostConfig(process.env);
  const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const production = process.env.NODE_ENV === 'production';
  const service = createEmulatedHostService({
    shell: 'browser',
    appVersion: pkg.version,
    terminalId: config.terminalId ?? 'browser-lane',
    emulatorControls: !production || config.emulatorControls,
    ...config.emulator,
  });
  // The store cloud: CLOUD_URL, or the embedded one started beside the terminal.
  let sidecar: CloudSidecar | null = null;
  if (config.cloudUrl) {
    service.cloud = { url: config.cloudUrl, provisioningCode: config.provisioningCode };
  } else if (config.embeddedCloud) {
    try {
      sidecar = await startCloudSidecar({
        root,
        port: config.embeddedCloud.port,
        dataDir: resolve(root, config.embeddedCloud.dataDir),
        allowedOrigins: [`http://127.0.0.1:${config.port}`],
      });
      service.cloud = { url: sidecar.url, provisioningCode: sidecar.provisioningCode };
      service.cloudCodes = sidecar.issueProvisioningCode;
      console.log(
        `Store cloud (embedded) at ${sidecar.url} — dashboard login (one use, 10 min): ${sidecar.loginUrl}`,
      );
    } catch (e) {
      // The terminal sells without its cloud; sales wait in the outbox.
      console.warn(
        `The embedded store cloud did not start (${e instanceof Error ? e.message : String(e)}); sales will queue until it is available.`,
      );
    }
  }
  const host = await startBrowserHost({
    service,
    staticDir,
    port: config.port,
    token: config.hostToken ?? undefined,
    connectSrc: service.cloud ? [service.cloud.url] : [],
  });
  console.log(`Palm checkout terminal (browser mode) is running.\nOpen: ${host.url}`);
  const stop = () => {
    void Promise.all([host.close(), sidecar?.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    console.error(`Configuration error: ${e.message}`);
  } else if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `Port ${process.env.PORT ?? 5174} is in use. Stop the other terminal or set PORT=<free port>.`,
    );
  } else {
    console.error(e);
  }
  process.exit(1);
});
