import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { nodeCloudLauncher, startCloudSidecar, type CloudSidecar } from '../cloud-sidecar';
import { ConfigError, loadHostConfig } from '../config';
import { ScannerConfigError, scannerSetupFromEnv } from '../palm/config';
import { createEmulatedHostService } from '../host/emulated-host';
import { createHostLog, hostLogSetup, withoutHome } from '../logging/host-logger';
import { printerSetupFromEnv } from '../printer/config';
import { buildModeOf } from './build-mode';
import { startBrowserHost } from './server';

/**
 * `npm run start:browser`: the browser-mode host, serving out/browser on 127.0.0.1, with the
 * emulator controls and the embedded demo cloud. `npm run start:browser:production` (or
 * `--production`, or NODE_ENV=production): serves out/browser-production, with no emulator
 * controls, no demo store and a real palm scanner, and refuses demo settings (native/config.ts).
 */
async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
  const config = loadHostConfig(process.env, { production });
  const staticDir = resolve(
    root,
    process.env.BROWSER_BUILD_DIR ?? (production ? 'out/browser-production' : 'out/browser'),
  );
  const buildScript = production ? 'build:browser:production' : 'build:browser';
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    throw new ConfigError(
      `No renderer build in ${staticDir}. Run \`npm run ${buildScript}\` first.`,
    );
  }
  if (production) {
    const mode = await buildModeOf(staticDir);
    if (mode !== 'production')
      throw new ConfigError(
        `${relative(root, staticDir) || staticDir} is a ${mode ?? 'unmarked'} build, not a production one (it may carry the emulator panel). Run \`npm run ${buildScript}\`.`,
      );
  }
  const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const log = await createHostLog(hostLogSetup(process.env, resolve(root, '.host-logs')));
  const scanner = scannerSetupFromEnv(process.env, production ? 'hid' : 'emulator');
  const service = createEmulatedHostService({
    log,
    printer: printerSetupFromEnv(process.env),
    shell: 'browser',
    appVersion: pkg.version,
    terminalId: config.terminalId ?? 'browser-lane',
    emulatorControls: !production,
    laneType: config.laneType,
    scanner,
    ...config.emulator,
  });
  // The store cloud: CLOUD_URL, or the embedded demo one started beside the terminal. Either way
  // the lane gets the one provisioning code the launcher was given; the host mints none.
  let sidecar: CloudSidecar | null = null;
  if (config.cloudUrl) {
    service.cloud = { url: config.cloudUrl, provisioningCode: config.provisioningCode };
  } else if (config.embeddedCloud) {
    try {
      // The demo's emulated scanner (PALM_EMULATOR_KEY=approved, the default): the demo cloud
      // records its key as the demo store's approved one, so the demo pays by palm as it starts.
      const demoKey =
        scanner.kind === 'emulator' && scanner.demoCloudApproves
          ? await service.emulatedScannerKey()
          : null;
      sidecar = await startCloudSidecar({
        launch: nodeCloudLauncher(root),
        ...(demoKey ? { env: { DEMO_SCANNER_KEY: JSON.stringify(demoKey) } } : {}),
        port: config.embeddedCloud.port,
        dataDir: resolve(root, config.embeddedCloud.dataDir),
        allowedOrigins: [`http://127.0.0.1:${config.port}`],
      });
      service.cloud = { url: sidecar.url, provisioningCode: sidecar.provisioningCode };
      // Captures this store already spent from the emulator (an earlier run) are never re-sent.
      if (demoKey && sidecar.demoScanner?.serial === demoKey.serial) {
        service.resumeEmulatedScannerCounter(sidecar.demoScanner.nextCounter);
        console.log(
          `Palm scanner ${demoKey.serial} (emulated) approved for the demo store by this launcher (PALM_EMULATOR_KEY=pending: a manager approves it instead).`,
        );
      }
      console.log(
        `Store cloud (embedded demo store) at ${sidecar.url}` +
          (sidecar.loginUrl ? ` — dashboard login (one use): ${sidecar.loginUrl}` : ''),
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
  console.log(
    `Palm checkout terminal (browser mode${production ? ', production' : ''}) is running.\nOpen: ${host.url}`,
  );
  if (log.dir) console.log(`Host log: ${withoutHome(log.dir)}`);
  log.logger.info(
    { shell: 'browser', production, appVersion: pkg.version, printer: service.printerModel },
    'host started',
  );
  const stop = () => {
    log.logger.info('host stopping');
    void Promise.all([host.close(), sidecar?.stop(), service.dispose()])
      .then(() => log.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof ScannerConfigError) {
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
