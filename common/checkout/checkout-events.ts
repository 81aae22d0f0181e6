import type { Product } from '../catalog';
import type {
  CardPaymentUpdate,
  ScannerGuidance,
  ScannerState,
  VerifiedCapture,
} from '../host/contract';
import type { Money } from '../money';
import type { Sale } from '../sale';
import type {
  PalmAuthorization,
  PalmCancelResult,
  PalmMatch,
  WalletAuthorization,
  WalletCancelResult,
} from './ports';
import type { CheckoutDraft, Problem } from './types';

/**
 * Everything that can happen to a checkout: the cashier's and shopper's actions, and the
 * results of the commands the machine asked for (each carrying the id it was asked with, so a
 * late answer to an earlier request is recognised and ignored).
 */
export type CheckoutEvent =
  // start-up
  | { readonly type: 'DRAFT_LOADED'; readonly draft: CheckoutDraft | null }
  // the cart (scanning only)
  | {
      readonly type: 'ADD_PRODUCT';
      readonly product: Product;
      readonly quantity: number;
      readonly lineId: string;
    }
  | { readonly type: 'SET_QUANTITY'; readonly lineId: string; readonly quantity: number }
  | { readonly type: 'VOID_LINE'; readonly lineId: string }
  // the age check
  | { readonly type: 'CONFIRM_AGE' }
  | { readonly type: 'REFUSE_AGE' }
  /** A palm shopper's record is age-verified: it covers items up to this minimum age. */
  | { readonly type: 'AGE_VERIFIED'; readonly age: number }
  // tenders
  | { readonly type: 'PAY_CASH' }
  | { readonly type: 'PAY_CARD' }
  | { readonly type: 'PAY_PALM' }
  | { readonly type: 'PAY_WALLET' }
  /** Cancel the tender and go back to the sale. */
  | { readonly type: 'BACK' }
  | { readonly type: 'CASH_GIVEN'; readonly given: Money }
  /** Part of the amount due in cash (0 < given < due); the rest is paid by the next tender. */
  | { readonly type: 'CASH_PART'; readonly given: Money }
  // card
  | { readonly type: 'CARD_UPDATE'; readonly update: CardPaymentUpdate }
  | { readonly type: 'CARD_BEGIN_FAILED'; readonly paymentId: string; readonly problem: Problem }
  /** The cashier presses "Cancel card payment". */
  | { readonly type: 'CARD_CANCEL' }
  | { readonly type: 'CARD_CANCEL_DONE'; readonly paymentId: string }
  | { readonly type: 'CARD_CANCEL_FAILED'; readonly paymentId: string; readonly problem: Problem }
  | {
      readonly type: 'CARD_STATUS';
      readonly paymentId: string;
      readonly update: CardPaymentUpdate | null;
    }
  | { readonly type: 'CARD_STATUS_FAILED'; readonly paymentId: string; readonly problem: Problem }
  | { readonly type: 'CARD_RETRY' }
  | { readonly type: 'TIMER_FIRED'; readonly timer: TimerId }
  // palm
  | { readonly type: 'SCANNER_STATUS'; readonly state: ScannerState }
  | { readonly type: 'PALM_GUIDANCE'; readonly guidance: ScannerGuidance }
  | {
      readonly type: 'PALM_CAPTURED';
      readonly captureId: number;
      readonly capture: VerifiedCapture;
    }
  | { readonly type: 'PALM_CAPTURE_FAILED'; readonly captureId: number; readonly problem: Problem }
  | { readonly type: 'PALM_MATCHED'; readonly captureId: number; readonly match: PalmMatch }
  | { readonly type: 'PALM_MATCH_FAILED'; readonly captureId: number; readonly problem: Problem }
  | { readonly type: 'STEP_UP_ENTERED'; readonly digits: string }
  | { readonly type: 'STEP_UP_CHECKED'; readonly captureId: number; readonly ok: boolean }
  | { readonly type: 'STEP_UP_FAILED'; readonly captureId: number; readonly problem: Problem }
  | {
      readonly type: 'PALM_AUTHORIZED';
      readonly paymentId: string;
      readonly result: PalmAuthorization;
    }
  | {
      readonly type: 'PALM_AUTHORIZE_FAILED';
      readonly paymentId: string;
      readonly problem: Problem;
    }
  | {
      readonly type: 'PALM_CANCELLED';
      readonly paymentId: string;
      readonly result: PalmCancelResult;
    }
  | { readonly type: 'PALM_CANCEL_FAILED'; readonly paymentId: string; readonly problem: Problem }
  /** Try palm again (after a fallback that allows it, or an authorization left unresolved). */
  | { readonly type: 'PALM_RETRY' }
  // wallet
  /** What the lane's barcode scanner read while a wallet code is wanted (or from the sale). */
  | { readonly type: 'WALLET_CODE'; readonly code: string }
  | {
      readonly type: 'WALLET_AUTHORIZED';
      readonly paymentId: string;
      readonly result: WalletAuthorization;
    }
  | {
      readonly type: 'WALLET_AUTHORIZE_FAILED';
      readonly paymentId: string;
      readonly problem: Problem;
    }
  | {
      readonly type: 'WALLET_CANCELLED';
      readonly paymentId: string;
      readonly result: WalletCancelResult;
    }
  | { readonly type: 'WALLET_CANCEL_FAILED'; readonly paymentId: string; readonly problem: Problem }
  /** Ask the cloud again about an attempt whose answer was lost (same key, same code). */
  | { readonly type: 'WALLET_RETRY' }
  // commit and receipt
  | { readonly type: 'SALE_COMMITTED'; readonly sale: Sale }
  | { readonly type: 'COMMIT_FAILED'; readonly problem: Problem }
  | { readonly type: 'COMMIT_RETRY' }
  | { readonly type: 'DRAWER_FAILED'; readonly problem: Problem }
  | { readonly type: 'PRINT' }
  | { readonly type: 'PRINTED' }
  | { readonly type: 'PRINT_FAILED'; readonly problem: Problem }
  | { readonly type: 'NEW_SALE'; readonly saleId: string; readonly startedAt: string }
  /** Sets aside the sale being scanned (a kiosk's abandoned basket); only while scanning. */
  | { readonly type: 'SUSPEND_SALE'; readonly saleId: string; readonly startedAt: string };

export type CheckoutEventType = CheckoutEvent['type'];

/** Timers the machine asks for; the runner fires TIMER_FIRED with the id. */
export type TimerId = 'card-watchdog' | 'palm-pause';
