import { describe, expect, it } from 'vitest';
import { cartTotals } from '../../../common/cart';
import { checkoutPhase, cardStep } from '../../../common/checkout/phase';
import type { PalmPorts } from '../../../common/checkout/ports';
import type { Money } from '../../../common/money';
import {
  CAPTURE,
  CHIPS,
  checkoutInput,
  matchFor,
  SHOPPER,
  US,
} from '../../../common/checkout/testing';
import type { CheckoutDraft } from '../../../common/checkout/types';
import { HostError, type CardPaymentUpdate } from '../../../common/host/contract';
import type { Sale } from '../../../common/sale';
import { CheckoutDriver, type CheckoutPorts, type Clock } from './checkout-driver';

/** A lane's ports in memory, recording the order of calls; each promise can be held back. */
function fakeLane(draft: CheckoutDraft | null = null) {
  const calls: string[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const later = <T>(name: string, value: () => T): Promise<T> => {
    calls.push(name);
    return new Promise((resolve, reject) => {
      const settle = () => {
        try {
          resolve(value());
        } catch (e) {
          reject(e);
        }
      };
      if (hold) held.push(settle);
      else queueMicrotask(settle);
    });
  };
  let terminal: CardPaymentUpdate | null = null;
  const ports: CheckoutPorts = {
    loadDraft: () => later('loadDraft', () => draft),
    saveDraft: (d) => later(`saveDraft:${d.cart.lines.length}`, () => undefined),
    clearDraft: () => later('clearDraft', () => undefined),
    commitSale: (c) =>
      later('commitSale', (): Sale => ({
        id: c.saleId,
        receiptNo: 'L01-000001',
        terminalId: 't',
        currency: 'USD',
        locale: 'en-US',
        lines: c.cart.lines,
        totals: cartTotals(c.cart, US.tax),
        tenders: c.tenders.filter((t) => t.kind !== 'palm'),
        ageCheckedFor: c.ageCheckedFor,
        startedAt: c.startedAt,
        completedAt: c.startedAt,
      })),
    recordCardDecline: () => later('recordCardDecline', () => undefined),
    card: {
      begin: (req) =>
        later('card.begin', () => {
          terminal = { paymentId: req.paymentId, state: 'waiting-for-card', amount: req.amount };
          return terminal;
        }),
      cancel: () => later('card.cancel', () => undefined),
      status: () => later('card.status', () => terminal),
    },
    scanner: {
      capture: () =>
        later('scanner.capture', () => {
          throw new HostError('DEVICE_OFFLINE', 'no scanner');
        }),
      cancel: () => later('scanner.cancel', () => undefined),
    },
    openDrawer: () => later('openDrawer', () => 'open'),
    printReceipt: () => later('printReceipt', () => undefined),
    nudgeSync: () => void calls.push('nudgeSync'),
    palm: null,
    report: (m) => void calls.push(`report:${m}`),
  };
  return {
    ports,
    calls,
    setTerminal: (u: CardPaymentUpdate | null) => (terminal = u),
    holdAll: () => (hold = true),
    release: () => {
      hold = false;
      held.splice(0).forEach((f) => f());
    },
  };
}

function fakeClock() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const clock: Clock = {
    setTimeout: (fn, ms) => (timers.set(next, { fn, ms }), next++),
    clearTimeout: (h) => void timers.delete(h as number),
  };
  return {
    clock,
    timers,
    fire: (ms: number) =>
      [...timers].filter(([, t]) => t.ms === ms).forEach(([id, t]) => (timers.delete(id), t.fn())),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('CheckoutDriver', () => {
  it('creates no side effect until started, then loads the draft', async () => {
    const lane = fakeLane();
    const d = new CheckoutDriver(checkoutInput({ palm: null }), lane.ports);
    await flush();
    expect(lane.calls).toEqual([]);
    d.start();
    await flush();
    expect(lane.calls).toEqual(['loadDraft']);
    expect(checkoutPhase(d.getSnapshot())).toBe('scanning');
  });

  it('runs a cash sale: draft writes, then the commit, in order; then drawer and sync', async () => {
    const lane = fakeLane();
    const d = new CheckoutDriver(checkoutInput({ palm: null }), lane.ports);
    let notified = 0;
    d.subscribe(() => notified++);
    d.start();
    await flush();
    lane.holdAll(); // the draft write is slow: the commit must still come after it
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    d.send({ type: 'PAY_CASH' });
    const due = d.getSnapshot().context.due!;
    d.send({ type: 'CASH_GIVEN', given: due });
    await flush();
    expect(lane.calls).toEqual(['loadDraft', 'saveDraft:1']);
    lane.release();
    await flush();
    lane.release();
    await flush();
    expect(lane.calls).toEqual([
      'loadDraft',
      'saveDraft:1',
      'commitSale',
      'nudgeSync',
      'openDrawer',
    ]);
    expect(checkoutPhase(d.getSnapshot())).toBe('receipt');
    expect(notified).toBeGreaterThanOrEqual(4);
  });

  it('maps a host error to its code: a begin never acknowledged is "not responding"', async () => {
    const lane = fakeLane();
    lane.ports.card.begin = () => Promise.reject(new HostError('DEVICE_NOT_RESPONDING', 'no ack'));
    const d = new CheckoutDriver(checkoutInput({ palm: null }), lane.ports);
    d.start();
    await flush();
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    d.send({ type: 'PAY_CARD' });
    await flush();
    expect(cardStep(d.getSnapshot())).toBe('notResponding');
    expect(d.getSnapshot().context.card?.problem?.code).toBe('DEVICE_NOT_RESPONDING');
  });

  it('feeds host card events to the machine and runs the watchdog on the clock', async () => {
    const lane = fakeLane();
    const { clock, timers, fire } = fakeClock();
    const d = new CheckoutDriver(
      checkoutInput({ palm: null, cardWatchdogMs: 1234 }),
      lane.ports,
      clock,
    );
    d.start();
    await flush();
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    d.send({ type: 'PAY_CARD' });
    await flush();
    expect(cardStep(d.getSnapshot())).toBe('inProgress');
    expect([...timers.values()].map((t) => t.ms)).toEqual([1234]);
    const paymentId = d.getSnapshot().context.card!.paymentId;
    d.hostEvent({
      type: 'card',
      update: { paymentId, state: 'processing', amount: d.getSnapshot().context.due! },
    });
    expect(timers.size).toBe(1); // restarted, not doubled
    fire(1234);
    expect(cardStep(d.getSnapshot())).toBe('notResponding');
  });

  it('resumes a card payment after a reload and completes it when it was approved', async () => {
    const first = fakeLane();
    const a = new CheckoutDriver(checkoutInput({ palm: null }), first.ports);
    a.start();
    await flush();
    a.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    a.send({ type: 'PAY_CARD' });
    await flush();
    const snap = a.getSnapshot().context;
    const draft: CheckoutDraft = {
      saleId: snap.saleId,
      startedAt: snap.startedAt,
      cart: snap.cart,
      ageCheckedFor: 0,
      pendingCardPaymentId: snap.card!.paymentId,
    };
    a.dispose();

    const lane = fakeLane(draft);
    lane.setTerminal({
      paymentId: draft.pendingCardPaymentId!,
      state: 'approved',
      amount: snap.due!,
      authCode: 'A00007',
      brand: 'Visa',
      last4: '4242',
    });
    const b = new CheckoutDriver(
      checkoutInput({ palm: null, instanceId: 'reloaded1' }),
      lane.ports,
    );
    b.start();
    await flush();
    await flush();
    expect(lane.calls.slice(0, 3)).toEqual(['loadDraft', 'card.status', 'commitSale']);
    await flush();
    expect(checkoutPhase(b.getSnapshot())).toBe('receipt');
    expect(b.getSnapshot().context.receipt?.sale.tenders[0]).toMatchObject({
      kind: 'card',
      authCode: 'A00007',
    });
  });

  it('drops late results and stops its timers once disposed', async () => {
    const lane = fakeLane();
    const { clock, timers } = fakeClock();
    const d = new CheckoutDriver(checkoutInput({ palm: null }), lane.ports, clock);
    d.start();
    await flush();
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    d.send({ type: 'PAY_CARD' });
    await flush();
    expect(timers.size).toBe(1);
    d.dispose();
    expect(timers.size).toBe(0);
    const before = d.getSnapshot();
    d.send({ type: 'BACK' });
    expect(d.getSnapshot()).toBe(before);
  });

  it('reports a draft that could not be written, and the sale goes on', async () => {
    const lane = fakeLane();
    lane.ports.saveDraft = () => Promise.reject(new Error('quota'));
    const d = new CheckoutDriver(checkoutInput({ palm: null }), lane.ports);
    d.start();
    await flush();
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    await flush();
    expect(lane.calls).toContain('report:draft not saved');
    expect(d.getSnapshot().context.cart.lines).toHaveLength(1);
  });
});

describe('CheckoutDriver: palm audit', () => {
  it('writes the palm decisions of a payment after its sale’s commit, never before it', async () => {
    const lane = fakeLane();
    const audited: string[][] = [];
    const tender = (paymentId: string, amount: Money) => ({
      kind: 'palm' as const,
      amount,
      paymentId,
      customerRef: SHOPPER.customerRef,
      loyaltyId: null,
      card: { brand: 'Visa', last4: '0001' },
      authCode: 'P1',
      stored: false,
    });
    const palm: PalmPorts = {
      match: () => Promise.resolve(matchFor('accept')),
      checkStepUp: () => Promise.resolve(true),
      authorize: (r) =>
        Promise.resolve({ kind: 'approved', tender: tender(r.paymentId, r.amount) }),
      cancelAuthorization: () => Promise.resolve({ kind: 'cancelled' }),
    };
    const ports: CheckoutPorts = {
      ...lane.ports,
      scanner: { capture: () => Promise.resolve(CAPTURE), cancel: () => Promise.resolve() },
      palm,
      auditPalm: async (events) => {
        lane.calls.push(`audit:${events.map((e) => e.kind).join(',')}`);
        audited.push(events.map((e) => e.kind));
      },
    };
    const d = new CheckoutDriver(checkoutInput(), ports);
    d.start();
    await flush();
    d.send({ type: 'ADD_PRODUCT', product: CHIPS, quantity: 1, lineId: 'a' });
    d.send({ type: 'PAY_PALM' });
    for (let i = 0; i < 5; i++) await flush();
    expect(checkoutPhase(d.getSnapshot())).toBe('receipt');
    const commit = lane.calls.indexOf('commitSale');
    const audit = lane.calls.findIndex((c) => c.startsWith('audit:'));
    expect(commit).toBeGreaterThan(0);
    expect(audit).toBeGreaterThan(commit);
    expect(audited.flat()).toEqual(['palm.accept', 'palm.authorized']);
  });
});
