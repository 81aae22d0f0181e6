import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentOutcome, PaymentRequest } from '../common/sync/payments';
import {
  DEMO_POLICY,
  demoCard,
  demoPhoneLast4,
  demoPopulation,
  demoShopper,
} from './demo-shoppers';
import { fromBase64url } from '../common/base64url';
import { decodeCaptureResult } from '../common/palm-hid';
import { thresholdFor, thresholds } from '../common/shard/policy';
import { EmulatedProcessor } from './payments/emulated-processor';
import { bestScore } from './payments/rematch';
import { RISK_LIMITS } from './payments/risk';
import { paymentServices } from './payments/services';
import { TestScanner, giveDemoPolicy, paymentRequest } from './payments/testing';
import { changeSettings } from './stores';
import { TestTerminal, startTestCloud, testStore, type TestCloud } from './testing';

/**
 * The risk rules through the route, on the cloud's clock: each rule's reason code reaches the
 * lane, a step-up rule is cleared by the right digits, a decline is not.
 */
const NYC = 'risk-nyc';
const LA = 'risk-la';
const population = demoPopulation();
const processor = new EmulatedProcessor();
const services = paymentServices({ processor, demoShoppers: { storeId: NYC, count: 100 } });
let clock = Date.parse('2026-03-02T09:00:00Z');
let cloud: TestCloud;
let nycLane: TestTerminal;
let laLane: TestTerminal;
let nycScanner: TestScanner;
let laScanner: TestScanner;

const eligible = Array.from({ length: 100 }, (_, i) => i).filter(
  (i) =>
    demoCard(i).token.startsWith('tok_emu_approve_') &&
    demoShopper(population, i).limits.perPayment === 5_000,
);
let next = 0;
const freshShopper = () => eligible[next++]!;

beforeAll(async () => {
  cloud = await startTestCloud({ payments: services, now: () => clock });
  for (const [id, location] of [
    [NYC, { latitude: 40.7128, longitude: -74.006 }],
    [LA, { latitude: 34.0522, longitude: -118.2437 }],
  ] as const) {
    await testStore(cloud.db, id);
    await giveDemoPolicy(cloud.db, id);
    await changeSettings(cloud.db, id, { location });
  }
  nycLane = new TestTerminal('lane-nyc');
  await nycLane.provision(cloud, NYC);
  laLane = new TestTerminal('lane-la');
  await laLane.provision(cloud, LA);
  nycScanner = await TestScanner.create('EMU-NYC');
  await nycScanner.approveIn(cloud.db, NYC);
  laScanner = await TestScanner.create('EMU-LA');
  await laScanner.approveIn(cloud.db, LA);
}, 60_000);
afterAll(async () => cloud?.close());

const pay = async (t: TestTerminal, req: PaymentRequest) =>
  (await t.request(cloud, 'POST', '/v1/payments', req)).json<PaymentOutcome>();
const minutes = (m: number) => {
  clock += m * 60_000;
};

describe('limits per shopper', () => {
  it('OVER_PAYMENT_LIMIT above the shopper’s per-payment limit', async () => {
    const n = freshShopper();
    const r = await pay(nycLane, paymentRequest(n, await nycScanner.capture(n), { amount: 5_001 }));
    expect(r).toMatchObject({ status: 'declined', reason: 'OVER_PAYMENT_LIMIT' });
  });

  it('OVER_DAILY_LIMIT once a day’s payments would pass the daily limit', async () => {
    const n = freshShopper();
    const { perDay, perPayment } = demoShopper(population, n).limits;
    for (let paid = 0; paid + perPayment <= perDay; paid += perPayment) {
      minutes(RISK_LIMITS.velocityWindowMs / 60_000 + 1); // stay clear of the velocity rule
      const r = await pay(
        nycLane,
        paymentRequest(n, await nycScanner.capture(n), { amount: perPayment }),
      );
      expect(r.status).toBe('approved');
    }
    minutes(11);
    const over = await pay(
      nycLane,
      paymentRequest(n, await nycScanner.capture(n), { amount: 100 }),
    );
    expect(over).toMatchObject({ status: 'declined', reason: 'OVER_DAILY_LIMIT' });
    minutes(24 * 60); // a day later the window has moved on
    expect(
      (await pay(nycLane, paymentRequest(n, await nycScanner.capture(n), { amount: 100 }))).status,
    ).toBe('approved');
  });
});

describe('velocity', () => {
  it('asks for step-up at the third payment in ten minutes (digits clear it) and declines the sixth', async () => {
    minutes(60);
    const n = freshShopper();
    for (let i = 0; i < RISK_LIMITS.velocityStepUp; i++)
      expect(
        (await pay(nycLane, paymentRequest(n, await nycScanner.capture(n), { amount: 100 })))
          .status,
      ).toBe('approved');
    const capture = await nycScanner.capture(n);
    expect(await pay(nycLane, paymentRequest(n, capture, { amount: 100 }))).toMatchObject({
      status: 'step-up',
      reason: 'VELOCITY',
    });
    const digits = demoPhoneLast4(n);
    expect(
      (await pay(nycLane, paymentRequest(n, capture, { amount: 100, stepUp: digits }))).status,
    ).toBe('approved');
    for (let i = RISK_LIMITS.velocityStepUp + 1; i < RISK_LIMITS.velocityDecline; i++)
      expect(
        (
          await pay(
            nycLane,
            paymentRequest(n, await nycScanner.capture(n), { amount: 100, stepUp: digits }),
          )
        ).status,
      ).toBe('approved');
    const sixth = await pay(
      nycLane,
      paymentRequest(n, await nycScanner.capture(n), { amount: 100, stepUp: digits }),
    );
    expect(sixth).toMatchObject({ status: 'declined', reason: 'VELOCITY' });
  });
});

describe('impossible travel', () => {
  it('declines Los Angeles an hour after New York, and allows it eight hours later', async () => {
    minutes(60);
    const n = freshShopper();
    await services.shoppers.enrol(cloud.db, LA, [
      { record: demoShopper(population, n), card: demoCard(n) },
    ]);
    expect((await pay(nycLane, paymentRequest(n, await nycScanner.capture(n)))).status).toBe(
      'approved',
    );
    minutes(60);
    const fast = await pay(laLane, paymentRequest(n, await laScanner.capture(n)));
    expect(fast).toMatchObject({ status: 'declined', reason: 'IMPOSSIBLE_TRAVEL' });
    minutes(7 * 60);
    expect((await pay(laLane, paymentRequest(n, await laScanner.capture(n)))).status).toBe(
      'approved',
    );
  });
});

describe('a lane with many near-threshold matches', () => {
  it('asks every payment on it for step-up from the fifth, and declines near ones from the tenth', async () => {
    minutes(60);
    // A lane that says its gallery is huge raises the bar: these genuine matches become thin.
    const HUGE = 100_000_000;
    const bar = thresholds(DEMO_POLICY, HUGE).accept;
    const oneToOne = thresholdFor(DEMO_POLICY.tail, 1, DEMO_POLICY.acceptFpir);
    const nearCapture = async (n: number) => {
      for (;;) {
        const c = await nycScanner.capture(n, { quality: 50 });
        const t = decodeCaptureResult(fromBase64url(c.signed)).template;
        const score = bestScore(t, [population.enrollTemplate(n)]);
        if (score > oneToOne && score < bar) return c;
      }
    };
    const near = (n: number, c: Awaited<ReturnType<TestScanner['capture']>>) => {
      const req = paymentRequest(n, c, { amount: 100 });
      return { ...req, match: { ...req.match, galleryTemplates: HUGE } };
    };
    let made = 0;
    while (made < RISK_LIMITS.laneStepUp) {
      const n = freshShopper();
      const r = await pay(nycLane, near(n, await nearCapture(n)));
      expect(r).toMatchObject({ status: 'step-up' });
      made++;
    }
    const clear = freshShopper();
    const clearOne = await pay(
      nycLane,
      paymentRequest(clear, await nycScanner.capture(clear), { amount: 100 }),
    );
    expect(clearOne).toMatchObject({ status: 'step-up', reason: 'LANE_NEAR_THRESHOLD' });
    while (made < RISK_LIMITS.laneDecline) {
      const n = freshShopper();
      await pay(nycLane, near(n, await nearCapture(n)));
      made++;
    }
    const n = freshShopper();
    const declined = await pay(nycLane, {
      ...near(n, await nearCapture(n)),
      stepUp: { last4: demoPhoneLast4(n) },
    });
    expect(declined).toMatchObject({ status: 'declined', reason: 'LANE_NEAR_THRESHOLD' });
    // Another lane's record is its own: a clear match there is approved.
    const elsewhere = freshShopper();
    await services.shoppers.enrol(cloud.db, LA, [
      { record: demoShopper(population, elsewhere), card: demoCard(elsewhere) },
    ]);
    const laOne = await pay(
      laLane,
      paymentRequest(elsewhere, await laScanner.capture(elsewhere), { amount: 100 }),
    );
    expect(laOne.status).toBe('approved');
  });
});
