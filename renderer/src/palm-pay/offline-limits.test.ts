import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFLINE_LIMITS, offlineRefusal, type OfflineCheck } from './offline-limits';

const check = (over: Partial<OfflineCheck> = {}): OfflineCheck => ({
  amount: { amount: 4_000, currency: 'USD' },
  storeCurrency: 'USD',
  limits: DEFAULT_OFFLINE_LIMITS,
  shopperLimits: { currency: 'USD', perPayment: 5_000, perDay: 20_000 },
  laneUnsettled: 0,
  shopperToday: 0,
  ...over,
});
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

describe('offlineRefusal', () => {
  it('stores a payment within every limit, up to each limit exactly', () => {
    expect(offlineRefusal(check())).toBeNull();
    expect(offlineRefusal(check({ amount: usd(5_000) }))).toBeNull();
    expect(offlineRefusal(check({ laneUnsettled: 46_000 }))).toBeNull();
    expect(offlineRefusal(check({ shopperToday: 16_000 }))).toBeNull();
  });

  it('over the store’s per-payment limit (default 100.00) or the shopper’s own', () => {
    const rich = { currency: 'USD', perPayment: 1_000_000, perDay: 1_000_000 };
    expect(offlineRefusal(check({ amount: usd(10_000), shopperLimits: rich }))).toBeNull();
    expect(offlineRefusal(check({ amount: usd(10_001), shopperLimits: rich }))).toBe(
      'over-payment-limit',
    );
    expect(offlineRefusal(check({ amount: usd(5_001) }))).toBe('over-payment-limit');
  });

  it('over the lane’s stored total, and over the shopper’s day', () => {
    expect(offlineRefusal(check({ laneUnsettled: 46_001 }))).toBe('over-stored-total');
    expect(offlineRefusal(check({ shopperToday: 16_001 }))).toBe('over-shopper-daily');
  });

  it('refuses with no shopper, a store that disabled offline, or another currency', () => {
    expect(offlineRefusal(check({ shopperLimits: null }))).toBe('offline-disabled');
    expect(
      offlineRefusal(check({ limits: { ...DEFAULT_OFFLINE_LIMITS, perPaymentLimit: 0 } })),
    ).toBe('offline-disabled');
    expect(offlineRefusal(check({ amount: { amount: 4_000, currency: 'EUR' } }))).toBe(
      'offline-disabled',
    );
    expect(offlineRefusal(check({ amount: usd(0) }))).toBe('offline-disabled');
  });

  it('a record’s limits in another currency leave only the store’s', () => {
    const won = { currency: 'KRW', perPayment: 1, perDay: 1 };
    expect(offlineRefusal(check({ shopperLimits: won }))).toBeNull();
  });
});
