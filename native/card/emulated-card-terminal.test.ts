import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CardPaymentUpdate } from '../../common/host/contract';
import { money } from '../../common/money';
import { EmulatedCardTerminal } from './emulated-card-terminal';

describe('emulated card terminal', () => {
  let card: EmulatedCardTerminal;
  let updates: CardPaymentUpdate[];
  beforeEach(() => {
    vi.useFakeTimers();
    card = new EmulatedCardTerminal({ presentTimeoutMs: 30_000, processingMs: 500 });
    updates = [];
    card.onUpdate((u) => updates.push(u));
  });
  afterEach(() => {
    card.dispose();
    vi.useRealTimers();
  });
  const states = () => updates.map((u) => u.state);

  it('present card → processing → approved with an auth code', async () => {
    const first = await card.begin('pay-0001', money(1234, 'USD'));
    expect(first.state).toBe('waiting-for-card');
    expect(card.status().state).toBe('busy');
    card.presentCard('4242424242424242');
    vi.advanceTimersByTime(500);
    expect(states()).toEqual(['waiting-for-card', 'processing', 'approved']);
    expect(updates.at(-1)).toMatchObject({
      brand: 'Visa',
      last4: '4242',
      authCode: 'A00001',
      amount: { amount: 1234 },
    });
    expect(card.status().state).toBe('ready');
  });

  it.each([
    ['4000000000000002', 'generic_decline'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000127', 'incorrect_pin'],
    ['4000000000000119', 'processing_error'],
    ['1234567812345678', 'card_not_supported'], // fails the Luhn check
  ])('test card %s is declined with %s', async (pan, reason) => {
    await card.begin('pay-0002', money(100, 'USD'));
    card.presentCard(pan);
    vi.advanceTimersByTime(500);
    expect(updates.at(-1)).toMatchObject({ state: 'declined', reason });
  });

  it('times out when no card comes', async () => {
    await card.begin('pay-0003', money(100, 'USD'));
    vi.advanceTimersByTime(30_000);
    expect(states()).toEqual(['waiting-for-card', 'timed-out']);
  });

  it('customer cancel and cashier cancel end the payment; processing cannot be cancelled', async () => {
    await card.begin('pay-0004', money(100, 'USD'));
    card.customerCancel();
    expect(states().at(-1)).toBe('cancelled');
    await card.begin('pay-0005', money(100, 'USD'));
    await card.cancel('pay-0005');
    expect(card.payment('pay-0005')?.state).toBe('cancelled');
    await card.begin('pay-0006', money(100, 'USD'));
    card.presentCard('4242424242424242');
    await expect(card.cancel('pay-0006')).rejects.toThrow(/cannot be cancelled/);
    await expect(card.cancel('nope-0000')).rejects.toThrow(/No payment/);
  });

  it('is busy with one payment at a time, and a retry of the same id is idempotent', async () => {
    await card.begin('pay-0007', money(100, 'USD'));
    await expect(card.begin('pay-0008', money(100, 'USD'))).rejects.toThrow(/busy/);
    expect((await card.begin('pay-0007', money(100, 'USD'))).state).toBe('waiting-for-card');
    expect(() => new EmulatedCardTerminal().presentCard('4242424242424242')).toThrow(
      /No payment is waiting/,
    );
  });

  it('an unresponsive terminal never answers', async () => {
    card.setResponsive(false);
    const settled = vi.fn();
    void card.begin('pay-0009', money(100, 'USD')).then(settled, settled);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(settled).not.toHaveBeenCalled();
  });

  it('refunds an approved payment once per refund id and never beyond what it took', async () => {
    await card.begin('pay-0009', money(1000, 'USD'));
    card.presentCard('4242424242424242');
    vi.advanceTimersByTime(500);
    const first = await card.refund('ref-00001', 'pay-0009', money(600, 'USD'));
    expect(first).toMatchObject({ state: 'approved', refundRef: expect.stringMatching(/^RF/) });
    // The same refund again (a lost answer): the first outcome, no second payout.
    expect(await card.refund('ref-00001', 'pay-0009', money(600, 'USD'))).toEqual(first);
    expect(await card.refund('ref-00002', 'pay-0009', money(500, 'USD'))).toMatchObject({
      state: 'declined',
      reason: 'exceeds_payment',
    });
    expect(await card.refund('ref-00003', 'pay-0009', money(400, 'USD'))).toMatchObject({
      state: 'approved',
    });
  });
});
