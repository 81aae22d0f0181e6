import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartTotals } from '../cart';
import { isFinalCardState, type CardPaymentState, type CardPaymentUpdate } from '../host/contract';
import type { Money } from '../money';
import type { Command } from './commands';
import { demoWalletCode } from '../wallet/code';
import { cardInFlight, palmInFlight, walletInFlight } from './context';
import type { CheckoutEvent } from './checkout-events';
import type { PalmAuthorization } from './ports';
import {
  BEER,
  CAPTURE,
  CHIPS,
  COLA,
  checkoutInput,
  matchFor,
  palmTender,
  TestLane,
} from './testing';
import type { CheckoutDraft } from './types';

/**
 * Property tests against a consistent world: a card terminal and a payment cloud that keep
 * their own truth (a final state is final; a cancelled authorization never charges), answer the
 * machine's commands in any order, late, twice or never, act on their own (the customer taps or
 * cancels, the terminal times out), and a page reload that restarts the machine from its draft.
 * From every reachable state and any sequence, the machine must never:
 *  - commit a sale whose tenders do not equal its total, or with money taken that it does not record;
 *  - start a payment while another is live in the world (two tenders in flight);
 *  - change the sale or move to another tender while a payment it began is still live.
 */

type Live = { saleId: string; amount: Money };
interface CardTruth extends Live {
  state: CardPaymentState;
}
interface CloudTruth extends Live {
  outcome: 'pending' | 'approved' | 'stored' | 'declined' | 'step-up' | 'refused' | 'cancelled';
}

const NOT_RESPONDING = { code: 'DEVICE_NOT_RESPONDING', message: 'no ack' };
const CAPTURE_CODES = [
  'CAPTURE_TIMEOUT',
  'QUALITY_TOO_LOW',
  'LIVENESS_FAILED',
  'SENSOR_FAULT',
  'CAPTURE_CANCELLED',
];

class World {
  lane = new TestLane();
  readonly terminal = new Map<string, CardTruth>();
  readonly cloud = new Map<string, CloudTruth>();
  pending: Command[] = [];
  draft: CheckoutDraft | null = null;
  readonly violations: string[] = [];
  private seq = 0;
  private reloads = 0;

  constructor() {
    this.send({ type: 'DRAFT_LOADED', draft: null });
  }

  liveCard = () => [...this.terminal.entries()].filter(([, t]) => !isFinalCardState(t.state));
  livePalm = () => [...this.cloud.entries()].filter(([, t]) => t.outcome === 'pending');
  liveFor = (saleId: string) =>
    [...this.liveCard(), ...this.livePalm()]
      .filter(([, t]) => t.saleId === saleId)
      .map(([id]) => id);

  send(event: CheckoutEvent): void {
    const before = this.lane.snapshot;
    const cmds = this.lane.send(event);
    const after = this.lane.snapshot;
    const b = before.context;
    const a = after.context;
    const left = (from: string) => this.phaseOf(before) === from && this.phaseOf(after) !== from;
    // A sale changes (cart, a new sale) or a tender is left: nothing it began may still be live.
    const entering = this.phaseOf(after);
    // Restoring from the draft into the payment it names is resuming, not leaving it.
    const resuming =
      this.phaseOf(before) === 'loading' &&
      (entering === 'card' || entering === 'palm' || entering === 'wallet');
    if (
      !resuming &&
      (a.cart !== b.cart || a.saleId !== b.saleId || left('card') || left('palm') || left('wallet'))
    ) {
      const live = this.liveFor(b.saleId);
      if (live.length > 0 && entering !== 'committing')
        this.fail(
          `${event.type}: moved to ${entering} / changed the sale with ${live.join(',')} live`,
        );
    }
    if ([cardInFlight(a), palmInFlight(a), walletInFlight(a)].filter(Boolean).length > 1)
      this.fail(`${event.type}: two payments in flight`);
    for (const c of cmds) this.observe(c);
    this.pending.push(...cmds);
  }

  private phaseOf(s: TestLane['snapshot']) {
    const v = s.value;
    if (typeof v === 'object' && 'tender' in v) {
      const t = v.tender;
      return typeof t === 'string' ? t : Object.keys(t)[0]!;
    }
    return typeof v === 'string' ? v : Object.keys(v)[0]!;
  }

  private fail(msg: string) {
    this.violations.push(msg);
  }

  private observe(c: Command): void {
    const ctx = this.lane.ctx;
    if (c.type === 'draft.save') this.draft = c.draft;
    if (c.type === 'draft.clear') this.draft = null;
    if (c.type === 'card.begin' && !this.terminal.has(c.paymentId)) {
      const other = [...this.liveCard(), ...this.livePalm()];
      if (other.length)
        this.fail(`card.begin ${c.paymentId} while ${other.map(([id]) => id)} live`);
    }
    // The wallet's payments live in the same cloud truth as palm ones (pending until decided).
    if (c.type === 'wallet.authorize' && !this.cloud.has(c.request.paymentId)) {
      const other = [...this.liveCard(), ...this.livePalm()];
      if (other.length) this.fail(`wallet.authorize while ${other.map(([id]) => id)} live`);
      this.cloud.set(c.request.paymentId, {
        saleId: ctx.saleId,
        amount: c.request.amount,
        outcome: 'pending',
      });
    }
    if (c.type === 'palm.authorize' && !this.cloud.has(c.request.paymentId)) {
      const other = [...this.liveCard(), ...this.livePalm()];
      if (other.length) this.fail(`palm.authorize while ${other.map(([id]) => id)} live`);
      this.cloud.set(c.request.paymentId, {
        saleId: ctx.saleId,
        amount: c.request.amount,
        outcome: 'pending',
      });
    }
    if (c.type === 'sale.commit') {
      const total = cartTotals(c.cart, ctx.tax).total;
      const paid = c.tenders.reduce((n, t) => n + t.amount.amount, 0);
      if (paid !== total.amount || c.tenders.some((t) => t.amount.currency !== total.currency))
        this.fail(`commit: tenders ${paid} ≠ total ${total.amount}`);
      for (const [i, t] of c.tenders.entries()) {
        if (t.kind === 'cash' && t.given.amount < t.amount.amount)
          this.fail('commit: cash below due');
        // Change only ever from cash, and only from the tender that settles the sale.
        if (t.kind === 'cash' && t.change.amount !== 0 && i !== c.tenders.length - 1)
          this.fail('commit: a part payment gave change');
        if (t.kind === 'card' && this.terminal.get(t.paymentId)?.state !== 'approved')
          this.fail(`commit: card ${t.paymentId} not approved at the terminal`);
        if (
          (t.kind === 'palm' || t.kind === 'wallet') &&
          !['approved', 'stored'].includes(this.cloud.get(t.paymentId)?.outcome ?? '')
        )
          this.fail(`commit: ${t.kind} ${t.paymentId} not charged at the cloud`);
      }
      // Money taken for this sale that the sale does not record would be a double charge.
      const ids = new Set(c.tenders.map((t) => ('paymentId' in t ? t.paymentId : '')));
      for (const [id, t] of this.terminal)
        if (t.saleId === c.saleId && t.state === 'approved' && !ids.has(id))
          this.fail(`commit: card ${id} charged, not recorded`);
      for (const [id, t] of this.cloud)
        if (
          t.saleId === c.saleId &&
          (t.outcome === 'approved' || t.outcome === 'stored') &&
          !ids.has(id)
        )
          this.fail(`commit: palm ${id} charged, not recorded`);
    }
  }

  private update(id: string): CardPaymentUpdate {
    const t = this.terminal.get(id)!;
    const approved = t.state === 'approved';
    return {
      paymentId: id,
      state: t.state,
      amount: t.amount,
      ...(t.state === 'declined' ? { reason: 'insufficient_funds' as const } : {}),
      ...(approved ? { authCode: 'A00001', brand: 'Visa', last4: '4242' } : {}),
    };
  }

  /** One step of the world: the cashier or shopper acts, a device acts, or a command is answered. */
  act(a: number, b: number, v: number): void {
    const kind = a % 10;
    if (kind <= 3 && this.pending.length)
      return this.answer(this.pending.splice(b % this.pending.length, 1)[0]!, v);
    if (kind === 4) return this.terminalActs(b, v);
    if (kind === 5 && v % 8 === 0) return this.reload();
    this.user(b, v);
  }

  private user(b: number, v: number): void {
    const ctx = this.lane.ctx;
    const lines = ctx.cart.lines;
    const line = lines.length ? lines[v % lines.length]! : null;
    const due = ctx.due;
    const events: CheckoutEvent[] = [
      {
        type: 'ADD_PRODUCT',
        product: [CHIPS, COLA, BEER][v % 3]!,
        quantity: v % 5 === 0 ? 0 : (v % 3) + 1,
        lineId: `l${++this.seq}`,
      },
      {
        type: 'SET_QUANTITY',
        lineId: line?.lineId ?? 'none',
        quantity: v % 4 === 0 ? 1000 : (v % 4) + 1,
      },
      { type: 'VOID_LINE', lineId: line?.lineId ?? 'none' },
      { type: 'CONFIRM_AGE' },
      { type: 'REFUSE_AGE' },
      { type: 'AGE_VERIFIED', age: v % 2 ? 21 : 18 },
      { type: 'PAY_CASH' },
      { type: 'PAY_CARD' },
      { type: 'PAY_PALM' },
      { type: 'BACK' },
      {
        type: 'CASH_GIVEN',
        given: { amount: (due?.amount ?? 100) + (v % 3) - 1, currency: v % 7 ? 'USD' : 'EUR' },
      },
      // A part payment in cash: mostly a valid part, sometimes none, all of it or too much.
      {
        type: 'CASH_PART',
        given: {
          amount:
            v % 5 === 0
              ? (due?.amount ?? 100) + (v % 3) - 1
              : Math.floor((due?.amount ?? 100) / 3) || 1,
          currency: v % 11 ? 'USD' : 'EUR',
        },
      },
      { type: 'CARD_CANCEL' },
      { type: 'CARD_RETRY' },
      { type: 'PALM_RETRY' },
      { type: 'PAY_WALLET' },
      { type: 'WALLET_CODE', code: v % 4 === 0 ? '4006381333931' : demoWalletCode('approve', v) },
      { type: 'WALLET_RETRY' },
      { type: 'STEP_UP_ENTERED', digits: v % 5 ? '1234' : '12' },
      { type: 'COMMIT_RETRY' },
      { type: 'NEW_SALE', saleId: `sale-${++this.seq}`, startedAt: '2030-01-01T12:00:00.000Z' },
      { type: 'PRINT' },
      { type: 'TIMER_FIRED', timer: v % 2 ? 'card-watchdog' : 'palm-pause' },
      { type: 'SCANNER_STATUS', state: (['ready', 'absent', 'fault'] as const)[v % 3]! },
      { type: 'PALM_GUIDANCE', guidance: 'HOLD_STILL' },
    ];
    this.send(events[b % events.length]!);
  }

  /** The customer taps a card or presses cancel; the terminal times out. Updates may be lost. */
  private terminalActs(b: number, v: number): void {
    const live = this.liveCard();
    if (!live.length) return;
    const [id, t] = live[b % live.length]!;
    const next: CardPaymentState =
      t.state === 'waiting-for-card'
        ? (['processing', 'cancelled', 'timed-out'] as const)[v % 3]!
        : (['approved', 'declined', 'failed', 'approved'] as const)[v % 4]!;
    t.state = next;
    if (v % 5 !== 0) this.send({ type: 'CARD_UPDATE', update: this.update(id) });
  }

  private answer(c: Command, v: number): void {
    switch (c.type) {
      case 'card.begin': {
        const known = this.terminal.get(c.paymentId);
        if (known) return this.send({ type: 'CARD_UPDATE', update: this.update(c.paymentId) });
        const busy = this.liveCard().length > 0;
        if (busy || v % 6 === 0)
          return this.send({
            type: 'CARD_BEGIN_FAILED',
            paymentId: c.paymentId,
            problem: { code: 'DEVICE_BUSY', message: '' },
          });
        if (v % 6 === 1)
          return this.send({
            type: 'CARD_BEGIN_FAILED',
            paymentId: c.paymentId,
            problem: NOT_RESPONDING,
          });
        this.terminal.set(c.paymentId, {
          saleId: this.lane.ctx.saleId,
          amount: c.amount,
          state: 'waiting-for-card',
        });
        // v % 6 === 2: the terminal took it but its acknowledgement was lost.
        if (v % 6 === 2)
          return this.send({
            type: 'CARD_BEGIN_FAILED',
            paymentId: c.paymentId,
            problem: NOT_RESPONDING,
          });
        return this.send({ type: 'CARD_UPDATE', update: this.update(c.paymentId) });
      }
      case 'card.cancel': {
        const t = this.terminal.get(c.paymentId);
        if (v % 5 === 0)
          return this.send({
            type: 'CARD_CANCEL_FAILED',
            paymentId: c.paymentId,
            problem: NOT_RESPONDING,
          });
        if (!t)
          return this.send({
            type: 'CARD_CANCEL_FAILED',
            paymentId: c.paymentId,
            problem: { code: 'UNKNOWN_PAYMENT', message: '' },
          });
        if (t.state === 'processing')
          return this.send({
            type: 'CARD_CANCEL_FAILED',
            paymentId: c.paymentId,
            problem: { code: 'DEVICE_BUSY', message: '' },
          });
        if (t.state === 'waiting-for-card') {
          t.state = 'cancelled';
          if (v % 2) this.send({ type: 'CARD_UPDATE', update: this.update(c.paymentId) });
        }
        return this.send({ type: 'CARD_CANCEL_DONE', paymentId: c.paymentId });
      }
      case 'card.status':
        if (v % 5 === 0)
          return this.send({
            type: 'CARD_STATUS_FAILED',
            paymentId: c.paymentId,
            problem: NOT_RESPONDING,
          });
        return this.send({
          type: 'CARD_STATUS',
          paymentId: c.paymentId,
          update: this.terminal.has(c.paymentId) ? this.update(c.paymentId) : null,
        });
      case 'scanner.capture':
        if (v % 3 === 0)
          return this.send({ type: 'PALM_CAPTURED', captureId: c.captureId, capture: CAPTURE });
        return this.send({
          type: 'PALM_CAPTURE_FAILED',
          captureId: c.captureId,
          problem: { code: CAPTURE_CODES[v % CAPTURE_CODES.length]!, message: '' },
        });
      case 'palm.match':
        if (v % 7 === 0)
          return this.send({
            type: 'PALM_MATCH_FAILED',
            captureId: c.captureId,
            problem: { code: 'INTERNAL', message: '' },
          });
        return this.send({
          type: 'PALM_MATCHED',
          captureId: c.captureId,
          match: matchFor((['accept', 'step-up', 'no-match'] as const)[v % 3]!, {
            customerRef: 'c1',
            loyaltyId: null,
            ageVerified: v % 2 === 0,
          }),
        });
      case 'palm.checkStepUp':
        return this.send({ type: 'STEP_UP_CHECKED', captureId: c.captureId, ok: v % 2 === 0 });
      case 'palm.authorize':
        return this.authorize(c.request.paymentId, v);
      case 'palm.cancelAuthorization': {
        const t = this.cloud.get(c.paymentId);
        if (!t || v % 5 === 0)
          return this.send({
            type: 'PALM_CANCEL_FAILED',
            paymentId: c.paymentId,
            problem: { code: 'INTERNAL', message: '' },
          });
        if (t.outcome === 'pending') t.outcome = 'cancelled';
        const charged = t.outcome === 'approved' || t.outcome === 'stored';
        return this.send({
          type: 'PALM_CANCELLED',
          paymentId: c.paymentId,
          result: charged
            ? {
                kind: 'approved',
                tender: palmTender(c.paymentId, t.amount, t.outcome === 'stored'),
              }
            : t.outcome === 'declined'
              ? { kind: 'declined', reason: 'risk' }
              : { kind: 'cancelled' },
        });
      }
      case 'wallet.authorize': {
        const id = c.request.paymentId;
        const t = this.cloud.get(id)!;
        if (t.outcome === 'pending' && v % 5 !== 4)
          t.outcome = (['approved', 'declined', 'refused', 'approved'] as const)[v % 4]!;
        if (t.outcome === 'pending' || v % 7 === 5)
          return this.send({
            type: 'WALLET_AUTHORIZE_FAILED',
            paymentId: id,
            problem: { code: 'NETWORK', message: '' },
          });
        return this.send({
          type: 'WALLET_AUTHORIZED',
          paymentId: id,
          result:
            t.outcome === 'approved'
              ? { kind: 'approved', tender: walletTenderOf(id, t.amount) }
              : t.outcome === 'refused'
                ? { kind: 'refused-offline', reason: 'WALLET_OFFLINE' }
                : { kind: 'declined', reason: 'WALLET_CODE_REUSED' },
        });
      }
      case 'wallet.cancel': {
        const t = this.cloud.get(c.paymentId);
        if (!t || v % 5 === 0)
          return this.send({
            type: 'WALLET_CANCEL_FAILED',
            paymentId: c.paymentId,
            problem: { code: 'NETWORK', message: '' },
          });
        if (t.outcome === 'pending') t.outcome = 'cancelled';
        return this.send({
          type: 'WALLET_CANCELLED',
          paymentId: c.paymentId,
          result:
            t.outcome === 'approved'
              ? { kind: 'approved', tender: walletTenderOf(c.paymentId, t.amount) }
              : t.outcome === 'declined'
                ? { kind: 'declined', reason: 'WALLET_DECLINED' }
                : { kind: 'cancelled' },
        });
      }
      case 'sale.commit':
        if (v % 6 === 0)
          return this.send({ type: 'COMMIT_FAILED', problem: { code: 'INTERNAL', message: '' } });
        return this.send({
          type: 'SALE_COMMITTED',
          sale: {
            id: c.saleId,
            receiptNo: 'L01-1',
            terminalId: 't',
            currency: 'USD',
            locale: 'en-US',
            lines: c.cart.lines,
            totals: cartTotals(c.cart, this.lane.ctx.tax),
            tenders: [],
            ageCheckedFor: c.ageCheckedFor,
            startedAt: c.startedAt,
            completedAt: c.startedAt,
          },
        });
      case 'draft.load':
        return this.send({ type: 'DRAFT_LOADED', draft: this.draft });
      default:
        return; // draft writes, timers, drawer, printer, sync: nothing comes back
    }
  }

  private authorize(paymentId: string, v: number): void {
    const t = this.cloud.get(paymentId)!;
    if (t.outcome === 'pending' && v % 7 !== 6)
      t.outcome = (['approved', 'stored', 'declined', 'step-up', 'refused', 'pending'] as const)[
        v % 6
      ]!;
    if (t.outcome === 'pending' || v % 7 === 5)
      return this.send({
        type: 'PALM_AUTHORIZE_FAILED',
        paymentId,
        problem: { code: 'INTERNAL', message: '' },
      });
    const result: PalmAuthorization =
      t.outcome === 'approved' || t.outcome === 'stored'
        ? { kind: t.outcome, tender: palmTender(paymentId, t.amount, t.outcome === 'stored') }
        : t.outcome === 'declined'
          ? { kind: 'declined', reason: 'risk' }
          : t.outcome === 'step-up'
            ? { kind: 'step-up', reason: 'velocity' }
            : t.outcome === 'refused'
              ? { kind: 'refused-offline', reason: 'over-payment-limit' }
              : { kind: 'declined', reason: 'cancelled' };
    this.send({ type: 'PALM_AUTHORIZED', paymentId, result });
  }

  /** The page reloads: a new machine from the saved draft; the devices and cloud live on. */
  private reload(): void {
    this.reloads += 1;
    this.pending = [];
    this.lane = new TestLane(
      checkoutInput({ instanceId: `reload${String(this.reloads).padStart(4, '0')}` }),
    );
    this.send({ type: 'DRAFT_LOADED', draft: this.draft });
  }
}

const walletTenderOf = (paymentId: string, amount: Money) => ({
  kind: 'wallet' as const,
  amount,
  paymentId,
  wallet: 'EmuPay',
  codeLast4: '0001',
  authCode: 'W1',
});

const steps = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), {
  minLength: 40,
  maxLength: 300,
  size: 'max',
});

describe('checkout machine properties', () => {
  // Each run is up to 300 steps; the budget is for a loaded CI machine, not a speed target.
  it(
    'never mis-tenders, never runs two tenders, never leaves a live payment behind',
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(steps, (seq) => {
          const w = new World();
          for (const [a, b, v] of seq) {
            w.act(a, b, v);
            if (w.violations.length) break;
          }
          expect(w.violations).toEqual([]);
        }),
        { numRuns: 100 },
      );
    },
  );

  it(
    'reaches sales paid by each tender (so the properties are not vacuous)',
    { timeout: 120_000 },
    () => {
      const kinds = new Set<string>();
      let splits = 0;
      fc.assert(
        fc.property(steps, (seq) => {
          const w = new World();
          for (const [a, b, v] of seq) w.act(a, b, v);
          for (const c of w.lane.log)
            if (c.type === 'sale.commit') {
              kinds.add(c.tenders.at(-1)!.kind);
              if (c.tenders.length > 1) splits += 1;
            }
        }),
        { numRuns: 60, seed: 42 },
      );
      expect([...kinds].sort()).toEqual(['card', 'cash', 'palm', 'wallet']);
      expect(splits).toBeGreaterThan(0);
    },
  );
});
