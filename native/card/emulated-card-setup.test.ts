import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { money } from '../../common/money';
import { EMULATED_SETUP_REF, EmulatedCardSetup } from '../../cloud/enrolment/card-setup';
import { EmulatedCardTerminal } from './emulated-card-terminal';

/** Card setup (enrolment): a card saved at the terminal answers only a processor reference. */
describe('emulated card terminal: card setup', () => {
  let card: EmulatedCardTerminal;
  beforeEach(() => {
    vi.useFakeTimers();
    card = new EmulatedCardTerminal({ presentTimeoutMs: 30_000, processingMs: 700 });
  });
  afterEach(() => {
    card.dispose();
    vi.useRealTimers();
  });

  it('an approving card → saved with a setup reference the cloud accepts, and no card number', async () => {
    const outcome = card.setup('seti-0001', 20_000);
    expect(card.status().state).toBe('busy');
    card.presentCard('5555555555554444');
    await vi.advanceTimersByTimeAsync(700);
    const o = await outcome;
    expect(o).toMatchObject({ state: 'saved', brand: 'Mastercard', last4: '4444' });
    if (o.state !== 'saved') throw new Error('not saved');
    expect(o.setupRef).toMatch(EMULATED_SETUP_REF);
    expect(JSON.stringify(o)).not.toContain('5555555555554444');
    const saved = await new EmulatedCardSetup().saveCard({ setupRef: o.setupRef, storeId: 's1' });
    expect(saved).toMatchObject({ status: 'saved', brand: 'Mastercard', last4: '4444' });
    expect(card.status().state).toBe('ready');
    // The same setup asked again answers its first outcome.
    expect(await card.setup('seti-0001', 20_000)).toEqual(o);
  });

  it.each([
    ['4000000000000002', 'generic_decline'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000119', 'processing_error'],
    ['1234567812345678', 'card_not_supported'],
  ])('test card %s is declined at the terminal with %s', async (pan, reason) => {
    const outcome = card.setup('seti-0002', 20_000);
    card.presentCard(pan);
    await vi.advanceTimersByTimeAsync(700);
    expect(await outcome).toMatchObject({ state: 'declined', reason });
  });

  it('cancel (cashier or customer) and timeout end it; a payment cannot start meanwhile', async () => {
    const a = card.setup('seti-0003', 20_000);
    await expect(card.begin('pay-0001', money(100, 'USD'))).rejects.toMatchObject({
      code: 'DEVICE_BUSY',
    });
    await card.cancel('seti-0003');
    expect(await a).toEqual({ setupId: 'seti-0003', state: 'cancelled' });
    const b = card.setup('seti-0004', 20_000);
    card.customerCancel();
    expect((await b).state).toBe('cancelled');
    const c = card.setup('seti-0005', 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await c).state).toBe('timed-out');
  });

  it('a card being saved cannot be cancelled; an unresponsive terminal never answers', async () => {
    const a = card.setup('seti-0006', 20_000);
    card.presentCard('4242424242424242');
    await expect(card.cancel('seti-0006')).rejects.toMatchObject({ code: 'DEVICE_BUSY' });
    await vi.advanceTimersByTimeAsync(700);
    expect((await a).state).toBe('saved');
    card.setResponsive(false);
    let settled = false;
    void card.setup('seti-0007', 2_000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(settled).toBe(false);
  });
});
