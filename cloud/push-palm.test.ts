import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PalmTender, Sale } from '../common/sale';
import type { PaymentOutcome } from '../common/sync/payments';
import { demoCard, demoPopulation, demoShopper, demoTemplateId } from './demo-shoppers';
import { renderDashboard, type StoreOverview } from './dashboard';
import { EmulatedProcessor } from './payments/emulated-processor';
import type { PaymentProcessor } from './payments/processor';
import { LEASE_MS } from './payments/records';
import { paymentServices } from './payments/services';
import { STORED_CHARGE_GIVE_UP_MS, settleStoredCharges } from './payments/settle';
import { TestScanner, giveDemoPolicy, paymentRequest } from './payments/testing';
import {
  TestTerminal,
  laneSale,
  ledger,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Palm money in push: a sale's palm tender must be a payment the cloud approved (or a stored
 * one whose payment.stored follows, authorized then with the online checks). A lane that
 * claims a palm payment the cloud never approved sells nothing.
 */
const STORE = 'palm-push';
const population = demoPopulation();
const processor = new EmulatedProcessor();
/** The emulated processor, or "down" for everyone while `outage` is set. */
let outage = false;
const services = paymentServices({
  processor: {
    name: 'test',
    charge: (req) =>
      outage
        ? Promise.resolve({ status: 'unavailable', message: 'outage' })
        : processor.charge(req),
    refund: (req) => processor.refund(req),
  } satisfies PaymentProcessor,
  demoShoppers: { storeId: STORE, count: 100 },
});
let cloud: TestCloud;
let lane: TestTerminal;
let otherLane: TestTerminal;
let scanner: TestScanner;

const eligible = Array.from({ length: 100 }, (_, i) => i).filter(
  (i) =>
    demoCard(i).token.startsWith('tok_emu_approve_') &&
    demoShopper(population, i).limits.perPayment >= 5_000,
);
let next = 0;
const freshShopper = () => eligible[next++]!;

beforeAll(async () => {
  cloud = await startTestCloud({ payments: services });
  await testStore(cloud.db, STORE);
  await giveDemoPolicy(cloud.db, STORE);
  lane = new TestTerminal('lane-palm-push');
  await lane.provision(cloud, STORE);
  otherLane = new TestTerminal('lane-palm-push-2');
  await otherLane.provision(cloud, STORE);
  scanner = await TestScanner.create('EMU-PUSH-1');
  await scanner.approveIn(cloud.db, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

const palmTender = (
  n: number,
  paymentId: string,
  amount: number,
  o: Partial<PalmTender> = {},
): PalmTender => ({
  kind: 'palm',
  amount: { amount, currency: 'USD' },
  paymentId,
  customerRef: demoShopper(population, n).customerRef,
  loyaltyId: demoShopper(population, n).loyaltyId,
  card: null,
  authCode: null,
  stored: true,
  ...o,
});

/** A sale of one exempt line of `amount`, paid by the given palm tender. */
const palmSale = (
  t: TestTerminal,
  amount: number,
  tender: (total: number) => PalmTender,
  id?: string,
): Sale => {
  const s = laneSale(
    t.deviceId,
    'us',
    [{ price: amount, quantity: 1, taxClass: 'exempt' }],
    (total) => [tender(total.amount)],
  );
  return id ? { ...s, id } : s;
};

async function approvedOnline(n: number, amount = 1_250) {
  const req = paymentRequest(n, await scanner.capture(n), { amount });
  const res = await lane.request(cloud, 'POST', '/v1/payments', req);
  const outcome = res.json<PaymentOutcome>();
  if (outcome.status !== 'approved') throw new Error(`not approved: ${res.body}`);
  return { req, outcome };
}

describe('sale.completed with a palm tender paid online', () => {
  it('is applied when it matches the approved payment (id, sale, amount, shopper, auth code)', async () => {
    const n = freshShopper();
    const { req, outcome } = await approvedOnline(n);
    const sale = palmSale(
      lane,
      1_250,
      (a) =>
        palmTender(n, req.paymentId, a, {
          stored: false,
          authCode: outcome.authCode,
          card: outcome.card,
        }),
      req.saleId,
    );
    expect(await lane.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    const t = await cloud.db.query<{ payment_ref: string }>(
      "SELECT payment_ref FROM sale_tenders WHERE store_id = $1 AND sale_id = $2 AND kind = 'palm'",
      [STORE, sale.id],
    );
    expect(t.rows[0]?.payment_ref).toBe(req.paymentId);
  });

  it('a palm tender the cloud never approved is rejected for good and counted nowhere', async () => {
    const n = freshShopper();
    const before = await ledger(cloud.db, STORE);
    const sale = palmSale(lane, 1_250, (a) =>
      palmTender(n, 'pay-never-asked', a, {
        stored: false,
        authCode: 'E1234567',
        card: { brand: 'Visa', last4: '4242' },
      }),
    );
    const r = await lane.pushOne(cloud, 'sale.completed', sale);
    expect(r).toMatchObject({ status: 'rejected' });
    expect(r.status === 'rejected' && r.reason).toMatch(/not approved by the cloud/);
    expect(await ledger(cloud.db, STORE)).toEqual(before);
  });

  it('an approved payment spent on another sale, amount, shopper or lane is rejected', async () => {
    const n = freshShopper();
    const { req, outcome } = await approvedOnline(n, 1_250);
    const tender =
      (o: Partial<PalmTender> = {}) =>
      (a: number) =>
        palmTender(n, req.paymentId, a, {
          stored: false,
          authCode: outcome.authCode,
          card: outcome.card,
          ...o,
        });
    const cases: [TestTerminal, Sale][] = [
      [lane, palmSale(lane, 1_250, tender())], // another sale id
      [lane, palmSale(lane, 2_500, tender(), req.saleId)], // another amount
      [lane, palmSale(lane, 1_250, tender({ customerRef: 'cus_someone_else' }), req.saleId)],
      [lane, palmSale(lane, 1_250, tender({ authCode: 'E0000000' }), req.saleId)],
      [otherLane, palmSale(otherLane, 1_250, tender(), req.saleId)], // another lane
    ];
    for (const [t, sale] of cases) {
      const r = await t.pushOne(cloud, 'sale.completed', sale);
      expect(r.status, JSON.stringify(sale.tenders)).toBe('rejected');
    }
  });

  it('a declined payment does not pay for a sale', async () => {
    const n = 7; // the declining card
    const req = paymentRequest(n, await scanner.capture(n), { amount: 1_000 });
    const res = await lane.request(cloud, 'POST', '/v1/payments', req);
    expect(res.json<PaymentOutcome>().status).toBe('declined');
    const sale = palmSale(
      lane,
      1_000,
      (a) => palmTender(n, req.paymentId, a, { stored: false, authCode: 'E1' }),
      req.saleId,
    );
    expect((await lane.pushOne(cloud, 'sale.completed', sale)).status).toBe('rejected');
  });
});

describe('payment.stored with palm evidence, authorized on sync', () => {
  const stored = async (
    n: number,
    o: {
      capture?: Awaited<ReturnType<TestScanner['capture']>>;
      amount?: number;
      steppedUp?: boolean;
      scanned?: number;
    } = {},
  ) => {
    const amount = o.amount ?? 1_250;
    const paymentId = `pay-st-${Math.random().toString(36).slice(2, 12)}`;
    const sale = palmSale(lane, amount, (a) => palmTender(n, paymentId, a));
    expect(await lane.pushOne(cloud, 'sale.completed', sale)).toMatchObject({ status: 'applied' });
    const payload = {
      paymentId,
      saleId: sale.id,
      method: 'palm',
      amount: { amount, currency: 'USD' },
      storedAt: new Date(Date.parse(sale.completedAt) - 1_000).toISOString(),
      palm: {
        templateId: demoTemplateId(n),
        customerRef: demoShopper(population, n).customerRef,
        capture: o.capture ?? (await scanner.capture(o.scanned ?? n)),
        steppedUp: o.steppedUp ?? false,
      },
    };
    const result = await lane.pushOne(cloud, 'payment.stored', payload);
    const row = await cloud.db.query<{
      status: string;
      reason: string | null;
      customer_ref: string;
    }>(
      'SELECT status, reason, customer_ref FROM payments WHERE store_id = $1 AND payment_id = $2',
      [STORE, paymentId],
    );
    return { paymentId, result, row: row.rows[0] };
  };

  it('charges the card once with the payment id and settles the stored payment', async () => {
    const n = freshShopper();
    const before = processor.charges.length;
    const { paymentId, result, row } = await stored(n);
    expect(result).toMatchObject({ status: 'applied' });
    expect(row?.status).toBe('approved');
    expect(processor.charges.length).toBe(before + 1);
    expect(processor.charges.at(-1)?.idempotencyKey).toBe(paymentId);
    const sp = await cloud.db.query<{ settled_at: Date | null }>(
      'SELECT settled_at FROM stored_payments WHERE store_id = $1 AND payment_id = $2',
      [STORE, paymentId],
    );
    expect(sp.rows[0]?.settled_at).toBeInstanceOf(Date);
  });

  it('a capture of someone else is declined after the fact, naming the shopper to contact', async () => {
    const n = freshShopper();
    const before = processor.charges.length;
    const { result, row } = await stored(n, { scanned: freshShopper() });
    expect(result.status).toBe('rejected');
    expect(result.status === 'rejected' && result.reason).toMatch(
      new RegExp(
        `declined \\(NOT_THIS_SHOPPER\\).*contact the shopper ${demoShopper(population, n).customerRef}`,
      ),
    );
    expect(row).toMatchObject({
      status: 'declined',
      customer_ref: demoShopper(population, n).customerRef,
    });
    expect(processor.charges.length).toBe(before);
    // The manager sees it: the overview (dashboard and admin API) lists it with the ref.
    const overview = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/overview`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    const attention = overview.json<StoreOverview>().palmAttention;
    expect(
      attention.find((a) => a.customerRef === demoShopper(population, n).customerRef),
    ).toMatchObject({
      state: 'declined',
      laneCode: 'L01',
    });
    const html = renderDashboard(overview.json<StoreOverview>(), Date.now(), {
      who: '',
      csrf: 'x',
      trust: new Map(),
      scanners: [],
    });
    expect(html).toContain('stored palm payment declined — contact the shopper');
    expect(html).toContain(demoShopper(population, n).customerRef);
  });

  it('a capture already spent online is CAPTURE_REPLAYED: one pool for online and stored', async () => {
    const n = freshShopper();
    const capture = await scanner.capture(n);
    const req = paymentRequest(n, capture);
    expect(
      (await lane.request(cloud, 'POST', '/v1/payments', req)).json<PaymentOutcome>().status,
    ).toBe('approved');
    const { result } = await stored(n, { capture });
    expect(result.status === 'rejected' && result.reason).toMatch(/CAPTURE_REPLAYED/);
  });

  it('a capture from a scanner the store never approved is never authorized', async () => {
    const n = freshShopper();
    const rogue = await TestScanner.create('EMU-ROGUE-2');
    const { result } = await stored(n, { capture: await rogue.capture(n) });
    expect(result.status === 'rejected' && result.reason).toMatch(/SCANNER_NOT_APPROVED/);
  });

  it('a declining card is declined after the fact', async () => {
    const declined = await stored(7, { amount: 1_000 });
    expect(declined.result.status === 'rejected' && declined.result.reason).toMatch(
      /CARD_DECLINED/,
    );
    expect(declined.row?.status).toBe('declined');
  });

  it('with the processor down it is recorded and waits; the settle job charges it once', async () => {
    const n = freshShopper();
    const before = processor.charges.length;
    outage = true;
    const waiting = await stored(n);
    expect(waiting.result.status).toBe('applied');
    expect(waiting.row?.status).toBe('charging');
    const later = Date.now() + LEASE_MS + 1_000;
    expect(await settleStoredCharges(cloud.db, services, later)).toMatchObject({ waiting: 1 });
    outage = false;
    expect(await settleStoredCharges(cloud.db, services, later + LEASE_MS + 1_000)).toMatchObject({
      approved: 1,
    });
    expect(processor.charges.length).toBe(before + 1);
    expect(await settleStoredCharges(cloud.db, services, later + 3 * LEASE_MS)).toEqual({
      approved: 0,
      declined: 0,
      waiting: 0,
    });
  });

  it('a processor that never comes back declines it after three days, for the manager', async () => {
    const n = freshShopper();
    outage = true;
    const waiting = await stored(n);
    expect(waiting.row?.status).toBe('charging');
    const r = await settleStoredCharges(
      cloud.db,
      services,
      Date.now() + STORED_CHARGE_GIVE_UP_MS + 60_000,
    );
    outage = false;
    expect(r).toMatchObject({ declined: 1 });
    const row = await cloud.db.query<{ status: string; reason: string }>(
      'SELECT status, reason FROM payments WHERE store_id = $1 AND payment_id = $2',
      [STORE, waiting.paymentId],
    );
    expect(row.rows[0]).toMatchObject({ status: 'declined' });
    expect(row.rows[0]?.reason).toMatch(/PROCESSOR_UNAVAILABLE/);
  });

  it('a payment without its palm evidence is rejected', async () => {
    const n = freshShopper();
    const paymentId = 'pay-no-evidence';
    const sale = palmSale(lane, 1_250, (a) => palmTender(n, paymentId, a));
    await lane.pushOne(cloud, 'sale.completed', sale);
    const r = await lane.pushOne(cloud, 'payment.stored', {
      paymentId,
      saleId: sale.id,
      method: 'palm',
      amount: { amount: 1_250, currency: 'USD' },
      storedAt: sale.completedAt,
    });
    expect(r.status === 'rejected' && r.reason).toMatch(/carries its capture/);
  });
});
