import type { Money } from '../../common/money';
import { decline, stepUp, type Finding } from './decline';

/**
 * The cloud's risk rules for palm payments: small pure functions over facts the caller looked
 * up, each with its reason code and an English explanation, so a decision can always be
 * explained (to the shopper by the lane's text for the code, to the manager in full).
 */
export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

export interface RiskFacts {
  readonly amount: Money;
  /** When the payment is made (ms since 1970): now online, `storedAt` for a stored payment. */
  readonly at: number;
  readonly limits: {
    readonly currency: string;
    readonly perPayment: number;
    readonly perDay: number;
  };
  /** The shopper's palm payments in the 24 h before `at` (approved or being charged), minor units. */
  readonly spentLast24h: number;
  /** The shopper's palm payments in the VELOCITY window before `at`. */
  readonly recentPayments: number;
  /** Where this store is (its settings), when it says. */
  readonly here: GeoPoint | null;
  /** The shopper's latest palm payment at another store with a location, within a day. */
  readonly lastElsewhere: { readonly at: number; readonly where: GeoPoint } | null;
  /** This lane's near-threshold matches in the LANE window before `at`. */
  readonly laneNearThreshold: number;
  /** Whether this payment's own match was near the threshold. */
  readonly nearThreshold: boolean;
}

export const RISK_LIMITS = {
  /** Palm payments by one shopper in this window before step-up / decline. */
  velocityWindowMs: 10 * 60_000,
  velocityStepUp: 3,
  velocityDecline: 6,
  /** Faster than an airliner between two stores is not one person travelling. */
  maxTravelKmh: 900,
  /** Stores closer than this are "the same place" (GPS error, a mall). */
  travelSlackKm: 50,
  laneWindowMs: 30 * 60_000,
  laneStepUp: 5,
  laneDecline: 10,
} as const;

export type RiskRule = (f: RiskFacts) => Finding | null;

export const perPaymentLimit: RiskRule = (f) => {
  if (f.limits.currency !== f.amount.currency)
    return decline(
      'OVER_PAYMENT_LIMIT',
      `the shopper's limits are in ${f.limits.currency}, the payment in ${f.amount.currency}`,
    );
  return f.amount.amount > f.limits.perPayment
    ? decline(
        'OVER_PAYMENT_LIMIT',
        `${f.amount.amount} is over the shopper's limit of ${f.limits.perPayment} a payment`,
      )
    : null;
};

export const dailyLimit: RiskRule = (f) =>
  f.spentLast24h + f.amount.amount > f.limits.perDay
    ? decline(
        'OVER_DAILY_LIMIT',
        `${f.spentLast24h} paid in the last 24 h plus ${f.amount.amount} is over the shopper's ${f.limits.perDay} a day`,
      )
    : null;

export const velocity: RiskRule = (f) => {
  const n = f.recentPayments;
  const minutes = RISK_LIMITS.velocityWindowMs / 60_000;
  if (n >= RISK_LIMITS.velocityDecline)
    return decline('VELOCITY', `${n} palm payments by this shopper in ${minutes} minutes`);
  if (n >= RISK_LIMITS.velocityStepUp)
    return stepUp('VELOCITY', `${n} palm payments by this shopper in ${minutes} minutes`);
  return null;
};

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const impossibleTravel: RiskRule = (f) => {
  if (!f.here || !f.lastElsewhere) return null;
  const km = distanceKm(f.here, f.lastElsewhere.where);
  if (km <= RISK_LIMITS.travelSlackKm) return null;
  const hours = Math.max(0, f.at - f.lastElsewhere.at) / 3_600_000;
  const kmh = hours === 0 ? Infinity : km / hours;
  return kmh > RISK_LIMITS.maxTravelKmh
    ? decline(
        'IMPOSSIBLE_TRAVEL',
        `the shopper paid ${Math.round(km)} km away ${Math.round(hours * 60)} minutes ago (${Number.isFinite(kmh) ? Math.round(kmh) : '∞'} km/h)`,
      )
    : null;
};

export const laneNearThreshold: RiskRule = (f) => {
  const n = f.laneNearThreshold;
  const minutes = RISK_LIMITS.laneWindowMs / 60_000;
  if (n >= RISK_LIMITS.laneDecline && f.nearThreshold)
    return decline(
      'LANE_NEAR_THRESHOLD',
      `this lane made ${n} near-threshold matches in ${minutes} minutes, and this is another`,
    );
  if (n >= RISK_LIMITS.laneStepUp)
    return stepUp(
      'LANE_NEAR_THRESHOLD',
      `this lane made ${n} near-threshold matches in ${minutes} minutes`,
    );
  return null;
};

export const RISK_RULES: readonly RiskRule[] = [
  perPaymentLimit,
  dailyLimit,
  velocity,
  impossibleTravel,
  laneNearThreshold,
];

/**
 * Every rule's finding, and the decision: the first decline, else (unless the shopper passed
 * step-up for this capture) the first step-up, else approve.
 */
export function assessRisk(
  f: RiskFacts,
  steppedUp: boolean,
): { readonly findings: readonly Finding[]; readonly decision: Finding | null } {
  const findings = RISK_RULES.map((r) => r(f)).filter((x): x is Finding => x !== null);
  const declined = findings.find((x) => x.action === 'decline');
  if (declined) return { findings, decision: declined };
  const stepUpFinding = steppedUp ? undefined : findings.find((x) => x.action === 'step-up');
  return { findings, decision: stepUpFinding ?? null };
}
