import { join, resolve } from 'node:path';
import { checkAllowedOrigins } from './app';
import { demoScannerKeyFromEnv } from './demo-scanner-key';
import { demoShopperCount } from './demo-shoppers';
import { demoShoppersEnrol, startEmbeddedCloud } from './embedded';
import type { CloudLogOptions } from './logging';
import { CODE_TTL_MS } from './provision';

/**
 * `npm run cloud`: the store cloud on its own (also what launchers spawn; see CLOUD_READY below).
 * PGlite in .cloud-data/ unless DATABASE_URL names a PostgreSQL. From the environment:
 *   PORT (8787), HOST (127.0.0.1), CLOUD_DATA_DIR (.cloud-data)
 *   CLOUD_ADMIN_TOKEN      the admin API's token; unset: the data directory's admin-token file
 *                          (created 0600). Never printed.
 *   CLOUD_ALLOWED_ORIGINS  comma-separated CORS origins (the lanes' pages); none by default
 *   CLOUD_PUBLIC_ORIGIN    the origin browsers use, behind a TLS proxy (dashboard Origin check)
 *   CLOUD_LOG              stdout (default) | file (<data dir>/cloud.log) | off: the request log
 *   DEMO_SHOPPERS          synthetic shoppers in the demo store's palm shard (2000; 0: none)
 *   DEMO_SHOPPERS_ENROL    first-payment (default): each demo shopper is enrolled in the shopper
 *                          store on their first palm payment; at-start: all, in the background
 *   DEMO_AUTO_APPROVE      1 (default): the demo store approves its lanes for palm pay by itself;
 *                          0: a manager approves each in the dashboard
 *   DEMO_SCANNER_KEY       set by the demo launcher: its emulated scanner's key, approved for the
 *                          demo store at start (cloud/demo-scanner-key.ts); refused in production
 */
function config() {
  const env = process.env;
  const dataDir = resolve(env.CLOUD_DATA_DIR ?? '.cloud-data');
  const logMode = (env.CLOUD_LOG ?? 'stdout').trim() || 'stdout';
  if (!['stdout', 'file', 'off'].includes(logMode))
    throw new Error(`CLOUD_LOG must be stdout, file or off (got “${env.CLOUD_LOG}”)`);
  const logger: CloudLogOptions | false =
    logMode === 'off' ? false : logMode === 'file' ? { file: join(dataDir, 'cloud.log') } : {};
  const autoApprove = (env.DEMO_AUTO_APPROVE ?? '1').trim();
  if (!['0', '1'].includes(autoApprove))
    throw new Error(`DEMO_AUTO_APPROVE must be 0 or 1 (got “${env.DEMO_AUTO_APPROVE}”)`);
  const origins = (env.CLOUD_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    port: Number(env.PORT ?? 8787),
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    logger,
    logMode,
    demoShoppers: demoShopperCount(env.DEMO_SHOPPERS),
    demoShoppersEnrol: demoShoppersEnrol(env.DEMO_SHOPPERS_ENROL),
    demoAutoApprove: autoApprove === '1',
    demoScannerKey: demoScannerKeyFromEnv(env),
    allowedOrigins: checkAllowedOrigins(origins),
    publicOrigin: env.CLOUD_PUBLIC_ORIGIN?.trim() || undefined,
  };
}

let c: ReturnType<typeof config>;
try {
  c = config();
} catch (e) {
  console.error(`Configuration error: ${(e as Error).message}`);
  process.exit(1);
}
const started = performance.now();
const cloud = await startEmbeddedCloud({
  dataDir: c.dataDir,
  port: c.port,
  host: c.host,
  allowedOrigins: c.allowedOrigins,
  ...(c.publicOrigin ? { publicOrigin: c.publicOrigin } : {}),
  logger: c.logger,
  demoShoppers: c.demoShoppers,
  demoShoppersEnrol: c.demoShoppersEnrol,
  demoAutoApprove: c.demoAutoApprove,
  demoScannerKey: c.demoScannerKey,
  log: (line) => console.log(`  ${line}`),
});
const code = await cloud.issueProvisioningCode();
const login = await cloud.issueLoginLink();
const n = c.demoShoppers;
console.log(
  `Store cloud listening on ${cloud.url} (${cloud.db.kind}, started in ${Math.round(performance.now() - started)} ms)`,
);
console.log(
  `  demo shoppers:      ${n ? `${n} (emulator identities 0–${n - 1}; DEMO_SHOPPERS=0 for none), enrolled ${c.demoShoppersEnrol === 'at-start' ? 'now, in the background' : 'on first payment'}` : 'none'}`,
);
console.log(
  `  demo lanes:         ${c.demoAutoApprove ? 'approved for palm pay automatically (DEMO_AUTO_APPROVE=0: a manager approves)' : 'a manager approves each for palm pay in the dashboard'}`,
);
console.log(
  `  dashboard:          ${cloud.dashboardUrl()} (managers log in with staff id and passcode)`,
);
console.log(`  operator login:     ${login.url} (one use, 10 min)`);
console.log(
  `  admin API token:    ${cloud.adminTokenFile ? `in ${cloud.adminTokenFile} (mode 0600)` : 'from CLOUD_ADMIN_TOKEN'}; send it as Authorization: Bearer`,
);
console.log(
  `  provisioning code:  ${code.code} (store ${cloud.demoStoreId}, one use, ${CODE_TTL_MS / 60_000} min)`,
);
console.log(
  `  request log:        ${c.logMode === 'file' ? join(c.dataDir, 'cloud.log') : c.logMode}`,
);
// For launchers that start the cloud as a child process (the layers keep native/ and electron/
// from importing cloud/): one machine-readable line with what the terminal's host needs. No
// admin token: the launcher never needs one.
const ready: {
  url: string;
  storeId: string;
  provisioningCode: string | null;
  loginUrl: string;
  demoScanner?: { serial: string; nextCounter: number };
} = {
  url: cloud.url,
  storeId: cloud.demoStoreId,
  provisioningCode: code.code,
  loginUrl: login.url,
  ...(cloud.demoScanner ? { demoScanner: cloud.demoScanner } : {}),
};
console.log(`CLOUD_READY ${JSON.stringify(ready)}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cloud.close().then(() => process.exit(0));
  });
}
