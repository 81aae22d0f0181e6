import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale } from '../common/sale';
import type { PalmRefundOutcome, PalmRefundRequest } from '../common/sync/palm-refunds';
import type { PaymentOutcome } from '../common/sync/payments';
import { demoCard, demoPopulation, demoShopper } from './demo-shoppers';
import { EmulatedProcessor } from './payments/emulated-processor';
import { TestScanner, giveDemoPolicy, paymentRequest } from './payments/testing';
import {
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  laneSale,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Palm refunds back through the processor, from the attacker's side: a lane (or whoever holds
 * its key) asks the cloud to send money to a card. The cloud holds every refund to what is left
 * of the sale's palm payment, counts refunds it made that no push has recorded yet, refunds once
 * per refund id, and the push accepts a palm refund only if the cloud made it.
 */
const STORE = 'palm-refund';
const population = demoPopulation();
const processor = new EmulatedProcessor();
let cloud: TestCloud;
let lane: TestTerminal;
let scanner: TestScanner;
const eligible = Array.from({ length: 100 }, (_, i) => i).filter(
  (i) =>
    demoCard(i).token.startsWith('tok_emu_approve_') &&
    demoShopper(population, i).limits.perPayment >= 5_000,
);
let next = 0;

beforeAll(async () => {
  cloud = await startTestCloud({
    payments: { processor, demoShoppers: { storeId: STORE, count: 100 } },
  });
  await testStore(cloud.db, STORE, 'us', { staff: true });
  await giveDemoPolicy(cloud.db, STORE);
  lane = new TestTerminal('lane-palm-refund');
  await lane.provision(cloud, STORE);
  scanner = await TestScanner.create('EMU-REFUND-1');
  await scanner.approveIn(cloud.db, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

/** A pushed two-line sale (7.50 + 5.00, tax-exempt) paid online by palm. */
async function palmSale(): Promise<Sale> {
  const n = eligible[next++]!;
  const base = laneSale(lane.deviceId, 'us', [
    { price: 750, quantity: 1, taxClass: 'exempt' },
    { price: 500, quantity: 1, taxClass: 'exempt' },
  ]);
  const req = {
    ...paymentRequest(n, await scanner.capture(n)),
    saleId: base.id,
    lines: base.lines,
  };
  const o = (await lane.request(cloud, 'POST', '/v1/payments', req)).json<PaymentOutcome>();
  if (o.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(o)}`);
  const sale: Sale = {
    ...base,
    tenders: [
      {
        kind: 'palm',
        amount: o.amount,
        paymentId: req.paymentId,
        customerRef: o.shopper.customerRef,
        loyaltyId: o.shopper.loyaltyId,
        card: o.card,
        authCode: o.authCode,
        stored: false,
      },
    ],
  };
  expect(await lane.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
  return sale;
}

let seq = 0;
const refundOf = (sale: Sale, o: Partial<PalmRefundRequest> = {}): PalmRefundRequest => ({
  refundId: `rf-palm-${++seq}-${Math.random().toString(36).slice(2, 8)}`,
  saleId: sale.id,
  amount: { amount: 500, currency: 'USD' },
  lines: [{ lineId: 'l2', quantity: 1 }],
  reason: 'damaged',
  approvedBy: TEST_MANAGER.id,
  ...o,
});
const refund = async (body: unknown) => {
  const res = await lane.request(cloud, 'POST', '/v1/palm-refunds', body);
  return { status: res.statusCode, body: res.json<PalmRefundOutcome & { error?: string }>() };
};
const refunded = () => processor.refunds.length;

describe('a refund of one line of a palm sale', () => {
  it('goes back through the processor once, under its own key, and the push records it', async () => {
    const sale = await palmSale();
    const before = refunded();
    const req = refundOf(sale);
    const r = await refund(req);
    expect(r.body).toMatchObject({ status: 'refunded', refundId: req.refundId });
    expect(await refund(req)).toEqual(r); // a retry after a lost answer: the same, no second refund
    expect(refunded()).toBe(before + 1);
    expect(processor.refunds.at(-1)).toMatchObject({
      idempotencyKey: req.refundId,
      chargeKey: sale.tenders[0]!.kind === 'palm' ? sale.tenders[0]!.paymentId : '',
      amount: 500,
    });
    const processorRef = r.body.status === 'refunded' ? r.body.processorRef : '';
    const pushed = await lane.pushOne(cloud, 'sale.refunded', {
      refundId: req.refundId,
      saleId: sale.id,
      amount: req.amount,
      lines: req.lines,
      tender: 'palm',
      reason: req.reason,
      refundedAt: new Date().toISOString(),
      approvedBy: TEST_MANAGER.id,
      processorRef,
    });
    expect(pushed).toMatchObject({ status: 'applied' });
  });

  it('never more than is left: a second refund of the same line, or the whole sale again, is refused', async () => {
    const sale = await palmSale();
    expect((await refund(refundOf(sale))).body.status).toBe('refunded');
    const before = refunded();
    // Not pushed yet, and still counted: the same line again is over what was sold.
    const again = await refund(refundOf(sale));
    expect(again.body).toMatchObject({ status: 'refused' });
    expect(again.body.status === 'refused' && again.body.message).toMatch(/2 refunded of 1 sold/);
    const whole = await refund(
      refundOf(sale, { amount: { amount: 1_250, currency: 'USD' }, lines: undefined }),
    );
    expect(whole.body.status === 'refused' && whole.body.message).toMatch(/more than the 750 left/);
    // Lines priced below what they cost (a lane paying out less, or more, than the line).
    const cheap = await refund(
      refundOf(sale, {
        amount: { amount: 600, currency: 'USD' },
        lines: [{ lineId: 'l1', quantity: 1 }],
      }),
    );
    expect(cheap.body.status === 'refused' && cheap.body.message).toMatch(/they cost 750/);
    expect(refunded()).toBe(before);
  });

  it('needs an active manager, a sale of this store, and the same body for the same id', async () => {
    const sale = await palmSale();
    const byAttendant = await refund(refundOf(sale, { approvedBy: TEST_ATTENDANT.id }));
    expect(byAttendant.status).toBe(403);
    expect((await refund(refundOf({ ...sale, id: 'no-such-sale' }))).status).toBe(404);
    const req = refundOf(sale);
    await refund(req);
    const other = await refund({
      ...req,
      amount: { amount: 750, currency: 'USD' },
      lines: [{ lineId: 'l1', quantity: 1 }],
    });
    expect(other.status).toBe(422);
  });

  it('a lane cannot push a palm refund the cloud never sent, or another amount than it sent', async () => {
    const sale = await palmSale();
    const claim = (o: Record<string, unknown>) =>
      lane.pushOne(cloud, 'sale.refunded', {
        refundId: `rf-forged-${++seq}`,
        saleId: sale.id,
        amount: { amount: 500, currency: 'USD' },
        lines: [{ lineId: 'l2', quantity: 1 }],
        tender: 'palm',
        reason: 'forged',
        refundedAt: new Date().toISOString(),
        approvedBy: TEST_MANAGER.id,
        processorRef: 're_emu_forged',
        ...o,
      });
    const forged = await claim({});
    expect(forged.status === 'rejected' && forged.reason).toMatch(/the cloud sent no such refund/);
    const req = refundOf(sale);
    const r = await refund(req);
    const ref = r.body.status === 'refunded' ? r.body.processorRef : '';
    const bigger = await claim({
      refundId: req.refundId,
      amount: { amount: 750, currency: 'USD' },
      lines: [{ lineId: 'l1', quantity: 1 }],
      processorRef: ref,
    });
    expect(bigger.status === 'rejected' && bigger.reason).toMatch(/was for 500 USD/);
  });
});
