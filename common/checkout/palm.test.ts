import { describe, expect, it } from 'vitest';
import type { CheckoutEvent } from './checkout-events';
import type { PalmAuthorization } from './ports';
import {
  BEER,
  CAPTURE,
  CHIPS,
  checkoutInput,
  matchFor,
  palmTender,
  SHOPPER,
  TestLane,
} from './testing';
import { DEFAULT_PALM_SETTINGS } from './types';

function armed(lane = new TestLane().ready()) {
  if (lane.ctx.cart.lines.length === 0) lane.add(CHIPS);
  lane.send({ type: 'PAY_PALM' });
  return lane;
}
const captureId = (lane: TestLane) => lane.ctx.palm.captureId;
const paymentId = (lane: TestLane) => lane.ctx.palm.payment!.paymentId;
const captured = (lane: TestLane) =>
  lane.send({ type: 'PALM_CAPTURED', captureId: captureId(lane), capture: CAPTURE });
const matched = (lane: TestLane, kind: 'accept' | 'step-up' | 'no-match', shopper = SHOPPER) =>
  lane.send({ type: 'PALM_MATCHED', captureId: captureId(lane), match: matchFor(kind, shopper) });
const authorized = (lane: TestLane, result: PalmAuthorization) =>
  lane.send({ type: 'PALM_AUTHORIZED', paymentId: paymentId(lane), result });
const digits = (lane: TestLane, d: string, ok: boolean) => {
  lane.send({ type: 'STEP_UP_ENTERED', digits: d });
  return lane.send({ type: 'STEP_UP_CHECKED', captureId: captureId(lane), ok });
};
function toAuthorizing(lane = armed()) {
  captured(lane);
  matched(lane, 'accept');
  return lane;
}

describe('palm: accept → authorize → paid', () => {
  it('arms the scanner, guides, matches, authorizes with the signed capture and commits', () => {
    const lane = armed();
    expect(lane.palm).toBe('waiting');
    expect(lane.last('scanner.capture')).toEqual({
      type: 'scanner.capture',
      captureId: 1,
      timeoutMs: DEFAULT_PALM_SETTINGS.captureTimeoutMs,
    });
    lane.send({ type: 'PALM_GUIDANCE', guidance: 'MOVE_CLOSER' });
    expect(lane.ctx.palm.guidance).toBe('MOVE_CLOSER');
    captured(lane);
    expect(lane.palm).toBe('matching');
    expect(lane.last('palm.match')).toEqual({ type: 'palm.match', captureId: 1, capture: CAPTURE });
    matched(lane, 'accept');
    expect(lane.palm).toBe('authorizing');
    const req = lane.last('palm.authorize').request;
    expect(req).toMatchObject({
      saleId: 'sale-1',
      amount: lane.due(),
      lines: lane.ctx.cart.lines,
      templateId: 'tpl-17',
      customerRef: 'cust-17',
      capture: CAPTURE,
      steppedUp: false,
    });
    authorized(lane, { kind: 'approved', tender: palmTender(req.paymentId, lane.due()) });
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders).toEqual([palmTender(req.paymentId, lane.due())]);
    expect(lane.ctx.palm.capture).toBeNull(); // the probe lived for one decision and authorization
  });

  it('offline within limits: the stored payment completes the sale', () => {
    const lane = toAuthorizing();
    authorized(lane, { kind: 'stored', tender: palmTender(paymentId(lane), lane.due(), true) });
    expect(lane.last('sale.commit').tenders[0]).toMatchObject({ kind: 'palm', stored: true });
  });

  it('never commits an authorization for another amount or another payment', () => {
    const lane = toAuthorizing();
    authorized(lane, {
      kind: 'approved',
      tender: palmTender(paymentId(lane), { amount: 1, currency: 'USD' }),
    });
    expect(lane.palm).toBe('fallback');
    expect(lane.ctx.palm.blocked).toBe('amount-mismatch');
    const other = toAuthorizing();
    other.send({
      type: 'PALM_AUTHORIZED',
      paymentId: 'not-this-one',
      result: { kind: 'approved', tender: palmTender('not-this-one', other.due()) },
    });
    expect(other.palm).toBe('authorizing');
    expect(other.count('sale.commit') + lane.count('sale.commit')).toBe(0);
  });

  it('ignores a capture or match result for an earlier attempt', () => {
    const lane = armed();
    lane.send({ type: 'PALM_CAPTURED', captureId: 99, capture: CAPTURE });
    expect(lane.palm).toBe('waiting');
    captured(lane);
    lane.send({ type: 'PALM_MATCHED', captureId: 99, match: matchFor('accept') });
    expect(lane.palm).toBe('matching');
  });

  it('is refused when the lane does not offer palm pay', () => {
    const lane = new TestLane(checkoutInput({ palm: null })).ready();
    lane.add(CHIPS);
    expect(lane.snapshot.can({ type: 'PAY_PALM' })).toBe(false);
    lane.send({ type: 'PAY_PALM' });
    expect(lane.phase).toBe('scanning');
  });
});

describe('palm: capture errors', () => {
  it.each([
    ['CAPTURE_TIMEOUT', 'timeout'],
    ['QUALITY_TOO_LOW', 'quality'],
  ])('%s re-arms the scanner without counting a failure', (code, notice) => {
    const lane = armed();
    lane.send({ type: 'PALM_CAPTURE_FAILED', captureId: 1, problem: { code, message: code } });
    expect(lane.palm).toBe('waiting');
    expect(lane.ctx.palm).toMatchObject({ notice, failures: 0, captureId: 2 });
    expect(lane.last('scanner.capture').captureId).toBe(2);
  });

  it('a failed liveness check counts as a biometric failure', () => {
    const lane = armed();
    lane.send({
      type: 'PALM_CAPTURE_FAILED',
      captureId: 1,
      problem: { code: 'LIVENESS_FAILED', message: '' },
    });
    expect(lane.ctx.palm).toMatchObject({ notice: 'liveness', failures: 1 });
    expect(lane.palm).toBe('waiting');
  });

  it.each([
    ['SENSOR_FAULT', 'scanner-unavailable'],
    ['DEVICE_OFFLINE', 'scanner-unavailable'],
    ['SCANNER_KEY_PENDING', 'scanner-untrusted'],
    ['CAPTURE_REJECTED', 'scanner-untrusted'],
    ['DEVICE_BUSY', 'scanner-busy'],
  ])('%s shows the fallback (%s) with cash and card offered', (code, reason) => {
    const lane = armed();
    lane.send({ type: 'PALM_CAPTURE_FAILED', captureId: 1, problem: { code, message: '' } });
    expect(lane.palm).toBe('fallback');
    expect(lane.ctx.palm.fallback).toBe(reason);
    expect(lane.snapshot.can({ type: 'PAY_CARD' })).toBe(true);
    lane.send({ type: 'PALM_RETRY' });
    expect(lane.palm).toBe('waiting');
  });

  it('the scanner unplugged mid-tender shows the fallback; plugged back in, it re-arms', () => {
    const lane = armed();
    lane.send({ type: 'SCANNER_STATUS', state: 'absent' });
    expect(lane.palm).toBe('fallback');
    expect(lane.ctx.palm.fallback).toBe('scanner-unavailable');
    lane.send({ type: 'SCANNER_STATUS', state: 'ready' });
    expect(lane.palm).toBe('waiting');
    expect(lane.last('scanner.capture').captureId).toBe(2);
  });

  it('a scanner already known absent goes straight to the fallback', () => {
    const lane = new TestLane().ready();
    lane.send({ type: 'SCANNER_STATUS', state: 'absent' });
    armed(lane);
    expect(lane.palm).toBe('fallback');
    expect(lane.count('scanner.capture')).toBe(0);
  });
});

describe('palm: step-up', () => {
  function inStepUp() {
    const lane = armed();
    captured(lane);
    matched(lane, 'step-up');
    return lane;
  }

  it('the right digits confirm the shopper and authorize, saying step-up passed', () => {
    const lane = inStepUp();
    expect(lane.palm).toBe('stepUp');
    expect(lane.ctx.palm.candidate?.decision.kind).toBe('step-up');
    lane.send({ type: 'STEP_UP_ENTERED', digits: '4821' });
    expect(lane.last('palm.checkStepUp')).toEqual({
      type: 'palm.checkStepUp',
      captureId: 1,
      templateId: 'tpl-17',
      digits: '4821',
    });
    lane.send({ type: 'STEP_UP_CHECKED', captureId: 1, ok: true });
    expect(lane.palm).toBe('authorizing');
    expect(lane.last('palm.authorize').request.steppedUp).toBe(true);
  });

  it('refuses anything but four digits without spending a try', () => {
    const lane = inStepUp();
    for (const d of ['123', '12345', 'abcd', '12 4'])
      lane.send({ type: 'STEP_UP_ENTERED', digits: d });
    expect(lane.count('palm.checkStepUp')).toBe(0);
    expect(lane.ctx.palm).toMatchObject({ notice: 'bad-digits', stepUpTriesLeft: 3 });
  });

  it('three wrong tries end palm pay for the sale and fall back to card and cash', () => {
    const lane = inStepUp();
    const round = lane.ctx.palm.stepUpRound;
    digits(lane, '0000', false);
    expect(lane.ctx.palm).toMatchObject({
      notice: 'wrong-digits',
      stepUpTriesLeft: 2,
      stepUpRound: round + 1,
    });
    digits(lane, '1111', false);
    digits(lane, '2222', false);
    expect(lane.palm).toBe('fallback');
    expect(lane.ctx.palm.blocked).toBe('step-up-failed');
    expect(lane.count('palm.authorize')).toBe(0);
    lane.send({ type: 'PALM_RETRY' });
    expect(lane.palm).toBe('fallback');
    lane.send({ type: 'PAY_CARD' });
    expect(lane.phase).toBe('card');
    lane.send({
      type: 'CARD_BEGIN_FAILED',
      paymentId: lane.ctx.card!.paymentId,
      problem: { code: 'DEVICE_BUSY', message: '' },
    });
    lane.send({ type: 'PAY_PALM' });
    expect(lane.phase).toBe('card'); // blocked for the rest of the sale
  });

  it('the cloud asking for step-up prompts the keypad, then authorizes anew under a new key', () => {
    const lane = toAuthorizing();
    const first = paymentId(lane);
    authorized(lane, { kind: 'step-up', reason: 'velocity' });
    expect(lane.palm).toBe('stepUp');
    expect(lane.ctx.palm.notice).toBe('cloud-step-up');
    digits(lane, '4821', true);
    expect(lane.palm).toBe('authorizing');
    expect(paymentId(lane)).not.toBe(first);
    authorized(lane, { kind: 'step-up', reason: 'velocity' }); // again after step-up: declined
    expect(lane.ctx.palm).toMatchObject({
      fallback: 'declined',
      reason: 'velocity',
      blocked: 'declined',
    });
  });
});

describe('palm: biometric failures (NIST SP 800-63B)', () => {
  it('five failures pause palm pay for the sale with a delay that doubles, and highlight the others', () => {
    const lane = armed();
    for (let i = 0; i < 4; i++) {
      captured(lane);
      matched(lane, 'no-match');
      expect(lane.ctx.palm).toMatchObject({ notice: 'not-recognised', failures: i + 1 });
      expect(lane.palm).toBe('waiting');
    }
    captured(lane);
    matched(lane, 'no-match');
    expect(lane.palm).toBe('paused');
    expect(lane.last('timer.start')).toEqual({
      type: 'timer.start',
      timer: 'palm-pause',
      ms: 30_000,
    });
    expect(lane.count('scanner.capture')).toBe(5); // not re-armed

    // Leaving and coming back does not lift the pause.
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'PAY_PALM' });
    expect(lane.palm).toBe('paused');

    lane.send({ type: 'TIMER_FIRED', timer: 'palm-pause' });
    expect(lane.palm).toBe('waiting');
    captured(lane);
    matched(lane, 'no-match'); // the next failure pauses again, for twice as long
    expect(lane.palm).toBe('paused');
    expect(lane.last('timer.start').ms).toBe(60_000);
  });

  it('the pause ends even while another tender is shown', () => {
    const lane = armed();
    for (let i = 0; i < 5; i++) {
      captured(lane);
      matched(lane, 'no-match');
    }
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'TIMER_FIRED', timer: 'palm-pause' });
    lane.send({ type: 'PAY_PALM' });
    expect(lane.palm).toBe('waiting');
  });

  it('a new sale starts with no failures and clears the pause', () => {
    const lane = armed();
    for (let i = 0; i < 5; i++) {
      captured(lane);
      matched(lane, 'no-match');
    }
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_GIVEN', given: lane.due() });
    const c = lane.last('sale.commit');
    lane.send({ type: 'SALE_COMMITTED', sale: { id: c.saleId } as never });
    const cmds = lane.send({
      type: 'NEW_SALE',
      saleId: 'sale-2',
      startedAt: '2030-01-01T11:00:00.000Z',
    });
    expect(cmds).toContainEqual({ type: 'timer.clear', timer: 'palm-pause' });
    expect(lane.ctx.palm).toMatchObject({ failures: 0, paused: false, pauses: 0 });
  });
});

describe('palm: authorization outcomes', () => {
  it('a decline shows the reason code and ends palm pay for the sale', () => {
    const lane = toAuthorizing();
    authorized(lane, { kind: 'declined', reason: 'daily_limit' });
    expect(lane.palm).toBe('fallback');
    expect(lane.ctx.palm).toMatchObject({
      fallback: 'declined',
      reason: 'daily_limit',
      blocked: 'declined',
    });
    expect(lane.ctx.palm.payment?.open).toBe(false);
  });

  it('offline over a limit is refused with the reason; palm may be tried again later', () => {
    const lane = toAuthorizing();
    authorized(lane, { kind: 'refused-offline', reason: 'over-payment-limit' });
    expect(lane.ctx.palm).toMatchObject({
      fallback: 'offline-refused',
      reason: 'over-payment-limit',
      blocked: null,
    });
    lane.send({ type: 'PALM_RETRY' });
    expect(lane.palm).toBe('waiting');
  });

  it('a lost answer is retried under the same idempotency key', () => {
    const lane = toAuthorizing();
    const id = paymentId(lane);
    lane.send({
      type: 'PALM_AUTHORIZE_FAILED',
      paymentId: id,
      problem: { code: 'INTERNAL', message: 'x' },
    });
    expect(lane.palm).toBe('unresolved');
    lane.send({ type: 'PALM_RETRY' });
    expect(lane.count('palm.authorize')).toBe(2);
    expect(lane.last('palm.authorize').request.paymentId).toBe(id);
  });

  it('leaving an authorization in flight cancels it at the cloud before the other tender', () => {
    const lane = toAuthorizing();
    const id = paymentId(lane);
    lane.send({ type: 'PAY_CARD' });
    expect(lane.palm).toBe('cancelling');
    expect(lane.last('palm.cancelAuthorization').paymentId).toBe(id);
    expect(lane.count('card.begin')).toBe(0);
    lane.send({ type: 'PALM_CANCELLED', paymentId: id, result: { kind: 'cancelled' } });
    expect(lane.phase).toBe('card');
    expect(lane.count('card.begin')).toBe(1);
    expect(lane.ctx.palm.capture).toBeNull();
  });

  it('if the cloud had already charged, the sale completes by palm', () => {
    const lane = toAuthorizing();
    const id = paymentId(lane);
    lane.send({ type: 'PAY_CASH' });
    lane.send({
      type: 'PALM_CANCELLED',
      paymentId: id,
      result: { kind: 'approved', tender: palmTender(id, lane.due()) },
    });
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders[0]!.kind).toBe('palm');
  });

  it('a cancel that fails leaves it unresolved: no other tender until it is settled', () => {
    const lane = toAuthorizing();
    const id = paymentId(lane);
    lane.send({ type: 'BACK' });
    lane.send({
      type: 'PALM_CANCEL_FAILED',
      paymentId: id,
      problem: { code: 'INTERNAL', message: '' },
    });
    expect(lane.palm).toBe('unresolved');
    lane.send({ type: 'PAY_CASH' });
    expect(lane.palm).toBe('cancelling');
  });
});

describe('palm: cash and card one tap away at every step', () => {
  const steps: [string, (l: TestLane) => void][] = [
    ['waiting', () => {}],
    ['matching', (l) => captured(l)],
    ['stepUp', (l) => (captured(l), matched(l, 'step-up'))],
    [
      'stepUpChecking',
      (l) => (
        captured(l),
        matched(l, 'step-up'),
        l.send({ type: 'STEP_UP_ENTERED', digits: '1234' })
      ),
    ],
    ['fallback', (l) => l.send({ type: 'SCANNER_STATUS', state: 'absent' })],
  ];
  it.each(steps)('from %s', (step, reach) => {
    for (const ev of [
      { type: 'PAY_CASH' },
      { type: 'PAY_CARD' },
      { type: 'BACK' },
    ] as CheckoutEvent[]) {
      const lane = armed();
      reach(lane);
      expect(lane.palm).toBe(step);
      lane.send(ev);
      expect(lane.phase).toBe(
        ev.type === 'PAY_CASH' ? 'cash' : ev.type === 'PAY_CARD' ? 'card' : 'scanning',
      );
      expect(lane.ctx.palm.capture).toBeNull();
      if (step === 'waiting') expect(lane.log).toContainEqual({ type: 'scanner.cancel' });
    }
  });
});

describe('palm: the age check', () => {
  it('an age-verified shopper covers the restricted item: no ID prompt', () => {
    const lane = new TestLane().ready();
    lane.add(BEER);
    expect(lane.phase).toBe('age-check');
    lane.send({ type: 'PAY_PALM' }); // allowed with the check pending
    captured(lane);
    matched(lane, 'accept', { ...SHOPPER, ageVerified: true });
    expect(lane.palm).toBe('authorizing');
    authorized(lane, { kind: 'approved', tender: palmTender(paymentId(lane), lane.due()) });
    expect(lane.last('sale.commit')).toMatchObject({ ageCheckedFor: 0, palmAgeVerifiedFor: 21 });
  });

  it('a shopper who is not age-verified is sent back to the ID check', () => {
    const lane = new TestLane().ready();
    lane.add(BEER);
    lane.send({ type: 'PAY_PALM' });
    captured(lane);
    matched(lane, 'accept');
    expect(lane.phase).toBe('age-check');
    expect(lane.ctx.palm.notice).toBe('age-not-verified');
    expect(lane.count('palm.authorize')).toBe(0);
    lane.send({ type: 'CONFIRM_AGE' });
    lane.send({ type: 'PAY_CASH' });
    expect(lane.phase).toBe('cash');
  });
});
