import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale } from '../common/sale';
import type { WalletOutcome, WalletRequest } from '../common/sync/wallet';
import { demoWalletCode } from '../common/wallet/code';
import { EmulatedWallet } from './wallet/emulated-wallet';
import { TestTerminal, startTestCloud, testSale, testStore, type TestCloud } from './testing';

/**
 * POST /v1/wallet-payments from the attacker's side: a lane (or someone with its key) may send
 * anything a signed request can carry, and a shopper's code seen once may be shown again — by a
 * second lane, a photo of the phone, a replayed request. Every refusal charges nothing.
 */
const STORE = 'wallet-s';
const wallet = new EmulatedWallet();
let cloud: TestCloud;
let lane: TestTerminal;
let other: TestTerminal;
let serial = 0;
const code = (b: Parameters<typeof demoWalletCode>[0] = 'approve') => demoWalletCode(b, ++serial);

beforeAll(async () => {
  cloud = await startTestCloud({ payments: { wallet } });
  await testStore(cloud.db, STORE);
  lane = new TestTerminal('lane-wallet');
  await lane.provision(cloud, STORE);
  other = new TestTerminal('lane-wallet-2');
  await other.provision(cloud, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

/** A one-line US sale of `amount` (tax-exempt, so the total is the price) to pay by wallet. */
function request(c: string, o: { amount?: number; paymentId?: string } = {}): WalletRequest {
  const sale = testSale(lane.deviceId, o.amount ?? 1_250);
  return {
    paymentId: o.paymentId ?? `wal-${++serial}-${Math.random().toString(36).slice(2, 10)}`,
    saleId: sale.id,
    amount: sale.totals.total,
    lines: sale.lines,
    code: c,
  };
}
const pay = async (body: unknown, t: TestTerminal = lane) => {
  const res = await t.request(cloud, 'POST', '/v1/wallet-payments', body);
  return { status: res.statusCode, body: res.json<WalletOutcome & { error?: string }>() };
};
const charges = () => wallet.charges.length;

describe('a wallet payment', () => {
  it('is approved once, and a retry of the same request gets the same answer, no second charge', async () => {
    const before = charges();
    const req = request(code());
    const first = await pay(req);
    expect(first.body).toMatchObject({
      status: 'approved',
      paymentId: req.paymentId,
      amount: req.amount,
      wallet: 'EmuPay',
      codeLast4: req.code.slice(-4),
    });
    expect((await pay(req)).body).toEqual(first.body);
    expect(charges()).toBe(before + 1);
  });

  it('the same code shown again, under a new payment id or from another lane, is refused', async () => {
    const c = code();
    expect((await pay(request(c))).body.status).toBe('approved');
    const before = charges();
    const calls = wallet.calls;
    const again = await pay(request(c));
    expect(again.body).toMatchObject({ status: 'declined', reason: 'WALLET_CODE_REUSED' });
    const elsewhere = await pay({ ...request(c), saleId: 'sale-x' }, other);
    expect(elsewhere.body).toMatchObject({ status: 'declined', reason: 'WALLET_CODE_REUSED' });
    expect(charges()).toBe(before);
    // The cloud's own refusal: the wallet is never even asked (a lax wallet would not save us).
    expect(wallet.calls).toBe(calls);
  });

  it('a code refused once (declined, expired) is spent too: it cannot be tried again', async () => {
    const c = code('decline');
    expect((await pay(request(c))).body).toMatchObject({ reason: 'WALLET_DECLINED' });
    expect((await pay(request(c))).body).toMatchObject({ reason: 'WALLET_CODE_REUSED' });
  });

  it('the emulated wallet’s deterministic codes: declined, too low a balance, expired, used', async () => {
    const before = charges();
    const cases = [
      ['decline', 'WALLET_DECLINED'],
      ['insufficient-funds', 'WALLET_INSUFFICIENT_FUNDS'],
      ['expired', 'WALLET_CODE_EXPIRED'],
      ['used', 'WALLET_CODE_REUSED'],
    ] as const;
    for (const [b, reason] of cases)
      expect((await pay(request(code(b)))).body).toMatchObject({ status: 'declined', reason });
    expect(charges()).toBe(before);
  });

  it('charges what the lines come to, never what the lane says; a split pays only the rest', async () => {
    const before = charges();
    const cheap = request(code());
    expect((await pay({ ...cheap, amount: { amount: 1, currency: 'USD' } })).body).toMatchObject({
      reason: 'AMOUNT_MISMATCH',
    });
    const euros = request(code());
    expect(
      (await pay({ ...euros, amount: { amount: 1_250, currency: 'EUR' } })).body,
    ).toMatchObject({ reason: 'CURRENCY_MISMATCH' });
    expect(charges()).toBe(before);
    const cash = { amount: 250, currency: 'USD' as const };
    const split = request(code());
    const r = await pay({
      ...split,
      amount: { amount: 1_000, currency: 'USD' },
      paidBefore: [
        { kind: 'cash', amount: cash, given: cash, change: { amount: 0, currency: 'USD' } },
      ],
    });
    expect(r.body).toMatchObject({ status: 'approved', amount: { amount: 1_000 } });
    expect(charges()).toBe(before + 1);
  });

  it('the same id with another body is 422 IDEMPOTENCY_MISMATCH; a malformed code is 400', async () => {
    const req = request(code());
    await pay(req);
    const before = charges();
    const res = await pay({ ...req, code: code() });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('IDEMPOTENCY_MISMATCH');
    expect((await pay({ ...request(code()), code: '4006381333931' })).status).toBe(400);
    expect(charges()).toBe(before);
  });

  it('needs a signed request from a known lane', async () => {
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/wallet-payments',
      payload: request(code()),
    });
    expect(res.statusCode).toBe(401);
  });

  it('a payment cancelled before it arrives is never charged; a decided one answers its outcome', async () => {
    const req = request(code());
    const cancel = (id: string) =>
      lane.request(cloud, 'POST', `/v1/wallet-payments/${id}/cancel`, {});
    expect((await cancel(req.paymentId)).json()).toEqual({
      status: 'cancelled',
      paymentId: req.paymentId,
    });
    const before = charges();
    expect((await pay(req)).body).toMatchObject({
      status: 'declined',
      reason: 'PAYMENT_CANCELLED',
    });
    expect(charges()).toBe(before);
    const paid = request(code());
    const approved = (await pay(paid)).body;
    expect((await cancel(paid.paymentId)).json()).toEqual(approved);
    // Another lane cannot see or cancel this lane's payment.
    const res = await other.request(
      cloud,
      'POST',
      `/v1/wallet-payments/${paid.paymentId}/cancel`,
      {},
    );
    expect(res.statusCode).toBe(404);
  });

  it('keeps no code: only its hash and the last four digits are in the database', async () => {
    const c = code();
    await pay(request(c));
    const dump = await cloud.db.query<{ t: string }>(
      `SELECT (SELECT json_agg(w)::text FROM wallet_payments w) || (SELECT json_agg(c)::text FROM wallet_codes c) AS t`,
    );
    expect(dump.rows[0]!.t).not.toContain(c);
    expect(dump.rows[0]!.t).toContain(c.slice(-4));
  });
});

describe('a sale paid by wallet in push', () => {
  const walletSale = (o: WalletOutcome & { status: 'approved' }, saleId: string): Sale => {
    const sale = testSale(lane.deviceId, 1_250, saleId);
    return {
      ...sale,
      tenders: [
        {
          kind: 'wallet',
          amount: o.amount,
          paymentId: o.paymentId,
          wallet: o.wallet,
          codeLast4: o.codeLast4,
          authCode: o.authCode,
        },
      ],
    };
  };

  it('counts only a wallet payment the cloud approved for this lane, sale and amount', async () => {
    const req = request(code());
    const o = (await pay(req)).body as WalletOutcome & { status: 'approved' };
    expect(o.status).toBe('approved');
    // Claimed for another sale, or a payment never approved: rejected for good.
    const wrongSale = await lane.pushOne(cloud, 'sale.completed', walletSale(o, 'sale-other'));
    expect(wrongSale).toMatchObject({ status: 'rejected' });
    expect(wrongSale.status === 'rejected' && wrongSale.reason).toMatch(/approved for sale/);
    const made = { ...o, paymentId: 'wal-never-asked', authCode: 'EMUFAKE' };
    const forged = await lane.pushOne(cloud, 'sale.completed', walletSale(made, 'sale-forged'));
    expect(forged.status === 'rejected' && forged.reason).toMatch(/was not approved by the cloud/);
    const ok = await lane.pushOne(cloud, 'sale.completed', walletSale(o, req.saleId));
    expect(ok).toMatchObject({ status: 'applied' });
  });
});
