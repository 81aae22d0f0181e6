import { describe, expect, it } from 'vitest';
import type { PalmAuthorizeRequest } from '../../../common/checkout/ports';
import { addProduct, cartTotals, emptyCart } from '../../../common/cart';
import { CAPTURE, CHIPS, POLICY, US } from '../../../common/checkout/testing';
import type {
  PaymentCancelOutcome,
  PaymentOutcome,
  PaymentRequest,
} from '../../../common/sync/payments';
import { paymentRequestSchema } from '../../../common/sync/payments';
import { MUTATION_PAYLOADS } from '../../../common/sync/protocol';
import type { MatchResult, ShopperInfo } from '../matcher/protocol';
import { DEFAULT_OFFLINE_LIMITS } from './offline-limits';
import { CloudUnreachable, createPalmPorts, type PaymentCloud } from './palm-ports';

const SHOPPER: ShopperInfo = {
  customerRef: 'cus_17',
  loyaltyId: 'LOY-17',
  ageVerified: true,
  limits: { currency: 'USD', perPayment: 5_000, perDay: 8_000 },
};
const cart = addProduct(emptyCart('USD'), CHIPS, 'l1', 2);
const due = cartTotals(cart, US.tax).total;

/** A world of fakes: a matcher worker, a payment cloud that records what it was sent. */
function world(
  o: {
    cloud?: Partial<PaymentCloud>;
    online?: boolean;
    unsettled?: number;
    today?: Record<string, number>;
  } = {},
) {
  const reads = { figures: 0, cloudPrepared: 0 };
  const probes: Int8Array[] = [];
  const stepUps: string[] = [];
  const sent: PaymentRequest[] = [];
  const cancels: string[] = [];
  const reply: MatchResult = {
    templateId: 'demo-palm-17',
    score: 400_000,
    runnerUpScore: 250_000,
    shopper: SHOPPER,
    exact: true,
  };
  const approve = (req: PaymentRequest): PaymentOutcome => ({
    status: 'approved',
    paymentId: req.paymentId,
    amount: req.amount,
    authCode: 'P12345',
    card: { brand: 'Mastercard', last4: '0017' },
    shopper: { customerRef: 'cus_17', loyaltyId: 'LOY-17', ageVerified: true },
  });
  const cloud: PaymentCloud = {
    prepare: () => void reads.cloudPrepared++,
    pay: async (req) => {
      sent.push(req);
      return (o.cloud?.pay ?? (async (r: PaymentRequest) => approve(r)))(req);
    },
    cancel: async (id) => {
      cancels.push(id);
      return (
        o.cloud?.cancel ??
        (async (): Promise<PaymentCancelOutcome> => ({ status: 'cancelled', paymentId: id }))
      )(id);
    },
  };
  const ports = createPalmPorts({
    matcher: () => ({
      templates: 2000,
      client: {
        match: async (probe) => {
          probes.push(probe);
          return reply;
        },
        checkStepUp: async (_t, d) => {
          stepUps.push(d);
          return d === '4321';
        },
      },
    }),
    settings: () => ({
      offline: DEFAULT_OFFLINE_LIMITS,
      matcher: { scoreThreshold: 0.8, minMargin: 0.05, policy: POLICY },
    }),
    storeCurrency: () => 'USD',
    cloud,
    laneUnsettled: async () => {
      reads.figures++;
      return o.unsettled ?? 0;
    },
    storedByShopper: async () => new Map(Object.entries(o.today ?? {})),
    online: () => o.online ?? true,
  });
  const request = (over: Partial<PalmAuthorizeRequest> = {}): PalmAuthorizeRequest => ({
    paymentId: 'lane0001-p1',
    saleId: 'sale-1',
    amount: due,
    lines: cart.lines,
    templateId: 'demo-palm-17',
    customerRef: 'cus_17',
    capture: CAPTURE,
    steppedUp: false,
    paidBefore: [],
    ...over,
  });
  return { ports, probes, stepUps, sent, cancels, request, reads };
}

describe('palm ports: match in the worker', () => {
  it('sends the capture’s template as a probe, wipes it, and returns shopper metadata only', async () => {
    const w = world();
    const m = await w.ports.match(CAPTURE);
    expect(m).toEqual({
      outcome: { templateId: 'demo-palm-17', score: 400_000, runnerUpScore: 250_000 },
      galleryTemplates: 2000,
      policy: POLICY,
      shopper: { customerRef: 'cus_17', loyaltyId: 'LOY-17', ageVerified: true },
    });
    expect(w.probes[0]!.every((v) => v === 0)).toBe(true);
  });
});

describe('palm ports: authorize online', () => {
  it('sends a request the cloud’s schema accepts: lines, the signed capture, the match', async () => {
    const w = world();
    await w.ports.match(CAPTURE);
    const r = await w.ports.authorize(w.request());
    const body = paymentRequestSchema.parse(w.sent[0]);
    expect(body).toMatchObject({
      paymentId: 'lane0001-p1',
      saleId: 'sale-1',
      amount: due,
      templateId: 'demo-palm-17',
      capture: { signed: CAPTURE.signed, scannerSerial: CAPTURE.scannerSerial },
      match: { score: 400_000, runnerUpScore: 250_000, galleryTemplates: 2000 },
    });
    expect(body.stepUp).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('"template"'); // the probe travels only signed
    expect(r).toEqual({
      kind: 'approved',
      tender: {
        kind: 'palm',
        amount: due,
        paymentId: 'lane0001-p1',
        customerRef: 'cus_17',
        loyaltyId: 'LOY-17',
        card: { brand: 'Mastercard', last4: '0017' },
        authCode: 'P12345',
        stored: false,
      },
    });
  });

  it('sends step-up digits only after the worker verified them for that template', async () => {
    const w = world();
    await w.ports.match(CAPTURE);
    expect(await w.ports.checkStepUp({ templateId: 'demo-palm-17', digits: '1111' })).toBe(false);
    await w.ports.authorize(w.request({ steppedUp: true }));
    expect(w.sent[0]!.stepUp).toBeUndefined();
    expect(await w.ports.checkStepUp({ templateId: 'demo-palm-17', digits: '4321' })).toBe(true);
    await w.ports.authorize(w.request({ paymentId: 'lane0001-p2', steppedUp: true }));
    expect(w.sent[1]!.stepUp).toEqual({ last4: '4321' });
    // Used once: the next attempt does not carry them.
    await w.ports.authorize(w.request({ paymentId: 'lane0001-p3', steppedUp: true }));
    expect(w.sent[2]!.stepUp).toBeUndefined();
  });

  it('passes the cloud’s step-up and decline on with their reasons', async () => {
    const outcomes: PaymentOutcome[] = [
      { status: 'step-up', paymentId: 'lane0001-p1', reason: 'STEP_UP_REQUIRED' },
      { status: 'declined', paymentId: 'lane0001-p2', reason: 'CARD_DECLINED', message: 'no' },
    ];
    const w = world({ cloud: { pay: async () => outcomes.shift()! } });
    await w.ports.match(CAPTURE);
    expect(await w.ports.authorize(w.request())).toEqual({
      kind: 'step-up',
      reason: 'STEP_UP_REQUIRED',
    });
    expect(await w.ports.authorize(w.request({ paymentId: 'lane0001-p2' }))).toEqual({
      kind: 'declined',
      reason: 'CARD_DECLINED',
    });
  });

  it('a refusal that is not about reachability is an error, never a stored payment', async () => {
    const w = world({
      cloud: {
        pay: async () => {
          throw new Error('HTTP 422 IDEMPOTENCY_MISMATCH');
        },
      },
    });
    await w.ports.match(CAPTURE);
    await expect(w.ports.authorize(w.request())).rejects.toThrow('IDEMPOTENCY_MISMATCH');
  });
});

describe('palm ports: store-and-forward', () => {
  const unreachable = {
    pay: async (): Promise<PaymentOutcome> => {
      throw new CloudUnreachable('no answer within 1500 ms');
    },
  };

  it('no answer in time: stored within the limits, with the evidence the cloud will check', async () => {
    const w = world({ cloud: unreachable });
    await w.ports.match(CAPTURE);
    const r = await w.ports.authorize(w.request());
    expect(r).toEqual({
      kind: 'stored',
      tender: {
        kind: 'palm',
        amount: due,
        paymentId: 'lane0001-p1',
        customerRef: 'cus_17',
        loyaltyId: 'LOY-17',
        card: null,
        authCode: null,
        stored: true,
      },
    });
    if (r.kind !== 'stored') throw new Error('stored');
    const stored = w.ports.storedPayment(r.tender);
    const payload = MUTATION_PAYLOADS['payment.stored'].parse({
      ...stored,
      saleId: 'sale-1',
      storedAt: '2030-01-01T10:00:00.000Z',
    });
    expect(payload.palm).toEqual({
      templateId: 'demo-palm-17',
      customerRef: 'cus_17',
      capture: { signed: CAPTURE.signed, scannerSerial: CAPTURE.scannerSerial },
      steppedUp: false,
    });
  });

  it('offline in the browser: no request at all', async () => {
    const w = world({ online: false });
    await w.ports.match(CAPTURE);
    expect((await w.ports.authorize(w.request())).kind).toBe('stored');
    expect(w.sent).toEqual([]);
  });

  it('over a limit: refused with the reason, nothing stored', async () => {
    const w = world({ online: false, unsettled: 49_900 });
    await w.ports.match(CAPTURE);
    expect(await w.ports.authorize(w.request())).toEqual({
      kind: 'refused-offline',
      reason: 'over-stored-total',
    });
    const big = { amount: 5_001, currency: 'USD' as const };
    expect(await world({ online: false }).ports.authorize(w.request({ amount: big }))).toEqual({
      kind: 'refused-offline',
      reason: 'offline-disabled', // that lane never matched anyone
    });
    const w2 = world({ online: false });
    await w2.ports.match(CAPTURE);
    expect(await w2.ports.authorize(w2.request({ amount: big }))).toEqual({
      kind: 'refused-offline',
      reason: 'over-payment-limit',
    });
  });
});

describe('palm ports: offline figures read while the shopper hovers', () => {
  it('armed offline, the authorization uses the figures read then, and only once', async () => {
    const w = world({ online: false, unsettled: 49_900 });
    w.ports.prepare();
    expect(w.reads.figures).toBe(1);
    await w.ports.match(CAPTURE);
    expect(await w.ports.authorize(w.request())).toEqual({
      kind: 'refused-offline',
      reason: 'over-stored-total',
    });
    expect(w.reads.figures).toBe(1); // nothing read on the payment's path
    await w.ports.authorize(w.request({ paymentId: 'lane0001-p2' }));
    expect(w.reads.figures).toBe(2); // used up: the next one reads for itself
  });

  it('counts the shopper’s stored day from the early figures too', async () => {
    const w = world({ online: false, today: { cus_17: 49_000 } });
    w.ports.prepare();
    await w.ports.match(CAPTURE);
    expect(await w.ports.authorize(w.request())).toEqual({
      kind: 'refused-offline',
      reason: 'over-shopper-daily',
    });
  });

  it('online, arming the scanner reads no figures and lets the cloud port read ahead', () => {
    const w = world({ online: true });
    w.ports.prepare();
    expect(w.reads).toEqual({ figures: 0, cloudPrepared: 1 });
    const off = world({ online: false });
    off.ports.prepare();
    expect(off.reads).toEqual({ figures: 1, cloudPrepared: 0 });
  });
});

describe('palm ports: cancel', () => {
  it('an attempt that never left the lane is cancelled without asking the cloud', async () => {
    const w = world({ online: false, unsettled: 1_000_000 });
    await w.ports.match(CAPTURE);
    await w.ports.authorize(w.request());
    expect(await w.ports.cancelAuthorization({ paymentId: 'lane0001-p1' })).toEqual({
      kind: 'cancelled',
    });
    expect(w.cancels).toEqual([]);
  });

  it('one that was sent is settled by the cloud: an approval found completes the sale', async () => {
    const w = world({
      cloud: {
        pay: async () => {
          throw new Error('HTTP 400');
        },
        cancel: async (id) => ({
          status: 'approved',
          paymentId: id,
          amount: due,
          authCode: 'P9',
          card: { brand: 'Visa', last4: '0018' },
          shopper: { customerRef: 'cus_17', loyaltyId: null, ageVerified: false },
        }),
      },
    });
    await w.ports.match(CAPTURE);
    await expect(w.ports.authorize(w.request())).rejects.toThrow();
    const r = await w.ports.cancelAuthorization({ paymentId: 'lane0001-p1' });
    expect(w.cancels).toEqual(['lane0001-p1']);
    expect(r).toMatchObject({ kind: 'approved', tender: { authCode: 'P9', stored: false } });
    // After a reload the lane knows nothing of it: it asks the cloud.
    await world().ports.cancelAuthorization({ paymentId: 'lane0001-p9' });
  });
});
