import { createHash } from 'node:crypto';
import { emulatedWalletBehaviour } from '../../common/wallet/code';
import type { WalletAdapter, WalletChargeRequest, WalletChargeResult } from './adapter';

/**
 * A wallet provider in memory with deterministic codes (common/wallet/code.ts): the code's third
 * digit says whether it approves, declines, lacks funds, has expired or was used already. Like a
 * real provider it keeps each idempotency key's first result (a retry is answered, never charged
 * again) and refuses a code it has charged once. `cancel` reverses a charge.
 */
export class EmulatedWallet implements WalletAdapter {
  readonly name = 'EmuPay';
  private readonly results = new Map<string, { code: string; result: WalletChargeResult }>();
  private readonly charged = new Set<string>();
  /** Charges standing (not reversed), in order: what a test counts to prove "one charge". */
  readonly charges: { idempotencyKey: string; amount: number; currency: string }[] = [];
  readonly reversed: string[] = [];
  /** Charge calls made, repeats included. */
  calls = 0;

  async charge(req: WalletChargeRequest): Promise<WalletChargeResult> {
    this.calls++;
    const earlier = this.results.get(req.idempotencyKey);
    if (earlier) {
      if (earlier.code !== req.code) throw new Error(`key ${req.idempotencyKey} reused`);
      return earlier.result;
    }
    const result = this.decide(req);
    this.results.set(req.idempotencyKey, { code: req.code, result });
    if (result.status === 'approved') {
      this.charged.add(req.code);
      this.charges.push({
        idempotencyKey: req.idempotencyKey,
        amount: req.amount.amount,
        currency: req.amount.currency,
      });
    }
    return result;
  }

  async cancel(idempotencyKey: string): Promise<void> {
    const i = this.charges.findIndex((c) => c.idempotencyKey === idempotencyKey);
    if (i >= 0) {
      this.charges.splice(i, 1);
      this.reversed.push(idempotencyKey);
    }
    // A cancelled key is answered "cancelled" from now on, as a provider does.
    this.results.set(idempotencyKey, {
      code: this.results.get(idempotencyKey)?.code ?? '',
      result: { status: 'declined', reason: 'WALLET_DECLINED', message: 'cancelled' },
    });
  }

  private decide(req: WalletChargeRequest): WalletChargeResult {
    if (!(req.amount.amount > 0))
      return { status: 'declined', reason: 'WALLET_DECLINED', message: 'amount must be positive' };
    if (this.charged.has(req.code))
      return { status: 'declined', reason: 'WALLET_CODE_REUSED', message: 'code already used' };
    switch (emulatedWalletBehaviour(req.code)) {
      case 'approve': {
        const h = createHash('sha256').update(`emuwallet|${req.idempotencyKey}`).digest('hex');
        return { status: 'approved', transactionId: `EMU${h.slice(0, 12).toUpperCase()}` };
      }
      case 'decline':
        return { status: 'declined', reason: 'WALLET_DECLINED', message: 'the wallet declined' };
      case 'insufficient-funds':
        return {
          status: 'declined',
          reason: 'WALLET_INSUFFICIENT_FUNDS',
          message: 'the wallet balance is too low',
        };
      case 'expired':
        return { status: 'declined', reason: 'WALLET_CODE_EXPIRED', message: 'the code expired' };
      case 'used':
        return { status: 'declined', reason: 'WALLET_CODE_REUSED', message: 'code already used' };
    }
  }
}
