import type { MatchPolicy, SearchOutcome } from '../shard/policy';
import type { Money } from '../money';
import type { VerifiedCapture } from '../host/contract';
import type { CashTender, PalmTender, WalletTender } from '../sale';
import type { CartLine } from '../cart';

/**
 * The palm branch's ports. The machine's transitions for them are complete and tested; the
 * implementations (matcher worker, step-up check in the worker, the cloud payment route and its
 * offline store-and-forward) are wired by the palm-pay work. Each port resolves with an outcome
 * or rejects for an unexpected failure; a rejection never means "declined".
 */
export interface PalmPorts {
  /** 1:N search of the capture's template in the matcher worker. */
  match(capture: VerifiedCapture): Promise<PalmMatch>;
  /**
   * Step-up: the last four phone digits against the matched record's salted hash, checked in
   * the matcher worker (works offline). Resolves true or false; never reveals the digits.
   */
  checkStepUp(request: StepUpRequest): Promise<boolean>;
  /**
   * Authorize the payment: online through the cloud, or, when the cloud does not answer within
   * its budget, stored on the lane within the store's offline limits. `paymentId` is the
   * idempotency key: the same id always yields the first outcome and never charges twice.
   */
  authorize(request: PalmAuthorizeRequest): Promise<PalmAuthorization>;
  /**
   * Stop an authorization whose outcome the lane does not know (it is leaving the palm tender).
   * Never refunds: when the payment already completed, resolves with that outcome; once it
   * resolves `cancelled`, the cloud never charges this paymentId.
   */
  cancelAuthorization(request: { readonly paymentId: string }): Promise<PalmCancelResult>;
}

/** What the lane may know of a matched shopper: shard record metadata, never a template. */
export interface PalmShopper {
  readonly customerRef: string;
  readonly loyaltyId: string | null;
  readonly ageVerified: boolean;
}

/** The matcher's answer and what the machine needs to decide with common/shard/policy.ts. */
export interface PalmMatch {
  readonly outcome: SearchOutcome;
  /** Templates in the gallery searched (the decision's N). */
  readonly galleryTemplates: number;
  /** The store's policy in force for this search (pulled with the store settings). */
  readonly policy: MatchPolicy;
  /** The best template's shopper; null when the gallery is empty. */
  readonly shopper: PalmShopper | null;
}

export interface StepUpRequest {
  readonly templateId: string;
  /** Exactly four digits. */
  readonly digits: string;
}

export interface PalmAuthorizeRequest {
  readonly paymentId: string;
  readonly saleId: string;
  readonly amount: Money;
  /** The sale's lines as they stand (locked): the cloud re-derives the amount from them. */
  readonly lines: readonly CartLine[];
  readonly templateId: string;
  readonly customerRef: string | null;
  /** The verified (signed) capture travels with the request for the cloud's 1:1 re-match. */
  readonly capture: VerifiedCapture;
  /** Whether the shopper passed step-up on the lane for this capture. */
  readonly steppedUp: boolean;
  /**
   * Cash tendered toward the sale before this payment (split tender): the cloud charges what the
   * lines come to less these, and nothing else. Empty when the palm pays the whole sale.
   */
  readonly paidBefore: readonly CashTender[];
}

export type { PalmTender, WalletTender } from '../sale';

/** A wallet payment to authorize through the store cloud (the driver's wallet port). */
export interface WalletAuthorizeRequest {
  /** The idempotency key: the same id always gets the first outcome, never a second charge. */
  readonly paymentId: string;
  readonly saleId: string;
  readonly amount: Money;
  readonly lines: readonly CartLine[];
  readonly paidBefore: readonly CashTender[];
  /** The one-time code the shopper's wallet showed (common/wallet/code.ts). */
  readonly code: string;
}

export type WalletAuthorization =
  | { readonly kind: 'approved'; readonly tender: WalletTender }
  /** The cloud or the wallet said no; `reason` is the WALLET_* code the lane shows. */
  | { readonly kind: 'declined'; readonly reason: string }
  /** The lane is offline: nothing was sent, so nothing can have been charged. */
  | { readonly kind: 'refused-offline'; readonly reason: 'WALLET_OFFLINE' };

/** The wallet tender's port: the store cloud's wallet route (renderer/src/lane/wallet-cloud.ts). */
export interface WalletPorts {
  /** Resolves with the outcome; rejects only when the answer was lost (the attempt may be live). */
  authorize(request: WalletAuthorizeRequest): Promise<WalletAuthorization>;
  cancel(paymentId: string): Promise<WalletCancelResult>;
}

export type WalletCancelResult =
  { readonly kind: 'cancelled' } | Extract<WalletAuthorization, { kind: 'approved' | 'declined' }>;

/** Why an offline palm payment was refused (the store's store-and-forward limits). */
export type OfflineRefusal =
  'over-payment-limit' | 'over-stored-total' | 'over-shopper-daily' | 'offline-disabled';

export type PalmAuthorization =
  | { readonly kind: 'approved'; readonly tender: PalmTender }
  /** Offline, within limits: stored to forward; the sale completes now. */
  | { readonly kind: 'stored'; readonly tender: PalmTender }
  /** A risk rule or the processor declined; `reason` is the code the lane shows. */
  | { readonly kind: 'declined'; readonly reason: string }
  /** The cloud's risk rules want step-up before charging. */
  | { readonly kind: 'step-up'; readonly reason: string }
  | { readonly kind: 'refused-offline'; readonly reason: OfflineRefusal };

export type PalmCancelResult =
  | { readonly kind: 'cancelled' }
  | Extract<PalmAuthorization, { kind: 'approved' | 'stored' | 'declined' }>;
