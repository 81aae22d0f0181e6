import { createHash } from 'node:crypto';
import {
  createPopulation,
  NOT_ENROLLED,
  PT1_DIMS,
  type Population,
} from '../common/palm/population';
import type { ShardRecord } from '../common/shard/format';
import type { MatchPolicy } from '../common/shard/policy';
import { fitPolicyOnPopulation } from '../common/shard/population-fit';

/**
 * The demo store's enrolled shoppers: subjects 0 … n−1 of the synthetic palm population with
 * seed 1, the same population the scanner emulator captures from (native/palm/emulator.ts), so
 * presenting identity 17 in the emulator is "shopper #17" at the lane. Everything here is derived
 * from (seed, index) by hashing, so the records are the same on every start and every machine.
 */
export const DEMO_POPULATION_SEED = 1;
/** How many shoppers the demo cloud enrols when DEMO_SHOPPERS is unset: loads in well under 1 s. */
export const DEFAULT_DEMO_SHOPPERS = 2000;
/** Upper bound for DEMO_SHOPPERS: 100k is the size the matcher is benchmarked at. */
export const MAX_DEMO_SHOPPERS = 100_000;

/**
 * The demo store's decision policy (common/shard/policy.ts), fitted once by
 * fitPolicyOnPopulation (common/shard/population-fit.ts), as the matcher's bench fits its own:
 * 400 never-enrolled captures (subjects 1 000 500 000 + i, quality 80, capture seed 7) scored
 * against the enrolment templates of subjects 0 … 4095 of the seed-1 population; tail above the 99.9th percentile
 * (`fitImpostorTail(scores, 0.001)`); margin δ = round(β · ln 10); FPIR targets 1e-4 (accept) and
 * 1e-2 (step-up). `fitDemoPolicy()` repeats the fit and cloud/demo-shard.test.ts checks that it
 * still gives these numbers, so they cannot silently drift from the population.
 */
export const DEMO_POLICY: MatchPolicy = {
  acceptFpir: 1e-4,
  stepUpFpir: 1e-2,
  margin: 49_462,
  tail: { u: 261_204, pu: 0.000999755859375, beta: 21481.090354090353 },
};

/** Repeats the fit DEMO_POLICY was taken from (~1 s: 400 × 4096 dot products of 512). */
export function fitDemoPolicy(population: Population = demoPopulation()): MatchPolicy {
  const rows = 4096;
  const gallery = new Int8Array(rows * PT1_DIMS);
  for (let r = 0; r < rows; r++)
    population.enrollTemplate(r, gallery.subarray(r * PT1_DIMS, (r + 1) * PT1_DIMS));
  return fitPolicyOnPopulation(population, gallery);
}

export function demoPopulation(): Population {
  return createPopulation({ seed: DEMO_POPULATION_SEED });
}

/** The template id the lane's matcher reports for shopper `index`; readable on purpose (demo). */
export function demoTemplateId(index: number): string {
  return `demo-palm-${index}`;
}

/** Bytes derived from (seed, index, purpose): stands in for the randomness of a real enrolment. */
function derived(index: number, purpose: string): Buffer {
  return createHash('sha256')
    .update(`palm-demo|${DEMO_POPULATION_SEED}|${purpose}|${index}`)
    .digest();
}

/**
 * Shopper `index` as the shard carries it: one enrolment template, a pseudonymous customer ref
 * (the cloud would map it to an account; the lane cannot), a loyalty id for most, age verified
 * for some, USD limits, and the salted hash of the phone number's last four digits for step-up.
 */
export function demoShopper(population: Population, index: number): ShardRecord {
  if (!Number.isSafeInteger(index) || index < 0 || index >= NOT_ENROLLED)
    throw new RangeError(`demo shopper index must be 0…${NOT_ENROLLED - 1} (got ${index})`);
  const h = derived(index, 'record');
  const salt = derived(index, 'phone-salt').subarray(0, 16);
  const digits = demoPhoneLast4(index);
  const hash = createHash('sha256').update(salt).update(digits, 'ascii').digest();
  return {
    templateId: demoTemplateId(index),
    customerRef: `cus_${h.subarray(0, 10).toString('hex')}`,
    templates: [population.enrollTemplate(index)],
    ageVerified: h[10]! % 5 < 2, // ~40 %
    loyaltyId:
      h[11]! % 10 < 7 ? `LOY-${String(h.readUInt32LE(12) % 100_000_000).padStart(8, '0')}` : null,
    limits: demoHasLowDailyLimit(index)
      ? { currency: 'USD', ...LOW_DAILY_LIMIT }
      : {
          currency: 'USD',
          // $50, $100 or $200 a payment; ten payments a day.
          perPayment: [5_000, 10_000, 20_000][h[16]! % 3]!,
          perDay: [5_000, 10_000, 20_000][h[16]! % 3]! * 10,
        },
    phoneLast4: { salt: salt.toString('base64'), hash: hash.toString('base64') },
  };
}

/**
 * Shoppers whose index ends in 42 (mod 100) have a daily limit a demo can reach in two small
 * sales — $10.00 a payment and $10.00 a day — so "over the daily limit" can be shown (and tested
 * end to end) without ten payments, which the velocity rule would step up from the third.
 */
export const LOW_DAILY_LIMIT = { perPayment: 1_000, perDay: 1_000 } as const;

export function demoHasLowDailyLimit(index: number): boolean {
  return index % 100 === 42;
}

/** The last four phone digits of shopper `index` (what they would type at step-up). */
export function demoPhoneLast4(index: number): string {
  return String(derived(index, 'phone').readUInt32LE(0) % 10_000).padStart(4, '0');
}

/** What the emulated processor does with a card token (cloud/payments/emulated-processor.ts). */
export type DemoCardBehaviour = 'approve' | 'decline' | 'insufficient-funds' | 'processor-down';

/** The token prefix the emulated processor reads; the rest of the token only tells cards apart. */
export const DEMO_CARD_TOKEN_PREFIX: Readonly<Record<DemoCardBehaviour, string>> = {
  approve: 'tok_emu_approve_',
  decline: 'tok_emu_decline_',
  'insufficient-funds': 'tok_emu_insufficient_',
  'processor-down': 'tok_emu_down_',
};

/** Which behaviour demo shopper `index`'s card has (design-11: by index mod 100). */
export function demoCardBehaviour(index: number): DemoCardBehaviour {
  const r = index % 100;
  if (r === 7) return 'decline';
  if (r === 13) return 'insufficient-funds';
  if (r === 21) return 'processor-down';
  return 'approve';
}

/**
 * Demo shopper `index`'s card on file: a token the emulated processor understands, Visa for even
 * indexes and Mastercard for odd ones, and last four digits derived from the index.
 */
export function demoCard(index: number): {
  token: string;
  brand: 'Visa' | 'Mastercard';
  last4: string;
} {
  if (!Number.isSafeInteger(index) || index < 0 || index >= NOT_ENROLLED)
    throw new RangeError(`demo shopper index must be 0…${NOT_ENROLLED - 1} (got ${index})`);
  const h = derived(index, 'card');
  return {
    token: `${DEMO_CARD_TOKEN_PREFIX[demoCardBehaviour(index)]}${h.subarray(0, 12).toString('hex')}`,
    brand: index % 2 === 0 ? 'Visa' : 'Mastercard',
    last4: String(h.readUInt32LE(12) % 10_000).padStart(4, '0'),
  };
}

/** Shoppers 0 … n−1. */
export function demoShoppers(n: number, population: Population = demoPopulation()): ShardRecord[] {
  return Array.from({ length: n }, (_, i) => demoShopper(population, i));
}

/**
 * DEMO_SHOPPERS from the environment: unset → DEFAULT_DEMO_SHOPPERS, 0 → none. Anything but a
 * whole number 0 … MAX_DEMO_SHOPPERS is refused with a message naming the variable.
 */
export function demoShopperCount(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEMO_SHOPPERS;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n > MAX_DEMO_SHOPPERS)
    throw new RangeError(
      `DEMO_SHOPPERS must be a whole number 0…${MAX_DEMO_SHOPPERS} (got “${raw}”)`,
    );
  return n;
}
