import { PT1_SIMILARITY_DIVISOR } from '../../../common/palm/population';
import { checkPolicy, decide, thresholds, type MatchPolicy } from '../../../common/shard/policy';
import type { MatcherClient } from '../matcher/client';
import type { MatchResult, ShopperInfo } from '../matcher/protocol';
import { prefilterGuardFor } from '../matcher/search';

/**
 * "Identify palm" in Settings: one verified capture's template goes to the matcher worker as a
 * probe, and the store's policy (pulled with the store settings, never a constant here) turns
 * the worker's {templateId, score, runnerUpScore} into accept / step-up / no match. Scores are
 * shown as PT1 similarities (dot product / 2^20, about a cosine), as docs/population.md does.
 */
export interface IdentifyView {
  readonly kind: 'accept' | 'step-up' | 'no-match';
  /** The matched template (accept, step-up); for no match, the best one is not named. */
  readonly templateId: string | null;
  /** Step-up only: which of the two tests was thin. */
  readonly reason: 'score' | 'margin' | null;
  readonly similarity: number;
  /** Over the best *other* template; null when the gallery holds one template. */
  readonly margin: number | null;
  /** The thresholds at this gallery size, and the least margin, as similarities. */
  readonly accept: number;
  readonly stepUp: number;
  readonly minMargin: number;
  /** From the capture result reaching the lane to the decision, ms. */
  readonly elapsedMs: number;
  /** Who was identified (accept, step-up): shard record metadata, null for no match. */
  readonly shopper: ShopperInfo | null;
  /** Whether every enrolled row was scored (false: the guarded pre-filter answered). */
  readonly exact: boolean;
}

const sim = (raw: number): number => raw / PT1_SIMILARITY_DIVISOR;

/** The decision and what to show for it. `galleryTemplates` is the worker's template count. */
export function describeIdentification(
  policy: MatchPolicy,
  galleryTemplates: number,
  reply: MatchResult,
  elapsedMs: number,
): IdentifyView {
  const d = decide(policy, galleryTemplates, reply);
  const t = thresholds(policy, galleryTemplates);
  return {
    kind: d.kind,
    templateId: d.kind === 'no-match' ? null : d.templateId,
    reason: d.kind === 'step-up' ? d.reason : null,
    similarity: sim(reply.score),
    margin: reply.runnerUpScore === null ? null : sim(reply.score - reply.runnerUpScore),
    accept: sim(t.accept),
    stepUp: sim(t.stepUp),
    minMargin: sim(policy.margin),
    elapsedMs,
    shopper: d.kind === 'no-match' ? null : reply.shopper,
    exact: reply.exact,
  };
}

/**
 * Sends a capture's template to the matcher and decides. `capturedAt` is when the capture result
 * arrived (performance.now()). The probe copy is wiped once the worker answered; the worker
 * wipes its own.
 */
export async function identifyPalm(
  matcher: Pick<MatcherClient, 'match'>,
  policy: MatchPolicy,
  galleryTemplates: number,
  template: readonly number[],
  capturedAt: number,
  now: () => number = () => performance.now(),
): Promise<IdentifyView> {
  checkPolicy(policy);
  if (template.length !== 512)
    throw new RangeError(`a PT1 template has 512 components (got ${template.length})`);
  const probe = Int8Array.from(template);
  try {
    const reply = await matcher.match(probe, prefilterGuardFor(policy, galleryTemplates));
    const view = describeIdentification(policy, galleryTemplates, reply, 0);
    return { ...view, elapsedMs: now() - capturedAt };
  } finally {
    probe.fill(0);
  }
}
