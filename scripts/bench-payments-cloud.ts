import type { PaymentOutcome } from '../common/sync/payments';
import { demoCard, demoPhoneLast4, demoPopulation, demoShopper } from '../cloud/demo-shoppers';
import { startEmbeddedCloud } from '../cloud/embedded';
import { EmulatedProcessor } from '../cloud/payments/emulated-processor';
import { LocalKeyVault } from '../cloud/payments/key-vault';
import { paymentServices } from '../cloud/payments/services';
import { ShopperStore } from '../cloud/payments/shoppers';
import { TestScanner, giveDemoPolicy, paymentRequest } from '../cloud/payments/testing';
import { TestTerminal, startTestCloud, testStore } from '../cloud/testing';

/**
 * `npx tsx scripts/bench-payments-cloud.ts`: what palm pay costs the cloud. Start-up of the
 * embedded cloud with the demo shoppers (enrolled on first use, so start-up does nothing for
 * them); POST /v1/payments through the app in process (no network), for a shopper's first
 * payment (which enrols them) and a later one; enrolling all demo shoppers up front in batches.
 */
const N = Number(process.env.PAYMENTS ?? 100);
const SHOPPERS = Number(process.env.DEMO_SHOPPERS ?? 2000);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms`;

let t = performance.now();
const embedded = await startEmbeddedCloud({ demoShoppers: SHOPPERS, logger: false });
console.log(
  `embedded cloud start (in-memory PGlite, ${SHOPPERS} demo shoppers): ${Math.round(performance.now() - t)} ms`,
);
await embedded.close();

const STORE = 'bench';
const population = demoPopulation();
const services = paymentServices({
  processor: new EmulatedProcessor(),
  demoShoppers: { storeId: STORE, count: SHOPPERS },
});
const cloud = await startTestCloud({ payments: services });
await testStore(cloud.db, STORE);
await giveDemoPolicy(cloud.db, STORE);
const lane = new TestTerminal('bench-lane');
await lane.provision(cloud, STORE);
const scanner = await TestScanner.create('EMU-BENCH');
await scanner.approveIn(cloud.db, STORE);
// Shoppers with approving cards; each pays twice, far apart on the velocity rule's terms.
const shoppers = Array.from({ length: SHOPPERS }, (_, i) => i)
  .filter((i) => demoCard(i).token.startsWith('tok_emu_approve_'))
  .slice(0, N);
const outcomes = new Map<string, number>();
const pay = async (n: number) => {
  const amount = Math.min(1_000, demoShopper(population, n).limits.perPayment);
  // With the digits, as after step-up, so a thin genuine score does not stop the run.
  const req = paymentRequest(n, await scanner.capture(n), { amount, stepUp: demoPhoneLast4(n) });
  const started = performance.now();
  const res = await lane.request(cloud, 'POST', '/v1/payments', req);
  const ms = performance.now() - started;
  const status = res.json<PaymentOutcome>().status;
  outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
  return ms;
};
const first: number[] = [];
for (const n of shoppers) first.push(await pay(n));
const again: number[] = [];
for (const n of shoppers) again.push(await pay(n));
console.log(
  `POST /v1/payments, a shopper's first payment (enrols them): ${fmt(first)} (n = ${first.length})`,
);
console.log(
  `POST /v1/payments, a later payment:                        ${fmt(again)} (n = ${again.length})`,
);
console.log(`  outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
await cloud.close();

const batchCloud = await startTestCloud();
await testStore(batchCloud.db, STORE);
const store = new ShopperStore(new LocalKeyVault(crypto.getRandomValues(new Uint8Array(32))), {
  storeId: STORE,
  count: SHOPPERS,
});
t = performance.now();
const seeded = await store.seedDemo(batchCloud.db, 500);
console.log(
  `enrolling ${seeded} demo shoppers up front (batches of 500, sealed): ${Math.round(performance.now() - t)} ms`,
);
await batchCloud.close();
