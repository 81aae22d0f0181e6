import { describe, expect, it } from 'vitest';
import { cartTotals, emptyCart } from '../cart';
import type { Product } from '../catalog';
import type { Sale } from '../sale';
import { BEER, CHIPS, COLA, checkoutInput, TestLane } from './testing';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const restricted = (age: number, name: string): Product => ({
  ...CHIPS,
  id: name,
  name,
  minimumAge: age,
});

function saleFor(lane: TestLane): Sale {
  const c = lane.last('sale.commit');
  return {
    id: c.saleId,
    receiptNo: 'L01-000001',
    terminalId: 't1',
    currency: 'USD',
    locale: 'en-US',
    lines: c.cart.lines,
    totals: cartTotals(c.cart, lane.ctx.tax),
    tenders: c.tenders.filter((t) => t.kind !== 'palm'),
    ageCheckedFor: c.ageCheckedFor,
    startedAt: c.startedAt,
    completedAt: '2030-01-01T10:05:00.000Z',
  };
}

describe('checkout machine: scanning', () => {
  it('loads the draft first and starts scanning when there is none', () => {
    const lane = new TestLane();
    expect(lane.phase).toBe('loading');
    expect(lane.log).toEqual([{ type: 'draft.load' }]);
    lane.ready();
    expect(lane.phase).toBe('scanning');
  });

  it('saves the draft after every cart change and clears it when the cart is emptied', () => {
    const lane = new TestLane().ready();
    const cmds = lane.add(CHIPS);
    expect(cmds).toEqual([
      {
        type: 'draft.save',
        draft: expect.objectContaining({ saleId: 'sale-1', ageCheckedFor: 0 }),
      },
    ]);
    lane.add(CHIPS); // same product again: one line, quantity 2
    expect(lane.ctx.cart.lines).toHaveLength(1);
    expect(lane.last('draft.save').draft.cart.lines[0]!.quantity).toBe(2);
    const lineId = lane.ctx.cart.lines[0]!.lineId;
    lane.send({ type: 'VOID_LINE', lineId });
    expect(lane.ctx.cart.lines[0]!.voided).toBe(true);
    expect(lane.log.at(-1)!.type).toBe('draft.save'); // a voided line stays on the draft
  });

  it('refuses a bad quantity with the reason and changes nothing', () => {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    const before = lane.ctx.cart;
    const cmds = lane.send({
      type: 'SET_QUANTITY',
      lineId: before.lines[0]!.lineId,
      quantity: 5000,
    });
    expect(cmds).toEqual([]);
    expect(lane.ctx.cart).toBe(before);
    expect(lane.ctx.cartProblem).toMatchObject({
      code: 'QUANTITY_OUT_OF_RANGE',
      details: { max: 999 },
    });
    lane.send({ type: 'SET_QUANTITY', lineId: before.lines[0]!.lineId, quantity: 3 });
    expect(lane.ctx.cartProblem).toBeNull();
  });

  it('refuses to tender an empty sale', () => {
    const lane = new TestLane().ready();
    expect(lane.snapshot.can({ type: 'PAY_CASH' })).toBe(false);
    lane.send({ type: 'PAY_CARD' });
    expect(lane.phase).toBe('scanning');
    expect(lane.count('card.begin')).toBe(0);
  });

  it('edits the cart only while scanning: in a tender an edit is refused with SALE_LOCKED', () => {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.send({ type: 'PAY_CASH' });
    const cart = lane.ctx.cart;
    expect(lane.add(COLA)).toEqual([]);
    lane.send({ type: 'VOID_LINE', lineId: cart.lines[0]!.lineId });
    expect(lane.ctx.cart).toBe(cart);
    expect(lane.ctx.cartProblem?.code).toBe('SALE_LOCKED');
    lane.send({ type: 'BACK' });
    lane.add(COLA);
    expect(lane.ctx.cart.lines).toHaveLength(2);
    expect(lane.ctx.cartProblem).toBeNull();
  });
});

describe('checkout machine: the age check', () => {
  it('asks for ID on a restricted item and blocks cash and card until confirmed', () => {
    const lane = new TestLane().ready();
    lane.add(COLA);
    lane.add(BEER);
    expect(lane.phase).toBe('age-check');
    expect(lane.snapshot.can({ type: 'PAY_CASH' })).toBe(false);
    lane.send({ type: 'PAY_CARD' });
    expect(lane.phase).toBe('age-check');
    lane.send({ type: 'CONFIRM_AGE' });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.ageCheckedFor).toBe(21);
    expect(lane.last('draft.save').draft.ageCheckedFor).toBe(21);
    lane.add(BEER); // covered now
    expect(lane.phase).toBe('scanning');
  });

  it('refusing removes (voids) the item and the sale goes on', () => {
    const lane = new TestLane().ready();
    lane.add(COLA);
    lane.add(BEER);
    lane.send({ type: 'REFUSE_AGE' });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.cart.lines.map((l) => l.voided)).toEqual([false, true]);
    expect(lane.ctx.ageCheckedFor).toBe(0);
  });

  it('asks for the strictest pending line, and a second stricter item asks again', () => {
    const lane = new TestLane().ready();
    lane.add(restricted(18, 'Lottery'));
    lane.add(restricted(21, 'Whisky'));
    expect(lane.phase).toBe('age-check');
    lane.send({ type: 'CONFIRM_AGE' });
    expect(lane.ctx.ageCheckedFor).toBe(21); // covers the 18 too
    expect(lane.phase).toBe('scanning');

    const other = new TestLane().ready();
    other.add(restricted(18, 'Lottery'));
    other.send({ type: 'CONFIRM_AGE' });
    other.add(restricted(21, 'Whisky'));
    expect(other.phase).toBe('age-check');
  });

  it('voiding the line that needs the check clears it', () => {
    const lane = new TestLane().ready();
    lane.add(BEER);
    lane.send({ type: 'VOID_LINE', lineId: lane.ctx.cart.lines[0]!.lineId });
    expect(lane.phase).toBe('scanning');
  });

  it('a palm shopper’s age-verified record (AGE_VERIFIED) satisfies the check', () => {
    const lane = new TestLane().ready();
    lane.add(BEER);
    lane.send({ type: 'AGE_VERIFIED', age: 18 });
    expect(lane.phase).toBe('age-check'); // 18 does not cover 21
    lane.send({ type: 'AGE_VERIFIED', age: 21 });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.ageCheckedFor).toBe(0); // the cashier checked nothing
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_GIVEN', given: lane.due() });
    expect(lane.last('sale.commit')).toMatchObject({ ageCheckedFor: 0, palmAgeVerifiedFor: 21 });
  });
});

describe('checkout machine: cash', () => {
  function inCash() {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.add(COLA);
    lane.send({ type: 'PAY_CASH' });
    return lane;
  }

  it('fixes the amount due to the cart total', () => {
    const lane = inCash();
    expect(lane.phase).toBe('cash');
    expect(lane.due()).toEqual(cartTotals(lane.ctx.cart, lane.ctx.tax).total);
  });

  it('cannot complete below the total', () => {
    const lane = inCash();
    const due = lane.due();
    expect(lane.send({ type: 'CASH_GIVEN', given: usd(due.amount - 1) })).toEqual([]);
    expect(lane.phase).toBe('cash');
    expect(lane.ctx.cashProblem).toMatchObject({ code: 'CASH_TOO_LOW' });
    lane.send({ type: 'CASH_GIVEN', given: { amount: due.amount * 2, currency: 'EUR' } });
    expect(lane.ctx.cashProblem?.code).toBe('CURRENCY_MISMATCH');
    expect(lane.count('sale.commit')).toBe(0);
  });

  it('commits the total with the change, opens the drawer and shows the receipt', () => {
    const lane = inCash();
    const due = lane.due();
    lane.send({ type: 'CASH_GIVEN', given: usd(due.amount + 1000) });
    expect(lane.phase).toBe('committing');
    const commit = lane.last('sale.commit');
    expect(commit.tenders).toEqual([
      { kind: 'cash', amount: due, given: usd(due.amount + 1000), change: usd(1000) },
    ]);
    const sale = saleFor(lane);
    const cmds = lane.send({ type: 'SALE_COMMITTED', sale });
    expect(lane.phase).toBe('receipt');
    expect(cmds).toEqual([{ type: 'sync.nudge' }, { type: 'drawer.open' }]);
    expect(lane.ctx.receipt?.sale).toBe(sale);
  });

  it('a commit that fails goes back to cash with the reason', () => {
    const lane = inCash();
    lane.send({ type: 'CASH_GIVEN', given: lane.due() });
    lane.send({ type: 'COMMIT_FAILED', problem: { code: 'INTERNAL', message: 'disk full' } });
    expect(lane.phase).toBe('cash');
    expect(lane.ctx.cashProblem?.message).toBe('disk full');
  });

  it('switching to card and back to the sale are events', () => {
    const lane = inCash();
    lane.send({ type: 'PAY_CARD' });
    expect(lane.card).toBe('starting');
    expect(lane.last('card.begin').amount).toEqual(lane.due());
    lane.send({
      type: 'CARD_BEGIN_FAILED',
      paymentId: lane.ctx.card!.paymentId,
      problem: { code: 'DEVICE_BUSY', message: 'busy' },
    });
    lane.send({ type: 'BACK' });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.due).toBeNull();
  });
});

describe('checkout machine: receipt and the next sale', () => {
  function onReceipt() {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_GIVEN', given: lane.due() });
    lane.send({ type: 'SALE_COMMITTED', sale: saleFor(lane) });
    return lane;
  }

  it('prints on request and reports a printer or drawer failure', () => {
    const lane = onReceipt();
    expect(lane.send({ type: 'PRINT' })).toEqual([
      { type: 'receipt.print', sale: lane.ctx.receipt!.sale },
    ]);
    lane.send({ type: 'PRINTED' });
    expect(lane.ctx.receipt?.printed).toBe(true);
    lane.send({ type: 'DRAWER_FAILED', problem: { code: 'DEVICE_OFFLINE', message: 'no drawer' } });
    expect(lane.ctx.receipt?.drawerProblem?.code).toBe('DEVICE_OFFLINE');
    lane.send({ type: 'PRINT_FAILED', problem: { code: 'DEVICE_OFFLINE', message: 'no paper' } });
    expect(lane.ctx.receipt).toMatchObject({
      printed: false,
      printProblem: { message: 'no paper' },
    });
  });

  it('a new sale starts empty with the new id and writes no draft until an item is added', () => {
    const lane = onReceipt();
    const cmds = lane.send({
      type: 'NEW_SALE',
      saleId: 'sale-2',
      startedAt: '2030-01-01T11:00:00.000Z',
    });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.saleId).toBe('sale-2');
    expect(lane.ctx.cart).toEqual(emptyCart('USD'));
    expect(cmds.filter((c) => c.type.startsWith('draft.'))).toEqual([]);
    lane.add(COLA);
    expect(lane.last('draft.save').draft.saleId).toBe('sale-2');
  });

  it('ignores a commit result for another sale', () => {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_GIVEN', given: lane.due() });
    lane.send({ type: 'SALE_COMMITTED', sale: { ...saleFor(lane), id: 'other' } });
    expect(lane.phase).toBe('committing');
  });
});

describe('checkout machine: reload', () => {
  it('restores the cart and the ID check state from the draft, and writes nothing on load', () => {
    const a = new TestLane().ready();
    a.add(COLA);
    a.add(BEER);
    const draft = a.last('draft.save').draft;
    const b = new TestLane(checkoutInput({ saleId: 'fresh' }));
    const cmds = b.send({ type: 'DRAFT_LOADED', draft });
    expect(cmds).toEqual([]);
    expect(b.ctx.saleId).toBe('sale-1');
    expect(b.ctx.cart).toEqual(draft.cart);
    expect(b.phase).toBe('age-check'); // the check was pending when the lane went down
  });

  it('ignores a draft in another currency', () => {
    const a = new TestLane().ready();
    a.add(COLA);
    const draft = {
      ...a.last('draft.save').draft,
      cart: { ...a.ctx.cart, currency: 'EUR' as const },
    };
    const b = new TestLane();
    b.send({ type: 'DRAFT_LOADED', draft });
    expect(b.ctx.cart.lines).toEqual([]);
    expect(b.ctx.saleId).toBe('sale-1');
  });

  it('refuses an instance id that would make bad payment ids', () => {
    expect(() => new TestLane(checkoutInput({ instanceId: 'bad id' }))).toThrow(/instanceId/);
  });
});
