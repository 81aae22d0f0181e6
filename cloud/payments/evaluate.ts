import { isDeleting } from '../enrolment/deletion';
import type { CartLine } from '../../common/cart';
import type { Money } from '../../common/money';
import type { CashTender } from '../../common/sale';
import type { SignedCapture } from '../../common/sync/protocol';
import type { Queryable } from '../db/types';
import { loadRulesHistory, rulesAt } from '../settings-history';
import { storeSettings } from '../stores';
import { checkAmount } from './amount';
import { openStepUp, spendCapture, verifySignedCapture } from './capture';
import { decline, type Finding } from './decline';
import { bestScore, digitsMatch, judgeMatch } from './rematch';
import { assessRisk } from './risk';
import { riskFacts } from './risk-facts';
import type { EnrolledShopper } from './shoppers';
import type { PaymentServices } from './services';

/** What a palm payment brings for the cloud to judge, online or stored alike. */
export interface PalmEvidence {
  /** Online the shopper is still at the lane; a stored payment is judged after the fact. */
  readonly mode: 'online' | 'stored';
  readonly storeId: string;
  readonly terminalId: string;
  readonly paymentId: string;
  readonly templateId: string;
  readonly capture: SignedCapture;
  readonly amount: Money;
  /** When it was made (ms since 1970): the cloud's clock online, `storedAt` for a stored one. */
  readonly at: number;
  /** The sale's lines (online: the amount is re-derived from them). */
  readonly lines: readonly CartLine[] | null;
  /** Cash tendered before this payment in a split sale (online: the amount is what is left). */
  readonly paidBefore?: readonly CashTender[];
  /**
   * Step-up: online, the digits the shopper typed (checked here against the salted hash);
   * stored, only the lane's word that its worker checked them (it cannot ask again later).
   */
  readonly stepUp: { readonly digits: string } | { readonly laneSays: boolean } | null;
  /** The lane's 1:N search, for the margin and the gallery size (never lowering the store's). */
  readonly laneMatch: {
    readonly score: number;
    readonly runnerUpScore: number | null;
    readonly galleryTemplates: number;
  };
  /** Stored payments name their shopper too: it must be the template's. */
  readonly customerRef: string | null;
}

export type Verdict =
  | {
      readonly kind: 'approve';
      readonly shopper: EnrolledShopper;
      readonly nearThreshold: boolean;
    }
  | {
      readonly kind: 'refuse';
      readonly finding: Finding;
      readonly shopper: EnrolledShopper | null;
      readonly nearThreshold: boolean;
    };

/**
 * design-11's checks 2–5 in order, inside the caller's transaction: the capture (signed by the
 * store's approved key for the serial; spent here, so even a refused attempt uses it up), the
 * amount, the shopper and the 1:1 re-match of the capture's own template, step-up, the risk
 * rules. The first failure is the verdict.
 */
export async function evaluatePalm(
  tx: Queryable,
  svc: PaymentServices,
  e: PalmEvidence,
): Promise<Verdict> {
  const refuse = (
    finding: Finding,
    shopper: EnrolledShopper | null = null,
    nearThreshold = false,
  ): Verdict => ({ kind: 'refuse', finding, shopper, nearThreshold });

  const verified = await verifySignedCapture(tx, e.storeId, e.capture);
  if ('action' in verified) return refuse(verified);
  const capture = verified.result;
  const digits = e.stepUp && 'digits' in e.stepUp ? e.stepUp.digits : null;
  const replayed = await spendCapture(tx, {
    storeId: e.storeId,
    serial: e.capture.scannerSerial,
    result: capture,
    paymentId: e.paymentId,
    templateId: e.templateId,
    continuesStepUp: digits !== null,
  });
  if (replayed) return refuse(replayed);

  const rules = rulesAt(await loadRulesHistory(tx, e.storeId), e.at);
  if (e.lines) {
    const wrongAmount = checkAmount(e.amount, e.lines, rules, e.paidBefore ?? []);
    if (wrongAmount) return refuse(wrongAmount);
  }

  const shopper = await svc.shoppers.find(tx, e.storeId, e.templateId, { lock: true });
  if (!shopper)
    return refuse(
      decline('SHOPPER_UNKNOWN', `no shopper ${e.templateId} is enrolled in this store`),
    );
  // A shopper who asked to be deleted pays by palm no more (a lane that has not pulled the
  // tombstone yet still matches them); their stored payments from before still settle.
  if (e.mode === 'online' && (await isDeleting(tx, e.storeId, e.templateId)))
    return refuse(decline('SHOPPER_UNKNOWN', 'this shopper asked to be deleted'));
  if (e.customerRef !== null && e.customerRef !== shopper.customerRef)
    return refuse(decline('NOT_THIS_SHOPPER', 'the stored payment names another shopper'), shopper);
  const settings = await storeSettings(tx, e.storeId);
  const policy = settings.matcher.policy;
  if (!policy)
    return refuse(decline('NOT_THIS_SHOPPER', 'the store has no match policy, so no palm pay'));

  const enrolled = await svc.shoppers.open(shopper);
  const score = bestScore(capture.template, enrolled);
  for (const t of enrolled) t.fill(0);
  const judged = judgeMatch({
    policy,
    score,
    galleryTemplates: Math.max(
      e.laneMatch.galleryTemplates,
      await svc.shoppers.galleryTemplates(tx, e.storeId),
    ),
    laneMargin:
      e.laneMatch.runnerUpScore === null ? null : e.laneMatch.score - e.laneMatch.runnerUpScore,
  });
  const near = judged.nearThreshold;
  if (judged.finding?.action === 'decline') return refuse(judged.finding, shopper, near);

  let steppedUp = false;
  if (digits !== null) {
    if (!digitsMatch(shopper.phoneLast4, digits))
      return refuse(
        decline('STEP_UP_FAILED', 'the step-up digits do not match the shopper'),
        shopper,
        near,
      );
    steppedUp = true;
  } else if (e.stepUp && 'laneSays' in e.stepUp) steppedUp = e.stepUp.laneSays;

  const risk = assessRisk(
    await riskFacts(tx, {
      storeId: e.storeId,
      terminalId: e.terminalId,
      shopper,
      amount: e.amount,
      at: e.at,
      here: settings.location,
      nearThreshold: near,
    }),
    steppedUp,
  );
  const wanted = risk.decision ?? (judged.finding && !steppedUp ? judged.finding : null);
  if (wanted) {
    // Online, the shopper can still type the digits: this capture may be presented once more.
    if (wanted.action === 'step-up' && e.mode === 'online' && digits === null)
      await openStepUp(tx, e.storeId, e.capture.scannerSerial, capture);
    return refuse(wanted, shopper, near);
  }
  return { kind: 'approve', shopper, nearThreshold: near };
}
