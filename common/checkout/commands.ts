import type { Cart } from '../cart';
import type { VerifiedCapture } from '../host/contract';
import type { Money } from '../money';
import type { DeclineReason } from '../host/contract';
import type { Sale } from '../sale';
import type { TimerId } from './checkout-events';
import type { PalmAuthorizeRequest, WalletAuthorizeRequest } from './ports';
import type { CheckoutDraft, CheckoutTender } from './types';

/**
 * Side effects the machine asks for, as plain data. The machine never performs them: the
 * renderer's driver runs each through a port and feeds the result back as an event
 * (CARD_UPDATE, PALM_MATCHED, SALE_COMMITTED, …). Commands are returned in the order to run.
 */
export type Command =
  | { readonly type: 'draft.load' }
  | { readonly type: 'draft.save'; readonly draft: CheckoutDraft }
  | { readonly type: 'draft.clear' }
  | { readonly type: 'card.begin'; readonly paymentId: string; readonly amount: Money }
  | { readonly type: 'card.cancel'; readonly paymentId: string }
  | { readonly type: 'card.status'; readonly paymentId: string }
  | {
      readonly type: 'card.recordDecline';
      readonly saleId: string;
      readonly paymentId: string;
      readonly reason: DeclineReason;
      readonly amount: Money;
    }
  | { readonly type: 'scanner.capture'; readonly captureId: number; readonly timeoutMs: number }
  | { readonly type: 'scanner.cancel' }
  | { readonly type: 'palm.match'; readonly captureId: number; readonly capture: VerifiedCapture }
  | {
      readonly type: 'palm.checkStepUp';
      readonly captureId: number;
      readonly templateId: string;
      readonly digits: string;
    }
  | { readonly type: 'palm.authorize'; readonly request: PalmAuthorizeRequest }
  | { readonly type: 'palm.cancelAuthorization'; readonly paymentId: string }
  | { readonly type: 'wallet.authorize'; readonly request: WalletAuthorizeRequest }
  | { readonly type: 'wallet.cancel'; readonly paymentId: string }
  | {
      readonly type: 'sale.commit';
      readonly saleId: string;
      readonly startedAt: string;
      readonly cart: Cart;
      readonly tenders: readonly CheckoutTender[];
      /** Minimum age the cashier confirmed on an ID. */
      readonly ageCheckedFor: number;
      /** Minimum age a palm shopper's age-verified record covered (0: none). */
      readonly palmAgeVerifiedFor: number;
    }
  | { readonly type: 'drawer.open' }
  | { readonly type: 'receipt.print'; readonly sale: Sale }
  | { readonly type: 'sync.nudge' }
  | { readonly type: 'timer.start'; readonly timer: TimerId; readonly ms: number }
  | { readonly type: 'timer.clear'; readonly timer: TimerId };

export type CommandType = Command['type'];
