import { describe, expect, it } from 'vitest';
import { BEER, CHIPS, TestLane } from '../checkout/testing';

describe('suspending an abandoned kiosk sale (SUSPEND_SALE)', () => {
  it('starts a fresh, empty sale from scanning and drops the old draft', () => {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.add(BEER);
    expect(lane.phase).toBe('age-check');
    const commands = lane.send({
      type: 'SUSPEND_SALE',
      saleId: 'next-sale',
      startedAt: '2026-01-01T00:00:00Z',
    });
    expect(lane.phase).toBe('scanning');
    expect(lane.ctx.saleId).toBe('next-sale');
    expect(lane.ctx.cart.lines).toEqual([]);
    expect(commands).toContainEqual({ type: 'draft.clear' });
  });

  it('is refused once a tender has started (money may be moving)', () => {
    const lane = new TestLane().ready();
    lane.add(CHIPS);
    lane.send({ type: 'PAY_CARD' });
    const sale = lane.ctx.saleId;
    lane.send({ type: 'SUSPEND_SALE', saleId: 'other', startedAt: '2026-01-01T00:00:00Z' });
    expect(lane.phase).toBe('card');
    expect(lane.ctx.saleId).toBe(sale);
  });
});
