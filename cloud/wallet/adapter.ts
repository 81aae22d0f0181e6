import { boundedCall } from '../bounded-call';
import type { Money } from '../../common/money';

/**
 * A wallet provider behind the wallet tender (Alipay+, WeChat Pay, Kakao Pay, Naver Pay all
 * work this way at a counter: the merchant "scans the customer's code" and calls the provider's
 * pay API with an out-trade number; on a lost answer it queries or cancels by that number). The
 * cloud talks to wallets only through this interface; `EmulatedWallet` implements it for the
 * demo and tests with deterministic codes (common/wallet/code.ts).
 */
export interface WalletChargeRequest {
  /** The lane's payment id: the same key always yields the first result, never a second charge. */
  readonly idempotencyKey: string;
  /** The shopper's one-time code, passed on to the provider and never stored. */
  readonly code: string;
  readonly amount: Money;
  readonly description: string;
}

export type WalletChargeResult =
  | { readonly status: 'approved'; readonly transactionId: string }
  | {
      readonly status: 'declined';
      readonly reason:
        | 'WALLET_DECLINED'
        | 'WALLET_INSUFFICIENT_FUNDS'
        | 'WALLET_CODE_EXPIRED'
        | 'WALLET_CODE_REUSED';
      readonly message: string;
    }
  /** Not reached, or failed before acting: nothing was charged under this key. */
  | { readonly status: 'unavailable'; readonly message: string };

export interface WalletAdapter {
  /** What the receipt names ("EmuPay"). */
  readonly name: string;
  /** Never throws for a decision; a thrown error is treated as `unavailable`. */
  charge(request: WalletChargeRequest): Promise<WalletChargeResult>;
  /** Gives an attempt up for good: reverses it if it was charged; idempotent. */
  cancel(idempotencyKey: string): Promise<void>;
}

/** Runs a charge so that a throwing or hanging wallet becomes `unavailable`. */
export async function chargeWalletSafely(
  wallet: WalletAdapter,
  request: WalletChargeRequest,
  timeoutMs = 10_000,
): Promise<WalletChargeResult> {
  return boundedCall(() => wallet.charge(request), timeoutMs);
}
