import type {
  PalmAuthorization,
  PalmAuthorizeRequest,
  PalmCancelResult,
  PalmMatch,
  PalmPorts,
  StepUpRequest,
} from '../../../common/checkout/ports';
import type { VerifiedCapture } from '../../../common/host/contract';
import type { CurrencyCode } from '../../../common/money';
import type { PalmTender } from '../../../common/sale';
import type {
  PaymentCancelOutcome,
  PaymentOutcome,
  PaymentRequest,
} from '../../../common/sync/payments';
import type { SignedCapture, StoreSettings } from '../../../common/sync/protocol';
import type { StoredPaymentInput } from '../db/sales';
import type { MatcherClient } from '../matcher/client';
import type { ShopperInfo } from '../matcher/protocol';
import { prefilterGuardFor } from '../matcher/search';
import { DEFAULT_OFFLINE_LIMITS, MAX_STORED_AGE_HOURS, offlineRefusal } from './offline-limits';
import { timedPalm } from './timing';

/** The cloud did not answer in time, or not usably: the lane may store the payment instead. */
export class CloudUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudUnreachable';
  }
}

/** The store cloud's payment route (payment-cloud.ts); `pay` throws CloudUnreachable when it cannot tell. */
export interface PaymentCloud {
  /** The scanner was armed: what a payment will need may be read now, while the shopper hovers. */
  prepare?(): void;
  pay(req: PaymentRequest): Promise<PaymentOutcome>;
  cancel(paymentId: string): Promise<PaymentCancelOutcome>;
}

export interface PalmPortsDeps {
  /** The matcher worker when palm pay is ready, with its gallery size; null otherwise. */
  matcher(): {
    readonly client: Pick<MatcherClient, 'match' | 'checkStepUp'>;
    readonly templates: number;
  } | null;
  /** The store's settings as last pulled (decision policy, offline limits); null before any. */
  settings(): Pick<StoreSettings, 'offline' | 'matcher'> | null;
  storeCurrency(): CurrencyCode;
  cloud: PaymentCloud;
  /** What the lane holds in stored payments (stored-payments.ts). */
  laneUnsettled(): Promise<number>;
  /** What this lane stored for each shopper in the 24 h before `now`, by customer ref. */
  storedByShopper(now: number): Promise<ReadonlyMap<string, number>>;
  /** False when the browser knows it is offline: no request is tried, the payment is stored. */
  online(): boolean;
  now?(): number;
}

/** The lane's palm ports, plus what the sale's commit needs for a payment stored offline. */
export interface LanePalmPorts extends PalmPorts {
  /**
   * The scanner is armed for a palm: offline, the limit figures are read now, while the shopper
   * hovers, instead of after the match (they grow with the day's sales). Only this lane's own
   * commits raise them, and none comes between arming the scanner and authorizing its capture;
   * a sync settling stored payments meanwhile only lowers them, so the early figures are never
   * more permissive than fresh ones. Used once, by the next authorization.
   */
  prepare(): void;
  /** The `payment.stored` evidence for a stored tender (its signed capture); throws if unknown. */
  storedPayment(tender: PalmTender): StoredPaymentInput;
}

interface Matched {
  readonly templateId: string;
  readonly score: number;
  readonly runnerUpScore: number | null;
  readonly galleryTemplates: number;
  readonly shopper: ShopperInfo | null;
}

interface Evidence {
  readonly capture: SignedCapture;
  readonly templateId: string;
  readonly customerRef: string | null;
  readonly steppedUp: boolean;
  /** A request went out: only the cloud can say it is over. */
  sent: boolean;
}

/** The store-and-forward limit figures the lane's own tables give (stored-payments.ts). */
interface OfflineFigures {
  readonly laneUnsettled: number;
  readonly byShopper: ReadonlyMap<string, number>;
}

/** Enough for the payment in flight and a few settled before it; never grows with the day. */
const MAX_EVIDENCE = 16;

/**
 * PalmPorts for the lane: the 1:N match and the step-up check in the matcher worker (templates
 * and salted hashes never leave it), authorization through the store cloud with the signed
 * capture, and — when the cloud does not answer within its budget, or the browser is offline —
 * store-and-forward within the store's and the shopper's limits. Holds, in memory only and only
 * until the payment settles, the last match's metadata, the verified step-up digits (the cloud
 * checks them again) and each attempt's signed capture.
 */
export function createPalmPorts(deps: PalmPortsDeps): LanePalmPorts {
  const now = deps.now ?? (() => Date.now());
  let matched: Matched | null = null;
  let verified: { templateId: string; digits: string } | null = null;
  const evidence = new Map<string, Evidence>();
  let prepared: Promise<OfflineFigures> | null = null;
  const readFigures = async (): Promise<OfflineFigures> => {
    const [laneUnsettled, byShopper] = await Promise.all([
      deps.laneUnsettled(),
      deps.storedByShopper(now()),
    ]);
    return { laneUnsettled, byShopper };
  };

  const remember = (paymentId: string, e: Evidence) => {
    evidence.set(paymentId, e);
    if (evidence.size > MAX_EVIDENCE) evidence.delete(evidence.keys().next().value!);
  };

  const approvedTender = (o: Extract<PaymentOutcome, { status: 'approved' }>): PalmTender => ({
    kind: 'palm',
    amount: o.amount,
    paymentId: o.paymentId,
    customerRef: o.shopper.customerRef,
    loyaltyId: o.shopper.loyaltyId,
    card: { brand: o.card.brand, last4: o.card.last4 },
    authCode: o.authCode,
    stored: false,
  });

  const fromOutcome = (o: PaymentOutcome): PalmAuthorization =>
    o.status === 'approved'
      ? { kind: 'approved', tender: approvedTender(o) }
      : o.status === 'step-up'
        ? { kind: 'step-up', reason: o.reason }
        : { kind: 'declined', reason: o.reason };

  async function storeOffline(
    req: PalmAuthorizeRequest,
    who: ShopperInfo | null,
  ): Promise<PalmAuthorization> {
    const store = deps.settings()?.offline ?? DEFAULT_OFFLINE_LIMITS;
    const limits = { ...store, maxAgeHours: Math.min(store.maxAgeHours, MAX_STORED_AGE_HOURS) };
    const ref = req.customerRef;
    const early = prepared;
    prepared = null;
    const figures = await (early ? early.catch(readFigures) : readFigures());
    const reason = offlineRefusal({
      amount: req.amount,
      storeCurrency: deps.storeCurrency(),
      limits,
      shopperLimits: ref && who ? who.limits : null,
      laneUnsettled: figures.laneUnsettled,
      shopperToday: ref ? (figures.byShopper.get(ref) ?? 0) : 0,
    });
    if (reason || !ref) return { kind: 'refused-offline', reason: reason ?? 'offline-disabled' };
    return {
      kind: 'stored',
      tender: {
        kind: 'palm',
        amount: req.amount,
        paymentId: req.paymentId,
        customerRef: ref,
        loyaltyId: who?.loyaltyId ?? null,
        card: null,
        authCode: null,
        stored: true,
      },
    };
  }

  async function authorize(req: PalmAuthorizeRequest): Promise<PalmAuthorization> {
    const who = matched?.templateId === req.templateId ? matched : null;
    const last4 = req.steppedUp && verified?.templateId === req.templateId ? verified.digits : null;
    const capture = { signed: req.capture.signed, scannerSerial: req.capture.scannerSerial };
    const e: Evidence = {
      capture,
      templateId: req.templateId,
      customerRef: req.customerRef,
      steppedUp: req.steppedUp,
      sent: false,
    };
    remember(req.paymentId, e);
    if (deps.online() && who) {
      e.sent = true;
      try {
        const outcome = await deps.cloud.pay({
          paymentId: req.paymentId,
          saleId: req.saleId,
          amount: req.amount,
          lines: [...req.lines],
          ...(req.paidBefore.length > 0 ? { paidBefore: [...req.paidBefore] } : {}),
          templateId: req.templateId,
          capture,
          ...(last4 ? { stepUp: { last4 } } : {}),
          match: {
            score: who.score,
            runnerUpScore: who.runnerUpScore,
            galleryTemplates: who.galleryTemplates,
          },
        });
        if (outcome.paymentId !== req.paymentId)
          throw new Error(`the cloud answered for payment ${outcome.paymentId}`);
        verified = null;
        return fromOutcome(outcome);
      } catch (err) {
        if (!(err instanceof CloudUnreachable)) throw err;
      }
    }
    verified = null;
    return storeOffline(req, who?.shopper ?? null);
  }

  return {
    prepare(): void {
      const online = deps.online();
      prepared = online ? null : readFigures();
      prepared?.catch(() => undefined); // read again at authorization if this failed
      if (online) deps.cloud.prepare?.();
    },

    async match(capture: VerifiedCapture): Promise<PalmMatch> {
      const m = deps.matcher();
      if (!m) throw new Error('palm pay is not ready at this lane');
      const policy = deps.settings()?.matcher.policy;
      if (!policy) throw new Error('the store has not sent its palm decision policy');
      const probe = Int8Array.from(capture.template);
      matched = null;
      try {
        const r = await timedPalm('match-start', 'matched', () =>
          m.client.match(probe, prefilterGuardFor(policy, m.templates)),
        );
        if (r.templateId !== null)
          matched = {
            templateId: r.templateId,
            score: r.score,
            runnerUpScore: r.runnerUpScore,
            galleryTemplates: m.templates,
            shopper: r.shopper,
          };
        const s = r.shopper;
        return {
          outcome: { templateId: r.templateId, score: r.score, runnerUpScore: r.runnerUpScore },
          galleryTemplates: m.templates,
          policy,
          shopper: s
            ? { customerRef: s.customerRef, loyaltyId: s.loyaltyId, ageVerified: s.ageVerified }
            : null,
        };
      } finally {
        probe.fill(0); // the probe lives for one decision; the worker wipes its own copy
      }
    },

    async checkStepUp({ templateId, digits }: StepUpRequest): Promise<boolean> {
      const m = deps.matcher();
      if (!m) throw new Error('palm pay is not ready at this lane');
      verified = null;
      const ok = await m.client.checkStepUp(templateId, digits);
      if (ok) verified = { templateId, digits };
      return ok;
    },

    authorize: (req: PalmAuthorizeRequest): Promise<PalmAuthorization> =>
      timedPalm('authorize-start', 'authorized', () => authorize(req)),

    async cancelAuthorization({ paymentId }): Promise<PalmCancelResult> {
      const e = evidence.get(paymentId);
      if (e && !e.sent) {
        evidence.delete(paymentId); // it never left the lane
        return { kind: 'cancelled' };
      }
      const o = await deps.cloud.cancel(paymentId);
      evidence.delete(paymentId);
      if (o.status === 'cancelled') return { kind: 'cancelled' };
      if (o.status === 'approved') return { kind: 'approved', tender: approvedTender(o) };
      // A step-up answer charged nothing either: the attempt is over.
      return { kind: 'declined', reason: o.reason };
    },

    storedPayment(tender: PalmTender): StoredPaymentInput {
      const e = evidence.get(tender.paymentId);
      if (!tender.stored || !e || e.customerRef === null)
        throw new Error(`no stored evidence for palm payment ${tender.paymentId}`);
      // Kept (bounded) rather than taken: a commit that failed is retried with the same tender.
      return {
        paymentId: tender.paymentId,
        method: 'palm',
        amount: tender.amount,
        palm: {
          templateId: e.templateId,
          customerRef: e.customerRef,
          capture: e.capture,
          steppedUp: e.steppedUp,
        },
      };
    },
  };
}
