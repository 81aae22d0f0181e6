import { describe, expect, it } from 'vitest';
import type { CardPaymentUpdate } from '../host/contract';
import { CHIPS, COLA, checkoutInput, TestLane } from './testing';

const NOT_RESPONDING = { code: 'DEVICE_NOT_RESPONDING', message: 'no answer' };

function inCard(input = checkoutInput()) {
  const lane = new TestLane(input).ready();
  lane.add(CHIPS);
  lane.add(COLA);
  lane.send({ type: 'PAY_CARD' });
  return lane;
}
const pid = (lane: TestLane) => lane.ctx.card!.paymentId;

describe('card: the happy path', () => {
  it('begins for the amount due, waits, processes and commits the approved card', () => {
    const lane = inCard();
    const begin = lane.last('card.begin');
    expect(begin).toEqual({ type: 'card.begin', paymentId: pid(lane), amount: lane.due() });
    expect(begin.paymentId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    // The draft now names the payment, so a reload can pick it up.
    expect(lane.last('draft.save').draft.pendingCardPaymentId).toBe(begin.paymentId);

    lane.cardUpdate('waiting-for-card');
    expect(lane.card).toBe('inProgress');
    expect(lane.last('timer.start')).toEqual({
      type: 'timer.start',
      timer: 'card-watchdog',
      ms: 90_000,
    });
    lane.cardUpdate('processing');
    lane.approveCard();
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders).toEqual([
      {
        kind: 'card',
        amount: lane.due(),
        paymentId: begin.paymentId,
        authCode: 'A00001',
        brand: 'Visa',
        last4: '4242',
      },
    ]);
  });

  it('a commit failure after approval offers only a retry (the card was charged)', () => {
    const lane = inCard();
    lane.approveCard();
    lane.send({ type: 'COMMIT_FAILED', problem: { code: 'INTERNAL', message: 'quota' } });
    expect(lane.phase).toBe('commit-failed');
    expect(lane.snapshot.can({ type: 'PAY_CASH' })).toBe(false);
    expect(lane.snapshot.can({ type: 'BACK' })).toBe(false);
    lane.send({ type: 'COMMIT_RETRY' });
    expect(lane.count('sale.commit')).toBe(2);
  });

  it('ignores updates for another payment', () => {
    const lane = inCard();
    lane.send({
      type: 'CARD_UPDATE',
      update: { paymentId: 'someone-else', state: 'approved', amount: lane.due(), last4: '4242' },
    });
    expect(lane.card).toBe('starting');
  });

  it('refuses to complete with an approval for another amount', () => {
    const lane = inCard();
    lane.cardUpdate('approved', { amount: { amount: 1, currency: 'USD' }, last4: '4242' });
    expect(lane.card).toBe('failed');
    expect(lane.ctx.card?.problem?.code).toBe('CARD_AMOUNT_MISMATCH');
    expect(lane.count('sale.commit')).toBe(0);
  });
});

describe('card: failures', () => {
  it.each(['cancelled', 'timed-out', 'failed'] as const)(
    '%s ends the payment; retry, cash and back are offered',
    (state) => {
      const lane = inCard();
      lane.cardUpdate('waiting-for-card');
      lane.cardUpdate(state);
      expect(lane.card).toBe('failed');
      expect(lane.ctx.card?.open).toBe(false);
      expect(lane.last('draft.save').draft.pendingCardPaymentId).toBeUndefined();
      expect(lane.snapshot.can({ type: 'PAY_CASH' })).toBe(true);
      expect(lane.snapshot.can({ type: 'BACK' })).toBe(true);
      const first = pid(lane);
      lane.send({ type: 'CARD_RETRY' });
      expect(lane.card).toBe('starting');
      expect(pid(lane)).not.toBe(first); // a new payment, never a reused final one
      expect(lane.last('card.begin').paymentId).toBe(pid(lane));
    },
  );

  it('a decline shows the reason and is recorded', () => {
    const lane = inCard();
    lane.cardUpdate('processing');
    lane.cardUpdate('declined', { reason: 'insufficient_funds' });
    expect(lane.card).toBe('failed');
    expect(lane.ctx.card?.update?.reason).toBe('insufficient_funds');
    expect(lane.last('card.recordDecline')).toEqual({
      type: 'card.recordDecline',
      saleId: 'sale-1',
      paymentId: pid(lane),
      reason: 'insufficient_funds',
      amount: lane.due(),
    });
    lane.send({ type: 'PAY_CASH' });
    expect(lane.phase).toBe('cash');
    expect(lane.count('card.cancel')).toBe(0); // nothing in flight to cancel
  });

  it('the cashier cancels while waiting for the card', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    expect(lane.send({ type: 'CARD_CANCEL' })).toEqual([
      { type: 'card.cancel', paymentId: pid(lane) },
    ]);
    lane.cardUpdate('cancelled');
    expect(lane.card).toBe('failed');
  });

  it('a terminal that refuses to begin leaves nothing in flight', () => {
    const lane = inCard();
    lane.send({
      type: 'CARD_BEGIN_FAILED',
      paymentId: pid(lane),
      problem: { code: 'DEVICE_BUSY', message: 'busy' },
    });
    expect(lane.card).toBe('failed');
    expect(lane.ctx.card?.open).toBe(false);
  });

  it('a begin that is never acknowledged is not responding, and the payment stays open', () => {
    const lane = inCard();
    lane.send({ type: 'CARD_BEGIN_FAILED', paymentId: pid(lane), problem: NOT_RESPONDING });
    expect(lane.card).toBe('notResponding');
    expect(lane.ctx.card?.open).toBe(true);
    // Retry asks the terminal about the same payment before anything else.
    lane.send({ type: 'CARD_RETRY' });
    expect(lane.card).toBe('resuming');
    expect(lane.last('card.status').paymentId).toBe(pid(lane));
    lane.send({ type: 'CARD_STATUS', paymentId: pid(lane), update: null });
    expect(lane.card).toBe('starting');
    expect(lane.count('card.begin')).toBe(2);
    const begins = lane.log.filter((c) => c.type === 'card.begin');
    expect(new Set(begins.map((c) => c.paymentId))).toEqual(new Set([pid(lane)])); // same id: idempotent
  });

  it('the watchdog turns a terminal that stops updating into "not responding"', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    lane.send({ type: 'TIMER_FIRED', timer: 'card-watchdog' });
    expect(lane.card).toBe('notResponding');
    expect(lane.ctx.card?.problem?.code).toBe('DEVICE_NOT_RESPONDING');
    // The terminal comes back with an answer: it is taken.
    lane.approveCard();
    expect(lane.phase).toBe('committing');
  });

  it('each update restarts the watchdog, and a final one stops it', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    lane.cardUpdate('processing');
    expect(lane.count('timer.start')).toBe(2);
    lane.cardUpdate('declined', { reason: 'expired_card' });
    expect(lane.log.at(-1)).toMatchObject({ type: 'draft.save' });
    expect(lane.log.some((c, i) => i > 0 && c.type === 'timer.clear')).toBe(true);
    lane.send({ type: 'TIMER_FIRED', timer: 'card-watchdog' }); // a stale fire changes nothing
    expect(lane.card).toBe('failed');
  });
});

describe('card: leaving a payment in flight', () => {
  it('switching to cash cancels first and moves on once the terminal confirms', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    lane.send({ type: 'PAY_CASH' });
    expect(lane.card).toBe('cancelling');
    expect(lane.last('card.cancel').paymentId).toBe(pid(lane));
    expect(lane.snapshot.can({ type: 'CASH_GIVEN', given: lane.due() })).toBe(false);
    lane.send({ type: 'CARD_CANCEL_DONE', paymentId: pid(lane) });
    expect(lane.last('card.status').paymentId).toBe(pid(lane));
    lane.send({
      type: 'CARD_STATUS',
      paymentId: pid(lane),
      update: { paymentId: pid(lane), state: 'cancelled', amount: lane.due() },
    });
    expect(lane.phase).toBe('cash');
  });

  it('if the card was approved meanwhile, the sale completes with it — never a second tender', () => {
    const lane = inCard();
    lane.cardUpdate('processing');
    lane.send({ type: 'BACK' });
    lane.send({
      type: 'CARD_CANCEL_FAILED',
      paymentId: pid(lane),
      problem: { code: 'DEVICE_BUSY', message: 'processing' },
    });
    expect(lane.card).toBe('cancelling');
    lane.approveCard();
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders[0]!.kind).toBe('card');
  });

  it('a payment the terminal never heard of is settled at once', () => {
    const lane = inCard();
    lane.send({ type: 'CARD_BEGIN_FAILED', paymentId: pid(lane), problem: NOT_RESPONDING });
    lane.send({ type: 'BACK' });
    lane.send({
      type: 'CARD_CANCEL_FAILED',
      paymentId: pid(lane),
      problem: { code: 'UNKNOWN_PAYMENT', message: 'no such payment' },
    });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.card?.open).toBe(false);
    expect(lane.last('draft.save').draft.pendingCardPaymentId).toBeUndefined();
  });

  it('a terminal that cannot confirm holds the sale (unresolved) until it answers', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CARD_CANCEL_FAILED', paymentId: pid(lane), problem: NOT_RESPONDING });
    expect(lane.card).toBe('unresolved');
    lane.send({ type: 'PAY_CASH' });
    expect(lane.card).toBe('cancelling'); // asks again; never straight to cash
    lane.send({ type: 'TIMER_FIRED', timer: 'card-watchdog' });
    expect(lane.card).toBe('unresolved');
    lane.send({ type: 'CARD_RETRY' });
    lane.cardUpdate('cancelled');
    expect(lane.phase).toBe('cash'); // the last destination asked for
  });

  it('switching to palm goes through the same settling', () => {
    const lane = inCard();
    lane.cardUpdate('waiting-for-card');
    lane.send({ type: 'PAY_PALM' });
    lane.cardUpdate('cancelled');
    expect(lane.phase).toBe('palm');
  });
});

describe('card: resuming after a reload', () => {
  function reloaded(): { lane: TestLane; paymentId: string } {
    const before = inCard();
    before.cardUpdate('waiting-for-card');
    const draft = before.last('draft.save').draft;
    const lane = new TestLane(checkoutInput({ instanceId: 'lane0002' }));
    lane.send({ type: 'DRAFT_LOADED', draft });
    return { lane, paymentId: draft.pendingCardPaymentId! };
  }

  it('asks the terminal for the payment named in the draft', () => {
    const { lane, paymentId } = reloaded();
    expect(lane.card).toBe('resuming');
    expect(lane.last('card.status')).toEqual({ type: 'card.status', paymentId });
    expect(lane.due().amount).toBeGreaterThan(0);
  });

  it.each([
    ['waiting-for-card', 'inProgress'],
    ['declined', 'failed'],
  ] as const)('status %s → %s', (state, step) => {
    const { lane, paymentId } = reloaded();
    const update: CardPaymentUpdate = {
      paymentId,
      state,
      amount: lane.due(),
      reason: 'generic_decline',
    };
    lane.send({ type: 'CARD_STATUS', paymentId, update });
    expect(lane.card).toBe(step);
  });

  it('approved while the lane was down → the sale completes', () => {
    const { lane, paymentId } = reloaded();
    lane.send({
      type: 'CARD_STATUS',
      paymentId,
      update: {
        paymentId,
        state: 'approved',
        amount: lane.due(),
        authCode: 'A1',
        brand: 'Visa',
        last4: '4242',
      },
    });
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders[0]).toMatchObject({ kind: 'card', paymentId });
  });

  it('unknown to the terminal → begun again under the same id', () => {
    const { lane, paymentId } = reloaded();
    lane.send({ type: 'CARD_STATUS', paymentId, update: null });
    expect(lane.last('card.begin')).toMatchObject({ paymentId });
  });

  it('the terminal not answering → not responding, payment still open', () => {
    const { lane, paymentId } = reloaded();
    lane.send({ type: 'CARD_STATUS_FAILED', paymentId, problem: NOT_RESPONDING });
    expect(lane.card).toBe('notResponding');
    expect(lane.ctx.card?.open).toBe(true);
  });

  it('an approval not yet committed stays in the draft', () => {
    const lane = inCard();
    lane.approveCard();
    // No draft write after approval: the saved draft still names the payment.
    expect(lane.last('draft.save').draft.pendingCardPaymentId).toBe(pid(lane));
  });
});
