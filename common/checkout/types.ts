import type { Cart } from '../cart';
import type {
  CardPaymentUpdate,
  ScannerGuidance,
  ScannerState,
  VerifiedCapture,
} from '../host/contract';
import type { CurrencyCode, Money } from '../money';
import type { CashTender, Sale, Tender } from '../sale';
import type { Decision } from '../shard/policy';
import type { TaxPolicy } from '../tax';
import type { PalmShopper, PalmTender, WalletTender } from './ports';

/**
 * Something to tell the cashier: a stable code the UI translates (a DomainErrorCode, a
 * HostErrorCode or a checkout code such as SALE_LOCKED), the values it needs, and an English
 * fallback. Plain data, so snapshots stay serialisable.
 */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number>>;
}

/** What survives a reload: the drafts row, minus its bookkeeping fields. */
export interface CheckoutDraft {
  readonly saleId: string;
  readonly startedAt: string;
  readonly cart: Cart;
  readonly ageCheckedFor: number;
  /** A card payment that may be live at the terminal (or approved and not yet committed). */
  readonly pendingCardPaymentId?: string;
  /** A palm authorization whose outcome the lane did not learn (settled on reload). */
  readonly pendingPalmPaymentId?: string;
  /** A wallet authorization whose outcome the lane did not learn (settled on reload). */
  readonly pendingWalletPaymentId?: string;
  /** Cash already tendered toward this sale (a split tender): kept until the sale commits. */
  readonly paidCash?: readonly CashTender[];
}

/** Palm pay limits for one sale (NIST SP 800-63B §5.2.3 for the failure limit and delay). */
export interface PalmSettings {
  /** Capture timeout sent to the scanner, 500..30000 ms (palm-hid §4). */
  readonly captureTimeoutMs: number;
  /** Biometric failures in a sale before palm pay pauses (5). */
  readonly maxFailures: number;
  /** First pause; each further pause in the same sale doubles it (≥ 30 s per NIST). */
  readonly pauseMs: number;
  /** Step-up attempts (last four phone digits) per sale (3). */
  readonly stepUpTries: number;
}

export const DEFAULT_PALM_SETTINGS: PalmSettings = {
  captureTimeoutMs: 15_000,
  maxFailures: 5,
  pauseMs: 30_000,
  stepUpTries: 3,
};

export interface CheckoutInput {
  /**
   * Random, 8–40 URL-safe characters, fresh per machine instance (per page load). Payment ids
   * are this plus a counter, so the machine mints unique ids without randomness of its own and
   * a reloaded lane can never reuse an id from before the reload.
   */
  readonly instanceId: string;
  readonly currency: CurrencyCode;
  readonly tax: TaxPolicy;
  /** The sale to start when no draft is found. */
  readonly saleId: string;
  readonly startedAt: string;
  readonly cardWatchdogMs: number;
  /** Null: palm pay is not offered at this lane (PAY_PALM is refused). */
  readonly palm: PalmSettings | null;
}

/** One card payment attempt. */
export interface CardAttempt {
  readonly paymentId: string;
  /** The terminal's latest word on it; null until it has acknowledged. */
  readonly update: CardPaymentUpdate | null;
  /**
   * True while the payment may be live at the terminal: from begin until a final state, a
   * refusal to begin, or the terminal saying it never heard of it. While open, the sale can
   * neither change nor be paid another way.
   */
  readonly open: boolean;
  /** Why the attempt stopped without a final state (not responding, refused…). */
  readonly problem: Problem | null;
  /**
   * A begin request is still unanswered: until it is, the terminal saying it has never heard of
   * the payment proves nothing (the begin may still reach it).
   */
  readonly awaitingBegin: boolean;
}

/** What the lane last learned from the scanner or matcher, to show the shopper. */
export type PalmNotice =
  | 'timeout'
  | 'quality'
  | 'liveness'
  | 'not-recognised'
  | 'wrong-digits'
  | 'bad-digits'
  | 'age-not-verified'
  | 'cloud-step-up';

/** Why palm pay is not taking a payment right now; cash and card are highlighted. */
export type PalmFallbackReason =
  | 'scanner-unavailable'
  | 'scanner-untrusted'
  | 'scanner-busy'
  | 'capture-stopped'
  | 'matcher-unavailable'
  | 'step-up-failed'
  | 'declined'
  | 'offline-refused'
  | 'amount-mismatch';

/** Reasons after which palm pay stays off for the rest of the sale. */
export const PALM_BLOCKING: readonly PalmFallbackReason[] = [
  'step-up-failed',
  'declined',
  'amount-mismatch',
];

export interface PalmCandidate {
  readonly templateId: string;
  readonly shopper: PalmShopper | null;
  readonly decision: Decision;
}

export interface PalmContext {
  /** The capture in progress; results for any other id are stale and ignored. */
  readonly captureId: number;
  readonly guidance: ScannerGuidance | null;
  readonly notice: PalmNotice | null;
  /** Biometric failures (no match, liveness) in this sale. */
  readonly failures: number;
  readonly pauses: number;
  /** Until the pause timer fires: palm pay refuses new attempts in this sale. */
  readonly paused: boolean;
  readonly candidate: PalmCandidate | null;
  /** The verified capture, held only from capture to the end of authorization. */
  readonly capture: VerifiedCapture | null;
  readonly stepUpTriesLeft: number;
  /** Bumps on every step-up prompt, so the view lays out a freshly shuffled keypad. */
  readonly stepUpRound: number;
  readonly stepUpPassed: boolean;
  /** The authorization attempt: its id is the idempotency key. */
  readonly payment: { readonly paymentId: string; readonly open: boolean } | null;
  readonly fallback: PalmFallbackReason | null;
  /** Set by a blocking fallback: palm pay is done for this sale. */
  readonly blocked: PalmFallbackReason | null;
  /** Reason code from the cloud (decline, offline refusal) to show. */
  readonly reason: string | null;
}

export type LeaveTarget = 'scanning' | 'cash' | 'card' | 'palm' | 'wallet';

/** Why the wallet tender is waiting or showing a notice. */
export type WalletNotice = 'not-a-code';

export interface WalletContext {
  /** The attempt: its id is the idempotency key; open while its outcome is unknown. */
  readonly payment: { readonly paymentId: string; readonly open: boolean } | null;
  /**
   * The scanned code, held only from the scan to the end of its authorization (a retry after a
   * lost answer sends it again under the same key). Never in the draft: it is a bearer credential.
   */
  readonly code: string | null;
  readonly notice: WalletNotice | null;
  /** Why the last attempt failed (a WALLET_* reason code), shown with the other tenders. */
  readonly reason: string | null;
}

export type CheckoutTender = Tender | PalmTender | WalletTender;

export interface ReceiptContext {
  readonly sale: Sale;
  readonly printed: boolean;
  readonly printProblem: Problem | null;
  readonly drawerProblem: Problem | null;
}

export interface CheckoutContext {
  readonly instanceId: string;
  readonly seq: number;
  readonly currency: CurrencyCode;
  readonly tax: TaxPolicy;
  readonly cardWatchdogMs: number;
  readonly palmSettings: PalmSettings | null;
  readonly saleId: string;
  readonly startedAt: string;
  readonly cart: Cart;
  /** Minimum age the cashier confirmed on an ID. */
  readonly ageCheckedFor: number;
  /** Minimum age a palm shopper's age-verified record covers (AGE_VERIFIED), 0 when none. */
  readonly palmAgeVerifiedFor: number;
  /** The last cart edit that was refused, for the view to explain. */
  readonly cartProblem: Problem | null;
  /**
   * What is still due: fixed when the tender starts (the cart is locked from then on) at the
   * total less the cash already tendered, and lowered by each part payment in cash.
   */
  readonly due: Money | null;
  /**
   * Cash tendered toward the sale before its last tender (split tender: part cash, the rest by
   * card, palm, wallet or more cash). Never gives change: only the tender that settles the sale
   * does, and only cash. Committed with the sale, in order, before the last tender.
   */
  readonly paid: readonly CashTender[];
  /** Cash the cashier must hand back: part payments of a sale that went back to scanning. */
  readonly handBack: Money | null;
  readonly cashProblem: Problem | null;
  readonly card: CardAttempt | null;
  /** Where to go once the tender in flight has settled. */
  readonly leaveTo: LeaveTarget | null;
  readonly scannerState: ScannerState | 'unknown';
  readonly palm: PalmContext;
  readonly wallet: WalletContext;
  /** The tenders being committed (committing, commit failed). */
  readonly tenders: readonly CheckoutTender[] | null;
  readonly commitProblem: Problem | null;
  readonly receipt: ReceiptContext | null;
}
