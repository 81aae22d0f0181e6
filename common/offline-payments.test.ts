import { describe, expect, it } from 'vitest';
import { money } from './money';
import {
  checkStoredPayment,
  type StoredPayment,
  type StoredPaymentContext,
} from './offline-payments';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const HOUR = 3_600_000;
const sale = {
  id: 's1',
  startedAt: '2026-03-02T10:58:00.000Z',
  completedAt: '2026-03-02T11:00:00.000Z',
  tenders: [
    {
      kind: 'card' as const,
      amount: money(4000, 'USD'),
      paymentId: 'pay-1',
      authCode: 'OFFLINE',
      brand: 'visa',
      last4: '4242',
    },
  ],
};
const payment: StoredPayment = {
  paymentId: 'pay-1',
  saleId: 's1',
  method: 'card',
  amount: money(4000, 'USD'),
  storedAt: '2026-03-02T10:59:30.000Z',
};
const ctx: StoredPaymentContext = {
  currency: 'USD',
  limits: { perPaymentLimit: 5000, totalStoredCap: 50_000, maxAgeHours: 72 },
  receivedAt: NOW,
  maxSkewMs: 5 * 60_000,
  unsettled: 0,
  sale,
};
const check = (p: Partial<StoredPayment>, c: Partial<StoredPaymentContext> = {}) =>
  checkStoredPayment({ ...payment, ...p }, { ...ctx, ...c });

describe('checkStoredPayment', () => {
  it('accepts a payment within every limit that matches its sale’s tender', () => {
    expect(check({})).toBeNull();
    expect(check({}, { unsettled: 46_000 })).toBeNull(); // exactly at the cap
  });

  it('refuses what breaks a limit: per payment, the lane’s total, age on arrival', () => {
    expect(check({}, { limits: { ...ctx.limits, perPaymentLimit: 3999 } })).toMatch(
      /over the store's offline limit of 3999/,
    );
    expect(check({}, { unsettled: 46_001 })).toMatch(/would hold 50001 .* cap is 50000/);
    expect(check({}, { receivedAt: Date.parse(payment.storedAt) + 73 * HOUR })).toMatch(
      /73.0 h old; the store accepts at most 72 h/,
    );
  });

  it('refuses zero, negative, another currency and a date ahead of the clock', () => {
    expect(check({ amount: money(0, 'USD') })).toMatch(/positive/);
    expect(check({ amount: money(-4000, 'USD') })).toMatch(/positive/);
    expect(check({ amount: money(4000, 'EUR') })).toMatch(/in EUR; the store takes USD/);
    expect(check({ storedAt: new Date(NOW + 6 * 60_000).toISOString() })).toMatch(/later than/);
  });

  it('refuses a payment its sale does not carry', () => {
    expect(check({}, { sale: null })).toMatch(/sale s1 is not recorded/);
    expect(check({ paymentId: 'pay-2' })).toMatch(/no card tender for payment pay-2/);
    expect(check({ method: 'palm' })).toMatch(/no palm tender/);
    expect(check({ amount: money(3000, 'USD') })).toMatch(/took 4000 .* not 3000/);
    expect(check({ storedAt: '2026-03-01T10:00:00.000Z' })).toMatch(/outside its sale/);
  });
});
