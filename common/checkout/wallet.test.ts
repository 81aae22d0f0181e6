import { describe, expect, it } from 'vitest';
import { cartTotals } from '../cart';
import { demoWalletCode } from '../wallet/code';
import type { WalletTender } from './ports';
import { CHIPS, COLA, TestLane } from './testing';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const CODE = demoWalletCode('approve', 1);

function walletTender(paymentId: string, amount: number): WalletTender {
  return {
    kind: 'wallet',
    amount: usd(amount),
    paymentId,
    wallet: 'EmuPay',
    codeLast4: CODE.slice(-4),
    authCode: 'W0001',
  };
}

function inSale() {
  const lane = new TestLane().ready();
  lane.add(CHIPS);
  lane.add(COLA);
  return { lane, total: cartTotals(lane.ctx.cart, lane.ctx.tax).total.amount };
}

describe('checkout machine: wallet tender', () => {
  it('a code scanned into the sale pays it: authorize once with the id as key, then commit', () => {
    const { lane, total } = inSale();
    lane.send({ type: 'WALLET_CODE', code: CODE });
    expect(lane.phase).toBe('wallet');
    const req = lane.last('wallet.authorize').request;
    expect(req).toMatchObject({ amount: usd(total), code: CODE, saleId: 'sale-1', paidBefore: [] });
    expect(req.paymentId).toMatch(/^lane0001w/);
    // While it is asked, the code is never on disk: the draft names the attempt only.
    const draft = lane.last('draft.save').draft;
    expect(draft.pendingWalletPaymentId).toBe(req.paymentId);
    expect(JSON.stringify(draft)).not.toContain(CODE);
    lane.send({
      type: 'WALLET_AUTHORIZED',
      paymentId: req.paymentId,
      result: { kind: 'approved', tender: walletTender(req.paymentId, total) },
    });
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders).toEqual([walletTender(req.paymentId, total)]);
    expect(lane.ctx.wallet.code).toBeNull();
  });

  it('a product-looking code at the wallet panel is not sent', () => {
    const { lane } = inSale();
    lane.send({ type: 'PAY_WALLET' });
    lane.send({ type: 'WALLET_CODE', code: '4006381333931' });
    expect(lane.ctx.wallet.notice).toBe('not-a-code');
    expect(lane.count('wallet.authorize')).toBe(0);
  });

  it('offline, a declined, expired or reused code: the reason, the other tenders, a fresh code', () => {
    const { lane, total } = inSale();
    lane.send({ type: 'PAY_WALLET' });
    for (const reason of ['WALLET_OFFLINE', 'WALLET_CODE_EXPIRED', 'WALLET_CODE_REUSED']) {
      lane.send({ type: 'WALLET_CODE', code: CODE });
      const { paymentId } = lane.last('wallet.authorize').request;
      lane.send({
        type: 'WALLET_AUTHORIZED',
        paymentId,
        result:
          reason === 'WALLET_OFFLINE'
            ? { kind: 'refused-offline', reason }
            : { kind: 'declined', reason },
      });
      expect(lane.snapshot.value).toEqual({ tender: { wallet: 'failed' } });
      expect(lane.ctx.wallet.reason).toBe(reason);
      expect(lane.ctx.wallet.code).toBeNull();
      expect(lane.snapshot.can({ type: 'PAY_CASH' })).toBe(true);
      expect(lane.snapshot.can({ type: 'PAY_CARD' })).toBe(true);
    }
    // Each fresh scan is a new attempt with a new key.
    const ids = lane.log.flatMap((c) =>
      c.type === 'wallet.authorize' ? [c.request.paymentId] : [],
    );
    expect(new Set(ids).size).toBe(3);
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_GIVEN', given: usd(total) });
    expect(lane.phase).toBe('committing');
  });

  it('a lost answer is asked again with the same key and code; leaving settles it first', () => {
    const { lane, total } = inSale();
    lane.send({ type: 'WALLET_CODE', code: CODE });
    const { paymentId } = lane.last('wallet.authorize').request;
    lane.send({
      type: 'WALLET_AUTHORIZE_FAILED',
      paymentId,
      problem: { code: 'NETWORK', message: '' },
    });
    expect(lane.snapshot.value).toEqual({ tender: { wallet: 'unresolved' } });
    lane.send({ type: 'WALLET_RETRY' });
    expect(lane.count('wallet.authorize')).toBe(2);
    expect(lane.last('wallet.authorize').request).toMatchObject({ paymentId, code: CODE });
    lane.send({
      type: 'WALLET_AUTHORIZE_FAILED',
      paymentId,
      problem: { code: 'NETWORK', message: '' },
    });
    // The cashier takes cash instead: the attempt is settled at the cloud first…
    lane.send({ type: 'PAY_CASH' });
    expect(lane.last('wallet.cancel')).toEqual({ type: 'wallet.cancel', paymentId });
    expect(lane.phase).toBe('wallet');
    // …and it turns out the wallet had paid: the sale completes with it, never a second tender.
    lane.send({
      type: 'WALLET_CANCELLED',
      paymentId,
      result: { kind: 'approved', tender: walletTender(paymentId, total) },
    });
    expect(lane.phase).toBe('committing');
    expect(lane.last('sale.commit').tenders.map((t) => t.kind)).toEqual(['wallet']);
  });

  it('cancelled at the cloud, it goes where the cashier asked', () => {
    const { lane } = inSale();
    lane.send({ type: 'WALLET_CODE', code: CODE });
    const { paymentId } = lane.last('wallet.authorize').request;
    lane.send({ type: 'BACK' });
    lane.send({ type: 'PAY_CARD' });
    lane.send({ type: 'WALLET_CANCELLED', paymentId, result: { kind: 'cancelled' } });
    expect(lane.phase).toBe('card');
    expect(lane.ctx.wallet.payment?.open).toBe(false);
  });

  it('after a reload with an attempt in flight, settles it before anything else', () => {
    const { lane } = inSale();
    lane.send({ type: 'WALLET_CODE', code: CODE });
    const draft = lane.last('draft.save').draft;
    const reloaded = new TestLane();
    reloaded.send({ type: 'DRAFT_LOADED', draft });
    expect(reloaded.snapshot.value).toEqual({ tender: { wallet: 'cancelling' } });
    expect(reloaded.last('wallet.cancel').paymentId).toBe(draft.pendingWalletPaymentId);
  });

  it('pays the rest of a split sale: the authorization asks for what is left, naming the parts', () => {
    const { lane, total } = inSale();
    lane.send({ type: 'PAY_CASH' });
    lane.send({ type: 'CASH_PART', given: usd(200) });
    lane.send({ type: 'PAY_WALLET' });
    lane.send({ type: 'WALLET_CODE', code: CODE });
    const req = lane.last('wallet.authorize').request;
    expect(req.amount).toEqual(usd(total - 200));
    expect(req.paidBefore).toHaveLength(1);
    lane.send({
      type: 'WALLET_AUTHORIZED',
      paymentId: req.paymentId,
      result: { kind: 'approved', tender: walletTender(req.paymentId, total) },
    });
    // Approved for the whole sale although only the rest was due: never committed.
    expect(lane.ctx.wallet.reason).toBe('AMOUNT_MISMATCH');
    expect(lane.count('sale.commit')).toBe(0);
  });

  it('a live card payment is cancelled and confirmed over before the wallet tender starts', () => {
    const { lane } = inSale();
    lane.send({ type: 'PAY_CARD' });
    lane.cardUpdate('waiting-for-card');
    lane.send({ type: 'PAY_WALLET' });
    expect(lane.card).toBe('cancelling');
    lane.cardUpdate('cancelled');
    expect(lane.phase).toBe('wallet');
  });
});
