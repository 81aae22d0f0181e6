import { describe, expect, it } from 'vitest';
import {
  RISK_LIMITS,
  assessRisk,
  dailyLimit,
  distanceKm,
  impossibleTravel,
  laneNearThreshold,
  perPaymentLimit,
  velocity,
  type RiskFacts,
} from './risk';

const T = Date.parse('2026-03-02T12:00:00Z');
const NYC = { latitude: 40.7128, longitude: -74.006 };
const LA = { latitude: 34.0522, longitude: -118.2437 };
const JERSEY_CITY = { latitude: 40.7178, longitude: -74.0431 };

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  amount: { amount: 2_000, currency: 'USD' },
  at: T,
  limits: { currency: 'USD', perPayment: 5_000, perDay: 50_000 },
  spentLast24h: 0,
  recentPayments: 0,
  here: NYC,
  lastElsewhere: null,
  laneNearThreshold: 0,
  nearThreshold: false,
  ...over,
});

describe('per-payment limit (OVER_PAYMENT_LIMIT)', () => {
  it('allows up to the limit and declines a cent over', () => {
    expect(perPaymentLimit(facts({ amount: { amount: 5_000, currency: 'USD' } }))).toBeNull();
    expect(perPaymentLimit(facts({ amount: { amount: 5_001, currency: 'USD' } }))).toMatchObject({
      action: 'decline',
      reason: 'OVER_PAYMENT_LIMIT',
    });
  });
  it('declines when the limits are in another currency (they cannot be compared)', () => {
    expect(perPaymentLimit(facts({ amount: { amount: 1, currency: 'EUR' } }))?.reason).toBe(
      'OVER_PAYMENT_LIMIT',
    );
  });
});

describe('daily limit (OVER_DAILY_LIMIT)', () => {
  it('counts what was paid in the last 24 h with this payment', () => {
    expect(dailyLimit(facts({ spentLast24h: 48_000 }))).toBeNull();
    const f = dailyLimit(facts({ spentLast24h: 48_001 }));
    expect(f).toMatchObject({ action: 'decline', reason: 'OVER_DAILY_LIMIT' });
    expect(f?.message).toContain('48001');
  });
});

describe('velocity (VELOCITY)', () => {
  it('asks for step-up at 3 payments in 10 minutes and declines at 6', () => {
    expect(velocity(facts({ recentPayments: 2 }))).toBeNull();
    expect(velocity(facts({ recentPayments: 3 }))?.action).toBe('step-up');
    expect(velocity(facts({ recentPayments: 6 }))).toMatchObject({
      action: 'decline',
      reason: 'VELOCITY',
    });
  });
});

describe('impossible travel (IMPOSSIBLE_TRAVEL)', () => {
  it('measures distance on the globe', () => {
    expect(distanceKm(NYC, LA)).toBeGreaterThan(3_900);
    expect(distanceKm(NYC, LA)).toBeLessThan(3_960);
  });
  it('declines New York an hour after Los Angeles, allows it a day later', () => {
    const hourAgo = { at: T - 3_600_000, where: LA };
    expect(impossibleTravel(facts({ lastElsewhere: hourAgo }))).toMatchObject({
      action: 'decline',
      reason: 'IMPOSSIBLE_TRAVEL',
    });
    expect(
      impossibleTravel(facts({ lastElsewhere: { at: T - 8 * 3_600_000, where: LA } })),
    ).toBeNull();
  });
  it('ignores nearby stores and stores without a location', () => {
    expect(
      impossibleTravel(facts({ lastElsewhere: { at: T - 1_000, where: JERSEY_CITY } })),
    ).toBeNull();
    expect(
      impossibleTravel(facts({ here: null, lastElsewhere: { at: T - 1_000, where: LA } })),
    ).toBeNull();
  });
});

describe('a lane with many near-threshold matches (LANE_NEAR_THRESHOLD)', () => {
  it('asks for step-up from 5 and declines another near-threshold match from 10', () => {
    expect(laneNearThreshold(facts({ laneNearThreshold: 4, nearThreshold: true }))).toBeNull();
    expect(laneNearThreshold(facts({ laneNearThreshold: RISK_LIMITS.laneStepUp }))?.action).toBe(
      'step-up',
    );
    expect(laneNearThreshold(facts({ laneNearThreshold: 10, nearThreshold: true }))).toMatchObject({
      action: 'decline',
      reason: 'LANE_NEAR_THRESHOLD',
    });
    // A clear match on that lane still needs step-up, not a decline.
    expect(laneNearThreshold(facts({ laneNearThreshold: 10, nearThreshold: false }))?.action).toBe(
      'step-up',
    );
  });
});

describe('assessRisk', () => {
  it('approves a clean payment, with no findings', () => {
    expect(assessRisk(facts(), false)).toEqual({ findings: [], decision: null });
  });
  it('a decline wins over a step-up, and step-up passed clears only step-ups', () => {
    const both = facts({ recentPayments: 3, spentLast24h: 49_000 });
    expect(assessRisk(both, true).decision?.reason).toBe('OVER_DAILY_LIMIT');
    const onlyStepUp = facts({ recentPayments: 3 });
    expect(assessRisk(onlyStepUp, false).decision?.reason).toBe('VELOCITY');
    expect(assessRisk(onlyStepUp, true).decision).toBeNull();
    expect(assessRisk(onlyStepUp, true).findings).toHaveLength(1);
  });
});
