import { resolve } from 'node:path';
import { demoShopperCount } from './demo-shoppers';
import { startEmbeddedCloud } from './embedded';

/**
 * `npm run cloud`: the store cloud on its own (also what launchers spawn; see CLOUD_READY below). PGlite in .cloud-data/ unless DATABASE_URL names a
 * PostgreSQL. PORT (default 8787), HOST (default 127.0.0.1), CLOUD_DATA_DIR, CLOUD_ADMIN_TOKEN and
 * CLOUD_ALLOWED_ORIGINS (comma-separated; default any) are read from the environment, and
 * DEMO_SHOPPERS: how many synthetic shoppers the demo store's palm shard enrols (default 2000,
 * 0 for none; cloud/demo-shard.ts).
 */
const port = Number(process.env.PORT ?? 8787);
let demoShoppers: number;
try {
  demoShoppers = demoShopperCount(process.env.DEMO_SHOPPERS);
} catch (e) {
  console.error(`Configuration error: ${(e as Error).message}`);
  process.exit(1);
}
const started = performance.now();
const cloud = await startEmbeddedCloud({
  dataDir: resolve(process.env.CLOUD_DATA_DIR ?? '.cloud-data'),
  port,
  host: process.env.HOST ?? '127.0.0.1',
  allowedOrigins: process.env.CLOUD_ALLOWED_ORIGINS?.split(',').map((s) => s.trim()) ?? ['*'],
  logger: process.env.CLOUD_LOG === '1',
  demoShoppers,
  log: (line) => console.log(`  ${line}`),
});
const code = await cloud.issueProvisioningCode();
console.log(
  `Store cloud listening on ${cloud.url} (${cloud.db.kind}, started in ${Math.round(performance.now() - started)} ms)`,
);
console.log(
  `  demo shoppers:      ${demoShoppers ? `${demoShoppers} (emulator identities 0–${demoShoppers - 1}; DEMO_SHOPPERS=0 for none)` : 'none'}`,
);
console.log(`  dashboard:          ${cloud.dashboardUrl()}`);
console.log(`  admin token:        ${cloud.adminToken}`);
console.log(`  provisioning code:  ${code} (store ${cloud.demoStoreId}, one use, 24 h)`);
// For launchers that start the cloud as a child process (the layers keep native/ and electron/
// from importing cloud/): one machine-readable line with what the terminal's host needs.
console.log(
  `CLOUD_READY ${JSON.stringify({ url: cloud.url, provisioningCode: code, storeId: cloud.demoStoreId, dashboardUrl: cloud.dashboardUrl() })}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cloud.close().then(() => process.exit(0));
  });
}
