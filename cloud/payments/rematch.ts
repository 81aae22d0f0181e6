import { createHash, timingSafeEqual } from 'node:crypto';
import { decide, thresholdFor, thresholds, type MatchPolicy } from '../../common/shard/policy';
import { decline, stepUp, type Finding } from './decline';

/** The matcher's score: the integer dot product of two PT1 templates (policy units). */
export function templateScore(a: Int8Array, b: Int8Array): number {
  if (a.length !== b.length) throw new RangeError('templates differ in length');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The best score of the probe against a shopper's enrolled templates. */
export function bestScore(probe: Int8Array, enrolled: readonly Int8Array[]): number {
  let best = -Infinity;
  for (const t of enrolled) best = Math.max(best, templateScore(probe, t));
  return best;
}

export interface MatchJudgement {
  /** The cloud's own 1:1 score of the signed capture against the claimed shopper. */
  readonly score: number;
  /** Below the store's 1:N accept threshold: the kind of match a probing lane produces. */
  readonly nearThreshold: boolean;
  /** A problem with the match, or null for a clear one. */
  readonly finding: Finding | null;
}

/**
 * Whether the signed capture is the claimed shopper. 1:1 first: the store policy's threshold for
 * one comparison at its accept FPIR (`thresholdFor(tail, 1, acceptFpir)`) — below it the capture
 * is someone else, whatever the lane says. Then the 1:N decision the lane should have made,
 * recomputed with the cloud's own score, the lane's margin over its runner-up (only the lane
 * searched the gallery) and the larger of the lane's gallery and the store's:
 * anything short of a clear accept (thin score, or a runner-up within the margin) needs step-up.
 */
export function judgeMatch(o: {
  readonly policy: MatchPolicy;
  readonly score: number;
  readonly galleryTemplates: number;
  /** The lane's margin over its runner-up (its best minus its second best), null for none. */
  readonly laneMargin: number | null;
}): MatchJudgement {
  const { policy, score } = o;
  const oneToOne = thresholdFor(policy.tail, 1, policy.acceptFpir);
  const n = Math.max(1, o.galleryTemplates);
  const nearThreshold = score < thresholds(policy, n).accept;
  if (score < oneToOne)
    return {
      score,
      nearThreshold,
      finding: decline(
        'NOT_THIS_SHOPPER',
        `the capture scores ${score} against the claimed shopper; 1:1 needs ${Math.ceil(oneToOne)}`,
      ),
    };
  const d = decide(policy, n, {
    templateId: 'claimed',
    score,
    runnerUpScore: o.laneMargin === null ? null : score - o.laneMargin,
  });
  if (d.kind === 'accept') return { score, nearThreshold, finding: null };
  return {
    score,
    nearThreshold,
    finding: stepUp(
      'STEP_UP_REQUIRED',
      d.kind === 'step-up' && d.reason === 'margin'
        ? 'another shopper scored close to this one'
        : `a score of ${score} is thin for a gallery of ${n}`,
    ),
  };
}

/** The step-up digits against the record's salted hash (SHA-256(salt ‖ digits), base64 both). */
export function digitsMatch(
  phoneLast4: { readonly salt: string; readonly hash: string },
  digits: string,
): boolean {
  const want = Buffer.from(phoneLast4.hash, 'base64');
  const got = createHash('sha256')
    .update(Buffer.from(phoneLast4.salt, 'base64'))
    .update(digits, 'ascii')
    .digest();
  return want.length === got.length && timingSafeEqual(want, got);
}
