import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentOutcome } from '../common/sync/payments';
import { adminAudit } from './admin-audit';
import {
  DEMO_SCANNER_APPROVER,
  approveDemoScannerKey,
  demoScannerKeyFromEnv,
} from './demo-scanner-key';
import { demoCard } from './demo-shoppers';
import { EmulatedProcessor } from './payments/emulated-processor';
import { TestScanner, giveDemoPolicy, paymentRequest } from './payments/testing';
import { activeScannerKey, listScannerKeys } from './scanner-keys';
import { TestTerminal, startTestCloud, testStore, type TestCloud } from './testing';

/**
 * The demo launcher's scanner approval (demo-scanner-key.ts): the demo store's emulator pays out
 * of the box, and from the attacker's side nothing else does — not another key claiming the
 * emulator's serial, not the emulator's previous key, not the emulator at another store.
 */
const DEMO = 'demo-k';
const OTHER = 'demo-k-other';
const processor = new EmulatedProcessor();
let cloud: TestCloud;
let lane: TestTerminal;
let otherLane: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud({
    payments: { processor, demoShoppers: { storeId: DEMO, count: 60 } },
  });
  await testStore(cloud.db, DEMO);
  await testStore(cloud.db, OTHER);
  await giveDemoPolicy(cloud.db, DEMO);
  await giveDemoPolicy(cloud.db, OTHER);
  lane = new TestTerminal('lane-demo-key');
  await lane.provision(cloud, DEMO);
  otherLane = new TestTerminal('lane-demo-key-other');
  await otherLane.provision(cloud, OTHER);
}, 60_000);
afterAll(async () => cloud?.close());

const pay = async (body: unknown, t: TestTerminal = lane) =>
  (await t.request(cloud, 'POST', '/v1/payments', body)).json<PaymentOutcome>();
const keyOf = (s: TestScanner) => ({
  serial: s.serial,
  model: 'PalmScan EMU',
  publicKey: s.publicKeyHex,
});
// Shoppers with an approving card, one per payment (the velocity rule counts a shopper's).
let next = 0;
const shopper = () => {
  while (demoCard(next).token.indexOf('approve') < 0) next++;
  return next++;
};

describe('DEMO_SCANNER_KEY', () => {
  const key = { serial: 'EMU-0001', model: 'PalmScan EMU', publicKey: `04${'ab'.repeat(64)}` };

  it('is read as JSON of serial, model and public key; unset is none', () => {
    expect(demoScannerKeyFromEnv({})).toBeNull();
    expect(demoScannerKeyFromEnv({ DEMO_SCANNER_KEY: JSON.stringify(key) })).toEqual(key);
  });

  it('is refused with a clear message when malformed, or in production', () => {
    expect(() => demoScannerKeyFromEnv({ DEMO_SCANNER_KEY: 'EMU-0001' })).toThrow(
      /DEMO_SCANNER_KEY must be JSON/,
    );
    expect(() =>
      demoScannerKeyFromEnv({ DEMO_SCANNER_KEY: JSON.stringify({ ...key, publicKey: '04zz' }) }),
    ).toThrow(/DEMO_SCANNER_KEY: publicKey/);
    expect(() =>
      demoScannerKeyFromEnv({ DEMO_SCANNER_KEY: JSON.stringify({ ...key, staffId: 'm1' }) }),
    ).toThrow(/DEMO_SCANNER_KEY/);
    expect(() =>
      demoScannerKeyFromEnv({ DEMO_SCANNER_KEY: JSON.stringify(key), NODE_ENV: 'production' }),
    ).toThrow(/demo setting/);
  });
});

describe('the demo launcher approves its emulator for the demo store', () => {
  let first: TestScanner;
  let restarted: TestScanner;

  it('records the key as the demo’s approval, in the store’s audit, once', async () => {
    first = await TestScanner.create('EMU-0001');
    const r = await approveDemoScannerKey(cloud.db, DEMO, keyOf(first));
    expect(r).toMatchObject({ created: true, replaced: null });
    expect(await activeScannerKey(cloud.db, DEMO, 'EMU-0001')).toMatchObject({
      publicKey: first.publicKeyHex,
      approvedBy: DEMO_SCANNER_APPROVER,
    });
    expect((await approveDemoScannerKey(cloud.db, DEMO, keyOf(first))).created).toBe(false);
    const audit = (await adminAudit(cloud.db, DEMO)).filter((e) => e.subject === 'EMU-0001');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'scanner-key.approved',
      actor: expect.stringContaining('demo-launcher'),
      detail: { demo: true, publicKey: first.publicKeyHex },
    });
  });

  it('pays with the emulator’s captures at the demo store', async () => {
    const n = shopper();
    const before = processor.charges.length;
    expect(await pay(paymentRequest(n, await first.capture(n)))).toMatchObject({
      status: 'approved',
    });
    expect(processor.charges.length).toBe(before + 1);
  });

  it('a restart’s new key replaces the old one, whose captures no longer pay', async () => {
    restarted = await TestScanner.create('EMU-0001');
    const r = await approveDemoScannerKey(cloud.db, DEMO, keyOf(restarted));
    // The first key spent counter 1; the restarted emulator must resume above it.
    expect(r).toMatchObject({ created: true, replaced: first.publicKeyHex, nextCounter: 2 });
    const keys = await listScannerKeys(cloud.db, DEMO);
    expect(keys.filter((k) => k.revokedAt === null).map((k) => k.publicKey)).toEqual([
      restarted.publicKeyHex,
    ]);
    const before = processor.charges.length;
    const n = shopper();
    expect(await pay(paymentRequest(n, await first.capture(n)))).toMatchObject({
      status: 'declined',
      reason: 'CAPTURE_UNSIGNED',
    });
    // Not resumed, its counter 1 would be a replay of a capture this store already spent.
    expect(await pay(paymentRequest(n, await restarted.capture(n, { counter: 1 })))).toMatchObject({
      status: 'declined',
      reason: 'CAPTURE_REPLAYED',
    });
    expect(
      await pay(paymentRequest(n, await restarted.capture(n, { counter: r.nextCounter }))),
    ).toMatchObject({ status: 'approved' });
    expect(processor.charges.length).toBe(before + 1);
  });

  it('attacker: another key claiming the serial, or the emulator at another store, never pays', async () => {
    const before = processor.charges.length;
    const impostor = await TestScanner.create('EMU-0001');
    const n = shopper();
    expect(await pay(paymentRequest(n, await impostor.capture(n)))).toMatchObject({
      status: 'declined',
      reason: 'CAPTURE_UNSIGNED',
    });
    const stranger = await TestScanner.create('EMU-0002');
    expect(await pay(paymentRequest(n, await stranger.capture(n)))).toMatchObject({
      status: 'declined',
      reason: 'SCANNER_NOT_APPROVED',
    });
    // The demo's approval is the demo store's alone.
    expect(await activeScannerKey(cloud.db, OTHER, 'EMU-0001')).toBeNull();
    expect(await pay(paymentRequest(n, await restarted.capture(n)), otherLane)).toMatchObject({
      status: 'declined',
      reason: 'SCANNER_NOT_APPROVED',
    });
    expect(processor.charges.length).toBe(before);
  });

  it('refuses a key that is not a P-256 point', async () => {
    await expect(
      approveDemoScannerKey(cloud.db, DEMO, {
        serial: 'EMU-0003',
        model: 'PalmScan EMU',
        publicKey: `04${'00'.repeat(64)}`,
      }),
    ).rejects.toThrow(/P-256/);
  });
});
