import { describe, expect, it } from 'vitest';
import type { CheckoutEvent } from './checkout-events';
import { palmAudit, type PalmAuditEvent } from './palm-audit';
import { BEER, CAPTURE, CHIPS, matchFor, palmTender, SHOPPER, TestLane } from './testing';

/** Steps the lane and collects what palmAudit reads off each step. */
function audited(lane: TestLane) {
  const events: PalmAuditEvent[] = [];
  return {
    events,
    send(e: CheckoutEvent) {
      const prev = lane.snapshot;
      lane.send(e);
      events.push(...palmAudit(prev, e, lane.snapshot));
    },
  };
}

function armed(product = CHIPS) {
  const lane = new TestLane().ready();
  lane.add(product);
  const a = audited(lane);
  a.send({ type: 'PAY_PALM' });
  const capture = () =>
    a.send({ type: 'PALM_CAPTURED', captureId: lane.ctx.palm.captureId, capture: CAPTURE });
  const match = (kind: 'accept' | 'step-up' | 'no-match', shopper = SHOPPER) => {
    capture();
    a.send({
      type: 'PALM_MATCHED',
      captureId: lane.ctx.palm.captureId,
      match: matchFor(kind, shopper),
    });
  };
  return { lane, a, match };
}

const kinds = (events: PalmAuditEvent[]) => events.map((e) => e.kind);

describe('palmAudit: every palm decision is an audit event, without template data', () => {
  it('accept → authorized, naming the sale, the shopper and the payment', () => {
    const { lane, a, match } = armed();
    match('accept');
    const paymentId = lane.ctx.palm.payment!.paymentId;
    a.send({
      type: 'PALM_AUTHORIZED',
      paymentId,
      result: { kind: 'approved', tender: palmTender(paymentId, lane.due()) },
    });
    expect(kinds(a.events)).toEqual(['palm.accept', 'palm.authorized']);
    expect(a.events[1]!.detail).toMatchObject({
      saleId: 'sale-1',
      customerRef: SHOPPER.customerRef,
      paymentId,
      amount: lane.due().amount,
    });
    // Nothing of the capture: no template, score, signed bytes or digits in any detail.
    const text = JSON.stringify(a.events);
    expect(text).not.toContain(CAPTURE.signed);
    expect(text).not.toMatch(/score|template/i);
  });

  it('step-up with the reason, wrong digits with the tries left, then passed', () => {
    const { lane, a, match } = armed();
    match('step-up');
    a.send({ type: 'STEP_UP_ENTERED', digits: '1234' });
    a.send({ type: 'STEP_UP_CHECKED', captureId: lane.ctx.palm.captureId, ok: false });
    a.send({ type: 'STEP_UP_ENTERED', digits: '4321' });
    a.send({ type: 'STEP_UP_CHECKED', captureId: lane.ctx.palm.captureId, ok: true });
    expect(kinds(a.events)).toEqual(['palm.step-up', 'palm.step-up-wrong', 'palm.step-up-passed']);
    expect(a.events[0]!.detail.reason).toMatch(/^(score|margin)$/);
    expect(a.events[1]!.detail.triesLeft).toBe(2);
    expect(JSON.stringify(a.events)).not.toContain('1234');
  });

  it('five no-matches: each counted, then the pause', () => {
    const { a, match } = armed();
    for (let i = 0; i < 5; i++) match('no-match');
    expect(kinds(a.events)).toEqual([
      'palm.no-match',
      'palm.no-match',
      'palm.no-match',
      'palm.no-match',
      'palm.no-match',
      'palm.paused',
    ]);
    expect(a.events.at(-1)!.detail).toMatchObject({ failures: 5, pauses: 1 });
    // A stranger is never named.
    expect(a.events.every((e) => !('customerRef' in e.detail))).toBe(true);
  });

  it('a decline and an offline refusal: the outcome, then the fallback with its reason', () => {
    const { lane, a, match } = armed();
    match('accept');
    a.send({
      type: 'PALM_AUTHORIZED',
      paymentId: lane.ctx.palm.payment!.paymentId,
      result: { kind: 'refused-offline', reason: 'over-payment-limit' },
    });
    expect(kinds(a.events)).toEqual(['palm.accept', 'palm.refused-offline', 'palm.fallback']);
    expect(a.events[2]!.detail).toMatchObject({
      reason: 'offline-refused',
      code: 'over-payment-limit',
    });
  });

  it('beer: an age-verified record covers the ID check; another leaves it to the cashier', () => {
    const ok = armed(BEER);
    ok.match('accept', { ...SHOPPER, ageVerified: true });
    expect(kinds(ok.a.events)).toEqual(['palm.accept', 'palm.age-verified']);
    expect(ok.a.events[1]!.detail.age).toBe(21);

    const not = armed(BEER);
    not.match('accept', { ...SHOPPER, ageVerified: false });
    expect(kinds(not.a.events)).toEqual(['palm.accept', 'palm.age-not-verified']);
  });

  it('a stale answer (another capture) is no decision', () => {
    const { lane, a } = armed();
    a.send({ type: 'PALM_CAPTURED', captureId: lane.ctx.palm.captureId, capture: CAPTURE });
    a.send({ type: 'PALM_MATCHED', captureId: 99, match: matchFor('accept') });
    expect(a.events).toEqual([]);
  });
});
