import { describe, expect, it } from 'vitest';
import { thresholds, type MatchPolicy } from '../../../common/shard/policy';
import type { MatchResult } from '../matcher/protocol';
import { describeIdentification, identifyPalm } from './identify';

// A policy shaped like a fitted one (raw PT1 units); the numbers only need to be plausible.
const POLICY: MatchPolicy = {
  acceptFpir: 1e-4,
  stepUpFpir: 1e-2,
  margin: 50_000,
  tail: { u: 260_000, pu: 0.001, beta: 21_000 },
};
const N = 2000;
const T = thresholds(POLICY, N);
const M = 1 << 20;

const SHOPPER = {
  customerRef: 'cus_17',
  loyaltyId: 'L-17',
  ageVerified: true,
  limits: { currency: 'USD', perPayment: 10_000, perDay: 100_000 },
};
const reply = (
  score: number,
  runnerUpScore: number | null,
  templateId = 'demo-palm-17',
): MatchResult => ({ templateId, score, runnerUpScore, shopper: SHOPPER, exact: true });

describe('describeIdentification', () => {
  it('accepts a clear score with a clear margin, and shows them as similarities', () => {
    const v = describeIdentification(POLICY, N, reply(700_000, 300_000), 12.5);
    expect(v).toEqual({
      kind: 'accept',
      templateId: 'demo-palm-17',
      reason: null,
      similarity: 700_000 / M,
      margin: 400_000 / M,
      accept: T.accept / M,
      stepUp: T.stepUp / M,
      minMargin: 50_000 / M,
      elapsedMs: 12.5,
      shopper: SHOPPER,
      exact: true,
    });
  });

  it('asks for step-up on a thin margin, even above the accept threshold', () => {
    const v = describeIdentification(POLICY, N, reply(T.accept + 10_000, T.accept - 20_000), 1);
    expect(v).toMatchObject({ kind: 'step-up', reason: 'margin', templateId: 'demo-palm-17' });
  });

  it('asks for step-up on a score between the two thresholds', () => {
    const score = Math.round((T.accept + T.stepUp) / 2);
    const v = describeIdentification(POLICY, N, reply(score, 0), 1);
    expect(v).toMatchObject({ kind: 'step-up', reason: 'score' });
  });

  it('names no one below the step-up threshold', () => {
    const v = describeIdentification(POLICY, N, reply(T.stepUp - 1, 0), 1);
    // The best template's shopper is not shown when no one is identified.
    expect(v).toMatchObject({ kind: 'no-match', templateId: null, reason: null, shopper: null });
    expect(describeIdentification(POLICY, N, reply(0, null, null as never), 1).kind).toBe(
      'no-match',
    );
  });

  it('a single-template gallery has no margin to check', () => {
    const v = describeIdentification(POLICY, 1, reply(700_000, null), 1);
    expect(v).toMatchObject({ kind: 'accept', margin: null });
  });

  it('the same score that is accepted among 2,000 palms is not among a million', () => {
    const score = Math.round(T.accept + 5_000);
    expect(describeIdentification(POLICY, N, reply(score, 0), 1).kind).toBe('accept');
    expect(describeIdentification(POLICY, 1_000_000, reply(score, 0), 1).kind).not.toBe('accept');
  });
});

describe('identifyPalm', () => {
  const template = Array.from({ length: 512 }, (_, i) => (i % 255) - 127);

  it('sends the capture as an int8 probe, times capture-to-decision and wipes its copy', async () => {
    let sent: Int8Array | null = null;
    let seenAtMatch: number[] = [];
    let guard: unknown;
    const matcher = {
      match: (probe: Int8Array, g?: unknown): Promise<MatchResult> => {
        sent = probe;
        guard = g;
        seenAtMatch = Array.from(probe);
        return Promise.resolve(reply(700_000, 100_000));
      },
    };
    let clock = 1000;
    const v = await identifyPalm(matcher, POLICY, N, template, 990, () => clock++);
    expect(seenAtMatch).toEqual(template);
    expect(Array.from(sent!).every((x) => x === 0)).toBe(true);
    expect(v.kind).toBe('accept');
    expect(v.elapsedMs).toBe(10);
    // The store policy's boundaries at this gallery size go along, for the pre-filter's guard.
    expect(guard).toEqual({ stepUp: T.stepUp, accept: T.accept, margin: 50_000, slack: 50_000 });
  });

  it('refuses a template of the wrong size and an unusable policy before matching', async () => {
    const matcher = { match: () => Promise.reject(new Error('must not be called')) };
    await expect(identifyPalm(matcher, POLICY, N, template.slice(1), 0)).rejects.toThrow(/512/);
    await expect(
      identifyPalm(matcher, { ...POLICY, stepUpFpir: 1e-6 }, N, template, 0),
    ).rejects.toThrow(/stepUpFpir/);
  });

  it('passes the matcher’s error on, and still wipes the probe', async () => {
    let sent: Int8Array | null = null;
    const matcher = {
      match: (probe: Int8Array) => {
        sent = probe;
        return Promise.reject(new Error('palm matcher is not ready'));
      },
    };
    await expect(identifyPalm(matcher, POLICY, N, template, 0)).rejects.toThrow('not ready');
    expect(Array.from(sent!).every((x) => x === 0)).toBe(true);
  });
});
