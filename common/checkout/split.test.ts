import { describe, expect, it } from 'vitest';
import { cartTotals } from '../cart';
import { CAPTURE, CHIPS, COLA, matchFor, palmTender, TestLane } from './testing';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** A lane in the cash tender for chips + cola; returns it and the sale's total. */
function atCash() {
  const lane = new TestLane().ready();
  lane.add(CHIPS);
  lane.add(COLA);
  lane.send({ type: 'PAY_CASH' });
  return { lane, total: cartTotals(lane.ctx.cart, lane.ctx.tax).total.amount };
}

describe('checkout machine: split tender', () => {
  it('takes part in cash, shows what is left due, and the card pays exactly the rest', () => {
    const { lane, total } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(500) });
    expect(lane.phase).toBe('cash');
    expect(lane.ctx.due).toEqual(usd(total - 500));
    expect(lane.ctx.paid).toEqual([
      { kind: 'cash', amount: usd(500), given: usd(500), change: usd(0) },
    ]);
    lane.send({ type: 'PAY_CARD' });
    expect(lane.last('card.begin').amount).toEqual(usd(total - 500));
    lane.cardUpdate('processing');
    lane.approveCard();
    expect(lane.phase).toBe('committing');
    const commit = lane.last('sale.commit');
    expect(commit.tenders.map((t) => [t.kind, t.amount.amount])).toEqual([
      ['cash', 500],
      ['card', total - 500],
    ]);
    // The drawer opens for the cash part once the sale is written.
    lane.send({ type: 'SALE_COMMITTED', sale: { id: 'sale-1' } as never });
    expect(lane.log.some((c) => c.type === 'drawer.open')).toBe(true);
  });

  it('gives change only from the cash that settles the sale', () => {
    const { lane, total } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(300) });
    lane.send({ type: 'CASH_PART', given: usd(200) });
    lane.send({ type: 'CASH_GIVEN', given: usd(5000) });
    const tenders = lane.last('sale.commit').tenders;
    expect(tenders).toEqual([
      { kind: 'cash', amount: usd(300), given: usd(300), change: usd(0) },
      { kind: 'cash', amount: usd(200), given: usd(200), change: usd(0) },
      { kind: 'cash', amount: usd(total - 500), given: usd(5000), change: usd(5000 - total + 500) },
    ]);
  });

  it('refuses a part of nothing, of the whole due or more, or in another currency', () => {
    const { lane, total } = atCash();
    for (const given of [usd(0), usd(-1), usd(total), usd(total + 1), usd(1.5)]) {
      lane.send({ type: 'CASH_PART', given });
      expect(lane.ctx.cashProblem?.code).toBe('CASH_PART_INVALID');
      expect(lane.ctx.paid).toEqual([]);
      expect(lane.ctx.due).toEqual(usd(total));
    }
    lane.send({ type: 'CASH_PART', given: { amount: 100, currency: 'EUR' } });
    expect(lane.ctx.cashProblem?.code).toBe('CURRENCY_MISMATCH');
    lane.send({ type: 'CASH_PART', given: usd(100) });
    expect(lane.ctx.cashProblem).toBeNull();
  });

  it('palm pays the rest: its authorization asks for what is left, naming the cash parts', () => {
    const { lane, total } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(400) });
    lane.send({ type: 'PAY_PALM' });
    const { captureId } = lane.last('scanner.capture');
    lane.send({ type: 'PALM_CAPTURED', captureId, capture: CAPTURE });
    lane.send({ type: 'PALM_MATCHED', captureId, match: matchFor('accept') });
    const req = lane.last('palm.authorize').request;
    expect(req.amount).toEqual(usd(total - 400));
    expect(req.paidBefore).toEqual(lane.ctx.paid);
    lane.send({
      type: 'PALM_AUTHORIZED',
      paymentId: req.paymentId,
      result: { kind: 'approved', tender: palmTender(req.paymentId, usd(total - 400)) },
    });
    expect(lane.last('sale.commit').tenders.map((t) => t.kind)).toEqual(['cash', 'palm']);
  });

  it('going back to the sale hands the cash parts back and unlocks the cart', () => {
    const { lane } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(500) });
    lane.send({ type: 'PAY_CARD' });
    lane.send({
      type: 'CARD_BEGIN_FAILED',
      paymentId: lane.ctx.card!.paymentId,
      problem: { code: 'DEVICE_BUSY', message: '' },
    });
    lane.send({ type: 'BACK' });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.paid).toEqual([]);
    expect(lane.ctx.handBack).toEqual(usd(500));
    lane.add(CHIPS);
    expect(lane.ctx.handBack).toBeNull();
    lane.send({ type: 'PAY_CASH' });
    expect(lane.ctx.due).toEqual(cartTotals(lane.ctx.cart, lane.ctx.tax).total);
  });

  it('keeps the cash parts in the draft and resumes at the cash panel with the rest due', () => {
    const { lane, total } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(300) });
    const draft = lane.last('draft.save').draft;
    expect(draft.paidCash).toEqual(lane.ctx.paid);
    const reloaded = new TestLane();
    reloaded.send({ type: 'DRAFT_LOADED', draft });
    expect(reloaded.phase).toBe('cash');
    expect(reloaded.ctx.due).toEqual(usd(total - 300));
    reloaded.send({ type: 'CASH_GIVEN', given: usd(total - 300) });
    expect(reloaded.last('sale.commit').tenders.map((t) => t.amount.amount)).toEqual([
      300,
      total - 300,
    ]);
  });

  it('a failed commit keeps the parts: only the last tender is asked again', () => {
    const { lane, total } = atCash();
    lane.send({ type: 'CASH_PART', given: usd(100) });
    lane.send({ type: 'CASH_GIVEN', given: usd(total - 100) });
    lane.send({ type: 'COMMIT_FAILED', problem: { code: 'INTERNAL', message: 'disk' } });
    expect(lane.phase).toBe('cash');
    expect(lane.ctx.paid).toHaveLength(1);
    expect(lane.ctx.due).toEqual(usd(total - 100));
  });
});
