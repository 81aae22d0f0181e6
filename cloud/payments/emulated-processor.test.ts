import { describe, expect, it } from 'vitest';
import { demoCard } from '../demo-shoppers';
import { EmulatedProcessor, IdempotencyKeyReused } from './emulated-processor';
import { chargeSafely, refundSafely, type ChargeRequest, type PaymentProcessor } from './processor';

const req = (token: string, key = 'pay-00000001', amount = 1234): ChargeRequest => ({
  idempotencyKey: key,
  cardToken: token,
  amount: { amount, currency: 'USD' },
  description: 'test',
  metadata: { storeId: 's', saleId: 'sale', customerRef: 'cus_x' },
});

describe('EmulatedProcessor', () => {
  it('answers each demo card behaviour', async () => {
    const p = new EmulatedProcessor();
    expect((await p.charge(req(demoCard(1).token, 'k-approve'))).status).toBe('approved');
    expect(await p.charge(req(demoCard(7).token, 'k-decline'))).toMatchObject({
      status: 'declined',
      reason: 'CARD_DECLINED',
    });
    expect(await p.charge(req(demoCard(13).token, 'k-funds'))).toMatchObject({
      status: 'declined',
      reason: 'INSUFFICIENT_FUNDS',
    });
    expect((await p.charge(req(demoCard(21).token, 'k-down'))).status).toBe('unavailable');
    expect((await p.charge(req('tok_visa', 'k-unknown'))).status).toBe('declined');
    expect(p.charges).toHaveLength(1);
  });

  it('charges an idempotency key once and answers repeats with the first result', async () => {
    const p = new EmulatedProcessor();
    const first = await p.charge(req(demoCard(2).token, 'k-1'));
    const again = await p.charge(req(demoCard(2).token, 'k-1'));
    expect(again).toEqual(first);
    expect(p.charges).toHaveLength(1);
    expect(p.calls).toBe(2);
    await expect(p.charge(req(demoCard(2).token, 'k-1', 999))).rejects.toThrow(
      IdempotencyKeyReused,
    );
    const other = await p.charge(req(demoCard(2).token, 'k-2'));
    if (first.status !== 'approved' || other.status !== 'approved') throw new Error('not approved');
    expect(other.authCode).not.toBe(first.authCode);
    expect(p.charges.map((c) => c.idempotencyKey)).toEqual(['k-1', 'k-2']);
  });

  it('chargeSafely turns a throwing or silent processor into unavailable', async () => {
    const throwing: PaymentProcessor = {
      name: 'x',
      charge: () => Promise.reject(new Error('socket hang up')),
      refund: () => Promise.reject(new Error('socket hang up')),
    };
    expect(await chargeSafely(throwing, req('t'))).toEqual({
      status: 'unavailable',
      message: 'socket hang up',
    });
    const silent: PaymentProcessor = {
      name: 'y',
      charge: () => new Promise(() => {}),
      refund: () => new Promise(() => {}),
    };
    expect((await chargeSafely(silent, req('t'), 20)).status).toBe('unavailable');
  });

  it('refunds a charge once per key, never more than the charge has left', async () => {
    const p = new EmulatedProcessor();
    const charge = req(demoCard(2).token, 'k-9');
    expect((await p.charge(charge)).status).toBe('approved');
    const amount = charge.amount;
    const part = { amount: 300, currency: amount.currency };
    const r1 = { idempotencyKey: 'rf-1', chargeKey: 'k-9', amount: part, reason: 'x' };
    const first = await p.refund(r1);
    expect(first.status).toBe('refunded');
    expect(await p.refund(r1)).toEqual(first);
    const rest = { amount: amount.amount - 300, currency: amount.currency };
    const tooMuch = { ...r1, idempotencyKey: 'rf-2', amount: { ...rest, amount: rest.amount + 1 } };
    expect((await p.refund(tooMuch)).status).toBe('refused');
    expect((await p.refund({ ...r1, idempotencyKey: 'rf-3', amount: rest })).status).toBe(
      'refunded',
    );
    expect((await p.refund({ ...r1, idempotencyKey: 'rf-4', chargeKey: 'nope' })).status).toBe(
      'refused',
    );
    await expect(p.refund({ ...r1, amount: rest })).rejects.toThrow(/other parameters/);
    expect(p.refunds.map((r) => r.amount)).toEqual([300, rest.amount]);
    const down: PaymentProcessor = {
      name: 'z',
      charge: () => Promise.reject(new Error('down')),
      refund: () => Promise.reject(new Error('down')),
    };
    expect(await refundSafely(down, r1)).toEqual({ status: 'unavailable', message: 'down' });
  });
});
