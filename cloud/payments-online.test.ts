import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentOutcome } from '../common/sync/payments';
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
import { TestScanner, giveDemoPolicy, paymentRequest } from './payments/testing';
import { revokeScannerKey } from './scanner-keys';
import { TestTerminal, startTestCloud, testStore, type TestCloud } from './testing';

/**
 * POST /v1/payments from the attacker's side: a lane whose key is in someone else's hands may
 * send anything a signed request can carry. Every refusal must charge nothing.
 */
const STORE = 'pay-s';
const OTHER = 'pay-t';
const population = demoPopulation();
const processor = new EmulatedProcessor();
let cloud: TestCloud;
let lane: TestTerminal;
let otherStoreLane: TestTerminal;
let scanner: TestScanner;
let foreignScanner: TestScanner;

/**
 * A fresh shopper of the first 100 for each use (so the velocity rule, which counts one
 * shopper's payments, stays out of tests about something else): an approving card and a
 * per-payment limit of at least 50.00.
 */
const eligible = Array.from({ length: 100 }, (_, i) => i).filter(
  (i) =>
    demoCard(i).token.startsWith('tok_emu_approve_') &&
    demoShopper(population, i).limits.perPayment >= 5_000,
);
let nextEligible = 0;
const freshShopper = () => {
  const n = eligible[nextEligible++];
  if (n === undefined) throw new Error('out of demo shoppers');
  return n;
};

beforeAll(async () => {
  cloud = await startTestCloud({
    payments: { processor, demoShoppers: { storeId: STORE, count: 100 } },
  });
  await testStore(cloud.db, STORE);
  await testStore(cloud.db, OTHER);
  await giveDemoPolicy(cloud.db, STORE);
  await giveDemoPolicy(cloud.db, OTHER);
  lane = new TestTerminal('lane-pay');
  await lane.provision(cloud, STORE);
  otherStoreLane = new TestTerminal('lane-pay-other');
  await otherStoreLane.provision(cloud, OTHER);
  scanner = await TestScanner.create('EMU-PAY-1');
  await scanner.approveIn(cloud.db, STORE);
  foreignScanner = await TestScanner.create('EMU-PAY-2');
  await foreignScanner.approveIn(cloud.db, OTHER);
}, 60_000);
afterAll(async () => cloud?.close());

const pay = async (body: unknown, t: TestTerminal = lane) => {
  const res = await t.request(cloud, 'POST', '/v1/payments', body);
  return { status: res.statusCode, body: res.json<PaymentOutcome & { error?: string }>() };
};
const charges = () => processor.charges.length;

describe('a palm payment the cloud can check end to end', () => {
  it('is approved and charges the card on file once, with the shopper and masked card', async () => {
    const n = freshShopper();
    const before = charges();
    const req = paymentRequest(n, await scanner.capture(n));
    const r = await pay(req);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'approved',
      paymentId: req.paymentId,
      amount: req.amount,
      card: { brand: demoCard(n).brand, last4: demoCard(n).last4 },
      shopper: {
        customerRef: demoShopper(population, n).customerRef,
        loyaltyId: demoShopper(population, n).loyaltyId,
        ageVerified: demoShopper(population, n).ageVerified,
      },
    });
    expect(charges()).toBe(before + 1);
    expect(processor.charges.at(-1)).toMatchObject({
      idempotencyKey: req.paymentId,
      amount: 1_250,
    });
  });

  it('the operator lists the store’s payments (no templates, no card tokens)', async () => {
    const res = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/payments`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<{ payments: { status: string; laneCode: string }[] }>().payments;
    expect(list.filter((p) => p.status === 'approved').length).toBeGreaterThanOrEqual(1);
    expect(res.body).not.toContain('tok_emu');
    const noToken = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/payments`,
    });
    expect(noToken.statusCode).toBe(401);
  });

  it('needs a signed request from a known lane', async () => {
    const n = freshShopper();
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(paymentRequest(n, await scanner.capture(n))),
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('idempotency: one payment id, one outcome, one charge', () => {
  it('answers a retry with the first outcome and charges once', async () => {
    const n = freshShopper();
    const req = paymentRequest(n, await scanner.capture(n));
    const before = charges();
    const first = await pay(req);
    const again = await pay(req);
    expect(again).toEqual(first);
    expect(first.body.status).toBe('approved');
    expect(charges()).toBe(before + 1);
  });

  it('concurrent duplicates of one request all get the one outcome, and one charge', async () => {
    const n = freshShopper();
    const req = paymentRequest(n, await scanner.capture(n));
    const before = charges();
    const answers = await Promise.all(Array.from({ length: 6 }, () => pay(req)));
    expect(answers.map((a) => a.body)).toEqual(answers.map(() => answers[0]!.body));
    expect(answers[0]!.body.status).toBe('approved');
    expect(charges()).toBe(before + 1);
  });

  it('the same id with another body is 422 IDEMPOTENCY_MISMATCH and changes nothing', async () => {
    const n = freshShopper();
    const req = paymentRequest(n, await scanner.capture(n));
    const first = await pay(req);
    const before = charges();
    const other = await pay({ ...req, amount: { amount: 999, currency: 'USD' } });
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('IDEMPOTENCY_MISMATCH');
    const fromAnotherStore = await pay(req, otherStoreLane);
    expect(fromAnotherStore.body.status).not.toBe('approved'); // its own store: a foreign capture
    expect(charges()).toBe(before);
    expect(await pay(req)).toEqual(first);
  });
});

describe('the capture: signed by this store’s approved scanner, used once', () => {
  it('a compromised lane paying as someone it did not scan is NOT_THIS_SHOPPER', async () => {
    const victim = freshShopper();
    const scanned = freshShopper();
    const before = charges();
    const r = await pay(paymentRequest(victim, await scanner.capture(scanned)));
    expect(r.body).toMatchObject({ status: 'declined', reason: 'NOT_THIS_SHOPPER' });
    const stranger = await pay(paymentRequest(victim, await scanner.capture(1_000_000_123)));
    expect(stranger.body).toMatchObject({ status: 'declined', reason: 'NOT_THIS_SHOPPER' });
    expect(charges()).toBe(before);
  });

  it('replaying a capture under a new payment id is CAPTURE_REPLAYED', async () => {
    const n = freshShopper();
    const capture = await scanner.capture(n);
    expect((await pay(paymentRequest(n, capture))).body.status).toBe('approved');
    const before = charges();
    const replay = await pay(paymentRequest(n, capture));
    expect(replay.body).toMatchObject({ status: 'declined', reason: 'CAPTURE_REPLAYED' });
    // A declined attempt spends its capture too: no retrying the same scan until it passes.
    const declined = await pay(paymentRequest(n, await scanner.capture(n), { amount: 999_999 }));
    expect(declined.body.status).toBe('declined');
    expect(charges()).toBe(before);
  });

  it('the same counter or nonce again (a re-signed old capture) is CAPTURE_REPLAYED', async () => {
    const n = freshShopper();
    const first = await scanner.capture(n, { counter: 9_000 });
    expect((await pay(paymentRequest(n, first))).body.status).toBe('approved');
    const sameCounter = await scanner.capture(n, { counter: 9_000 });
    expect((await pay(paymentRequest(n, sameCounter))).body).toMatchObject({
      reason: 'CAPTURE_REPLAYED',
    });
  });

  it('a capture signed by a scanner the store never approved is SCANNER_NOT_APPROVED', async () => {
    const n = freshShopper();
    const rogue = await TestScanner.create('EMU-ROGUE');
    const before = charges();
    expect((await pay(paymentRequest(n, await rogue.capture(n)))).body).toMatchObject({
      status: 'declined',
      reason: 'SCANNER_NOT_APPROVED',
    });
    // Another store's approved scanner is a stranger here.
    expect((await pay(paymentRequest(n, await foreignScanner.capture(n)))).body).toMatchObject({
      reason: 'SCANNER_NOT_APPROVED',
    });
    expect(charges()).toBe(before);
  });

  it('a rogue key claiming an approved serial, or a tampered template, is CAPTURE_UNSIGNED', async () => {
    const n = freshShopper();
    const impostor = await TestScanner.create(scanner.serial);
    expect((await pay(paymentRequest(n, await impostor.capture(n)))).body).toMatchObject({
      reason: 'CAPTURE_UNSIGNED',
    });
    const tampered = await scanner.capture(n, { tamper: (b) => void (b[100]! ^= 0x10) });
    expect((await pay(paymentRequest(n, tampered))).body).toMatchObject({
      reason: 'CAPTURE_UNSIGNED',
    });
    const garbage = { signed: 'AAAAAAAAAAAAAAAAAAAA', scannerSerial: scanner.serial };
    expect((await pay(paymentRequest(n, garbage))).body).toMatchObject({
      reason: 'CAPTURE_MALFORMED',
    });
  });

  it('a revoked key is refused from the moment it is revoked', async () => {
    const n = freshShopper();
    const retiring = await TestScanner.create('EMU-RETIRE');
    await retiring.approveIn(cloud.db, STORE);
    expect((await pay(paymentRequest(n, await retiring.capture(n)))).body.status).toBe('approved');
    await revokeScannerKey(cloud.db, STORE, retiring.serial, 'test');
    expect((await pay(paymentRequest(n, await retiring.capture(n)))).body).toMatchObject({
      reason: 'SCANNER_NOT_APPROVED',
    });
  });
});

describe('the amount is what the lines cost under the store’s rules', () => {
  it('a tampered amount is AMOUNT_MISMATCH; another currency is CURRENCY_MISMATCH', async () => {
    const n = freshShopper();
    const before = charges();
    const req = paymentRequest(n, await scanner.capture(n));
    const cheaper = await pay({ ...req, amount: { amount: 1, currency: 'USD' } });
    expect(cheaper.body).toMatchObject({ status: 'declined', reason: 'AMOUNT_MISMATCH' });
    const euros = paymentRequest(n, await scanner.capture(n));
    const inEuros = await pay({ ...euros, amount: { amount: 1_250, currency: 'EUR' } });
    expect(inEuros.body).toMatchObject({ reason: 'CURRENCY_MISMATCH' });
    expect(charges()).toBe(before);
  });
});

describe('the shopper and step-up', () => {
  it('a template the store never enrolled is SHOPPER_UNKNOWN', async () => {
    const r = await pay({
      ...paymentRequest(3, await scanner.capture(3)),
      templateId: 'demo-palm-100',
    });
    expect(r.body).toMatchObject({ reason: 'SHOPPER_UNKNOWN' });
  });

  it('a thin margin asks for step-up; the right digits with the same capture then pay, once', async () => {
    const n = freshShopper();
    const capture = await scanner.capture(n);
    const thin = paymentRequest(n, capture);
    const first = await pay({
      ...thin,
      match: { ...thin.match, runnerUpScore: thin.match.score - 1 },
    });
    expect(first.body).toMatchObject({ status: 'step-up', reason: 'STEP_UP_REQUIRED' });
    const digits = demoPhoneLast4(n);
    const withDigits = paymentRequest(n, capture, { stepUp: digits });
    const second = await pay({
      ...withDigits,
      match: { ...withDigits.match, runnerUpScore: withDigits.match.score - 1 },
    });
    expect(second.body.status).toBe('approved');
    // The continuation is spent: the capture pays for nothing else.
    expect((await pay(paymentRequest(n, capture, { stepUp: digits }))).body).toMatchObject({
      reason: 'CAPTURE_REPLAYED',
    });
  });

  it('a lane claiming a tiny gallery cannot lower the bar below the store’s own', async () => {
    const n = freshShopper();
    const storeBar = thresholds(DEMO_POLICY, 100).accept;
    const oneToOne = thresholdFor(DEMO_POLICY.tail, 1, DEMO_POLICY.acceptFpir);
    let capture = await scanner.capture(n, { quality: 50 });
    for (;;) {
      const t = decodeCaptureResult(fromBase64url(capture.signed)).template;
      const score = bestScore(t, [population.enrollTemplate(n)]);
      if (score > oneToOne && score < storeBar) break; // a clear accept for 1, thin for 100
      capture = await scanner.capture(n, { quality: 50 });
    }
    const req = paymentRequest(n, capture);
    const r = await pay({
      ...req,
      match: { score: 900_000, runnerUpScore: null, galleryTemplates: 1 },
    });
    expect(r.body).toMatchObject({ status: 'step-up', reason: 'STEP_UP_REQUIRED' });
  });

  it('wrong digits are STEP_UP_FAILED and charge nothing', async () => {
    const n = freshShopper();
    const wrong = String((Number(demoPhoneLast4(n)) + 1) % 10_000).padStart(4, '0');
    const before = charges();
    const r = await pay(paymentRequest(n, await scanner.capture(n), { stepUp: wrong }));
    expect(r.body).toMatchObject({ status: 'declined', reason: 'STEP_UP_FAILED' });
    expect(charges()).toBe(before);
  });
});

describe('the processor', () => {
  it.each([
    [7, 'CARD_DECLINED'],
    [13, 'INSUFFICIENT_FUNDS'],
    [21, 'PROCESSOR_UNAVAILABLE'],
  ])('shopper %i: declined %s with a message, nothing charged', async (n, reason) => {
    const before = charges();
    const amount = Math.min(1_250, demoShopper(population, n).limits.perPayment);
    const r = await pay(paymentRequest(n, await scanner.capture(n), { amount }));
    expect(r.body).toMatchObject({ status: 'declined', reason });
    expect((r.body as { message: string }).message.length).toBeGreaterThan(5);
    expect(charges()).toBe(before);
  });
});

describe('cancel', () => {
  it('a payment cancelled before it arrives is never charged', async () => {
    const n = freshShopper();
    const req = paymentRequest(n, await scanner.capture(n));
    const c = await lane.request(cloud, 'POST', `/v1/payments/${req.paymentId}/cancel`);
    expect(c.json()).toEqual({ status: 'cancelled', paymentId: req.paymentId });
    const before = charges();
    expect((await pay(req)).body).toMatchObject({
      status: 'declined',
      reason: 'PAYMENT_CANCELLED',
    });
    expect(charges()).toBe(before);
  });

  it('cancelling a decided payment answers its outcome (it never refunds)', async () => {
    const n = freshShopper();
    const req = paymentRequest(n, await scanner.capture(n));
    const paid = await pay(req);
    const c = await lane.request(cloud, 'POST', `/v1/payments/${req.paymentId}/cancel`);
    expect(c.json()).toEqual(paid.body);
    // Another lane cannot see or cancel it.
    const other = new TestTerminal('lane-pay-3');
    await other.provision(cloud, STORE);
    const foreign = await other.request(cloud, 'POST', `/v1/payments/${req.paymentId}/cancel`);
    expect(foreign.statusCode).toBe(404);
  });
});

// Last, so the shoppers the tests above draw stay as they were.
describe('a split sale', () => {
  it('in a split sale it charges exactly the lines less the cash parts, and nothing else', async () => {
    const cash = (amount: number, given = amount) => ({
      kind: 'cash' as const,
      amount: { amount, currency: 'USD' as const },
      given: { amount: given, currency: 'USD' as const },
      change: { amount: given - amount, currency: 'USD' as const },
    });
    const n = freshShopper();
    const before = charges();
    // A lane claiming cash parts to make palm charge for lines it did not count: the rest is
    // derived from the lines, so an amount other than lines − parts is refused.
    const whole = paymentRequest(n, await scanner.capture(n));
    const unsplit = await pay({ ...whole, paidBefore: [cash(250)] });
    expect(unsplit.body).toMatchObject({ status: 'declined', reason: 'AMOUNT_MISMATCH' });
    expect(JSON.stringify(unsplit.body)).toMatch(
      /1000 after the cash parts; the payment asks for 1250/,
    );
    // A part payment giving change, or parts covering everything, is no split.
    const changing = paymentRequest(n, await scanner.capture(n), { amount: 1_250 });
    const r1 = await pay({
      ...changing,
      amount: { amount: 1_000, currency: 'USD' },
      paidBefore: [cash(250, 500)],
    });
    expect(r1.body).toMatchObject({ reason: 'AMOUNT_MISMATCH' });
    expect(JSON.stringify(r1.body)).toMatch(/part 1 gives change/);
    expect(charges()).toBe(before);
    const split = paymentRequest(n, await scanner.capture(n));
    const ok = await pay({
      ...split,
      amount: { amount: 1_000, currency: 'USD' },
      paidBefore: [cash(250)],
    });
    expect(ok.body).toMatchObject({ status: 'approved' });
    expect(processor.charges.at(-1)).toMatchObject({ amount: 1_000, currency: 'USD' });
    expect(charges()).toBe(before + 1);
  });
});
