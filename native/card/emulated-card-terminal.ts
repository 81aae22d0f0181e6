import {
  HostError,
  isFinalCardState,
  type CardPaymentUpdate,
  type CardRefundResult,
  type CardSetupOutcome,
  type DeviceStatus,
} from '../../common/host/contract';
import { luhnValid, TEST_CARDS } from '../../common/host/test-cards';
import type { Money } from '../../common/money';
import type { CardTerminal } from './card-terminal';

export interface EmulatedCardTerminalOptions {
  /** How long the terminal waits for a card before the payment times out. */
  presentTimeoutMs?: number;
  /** How long "processing" takes once a card is presented (authorisation round trip). */
  processingMs?: number;
}

/**
 * A card terminal in software: present card → processing → approved or declined with a reason,
 * customer cancel, timeout, and a switch that makes it stop answering (for fault tests).
 */
export class EmulatedCardTerminal implements CardTerminal {
  private readonly presentTimeoutMs: number;
  private readonly processingMs: number;
  private readonly payments = new Map<string, CardPaymentUpdate>();
  private readonly listeners = new Set<(u: CardPaymentUpdate) => void>();
  private current: { paymentId: string; timer: ReturnType<typeof setTimeout> | null } | null = null;
  private responsive = true;
  private authCounter = 0;
  private readonly refunds = new Map<string, CardRefundResult>();
  /** What each payment this terminal approved has had sent back (the processor's own limit). */
  private readonly refunded = new Map<string, number>();
  /** Card setups (enrolment): the one waiting for a card, and every outcome by setupId. */
  private setupPending: {
    setupId: string;
    timer: ReturnType<typeof setTimeout> | null;
    processing: boolean;
    settle: (o: CardSetupOutcome) => void;
  } | null = null;
  private readonly setups = new Map<string, Promise<CardSetupOutcome>>();

  constructor(options: EmulatedCardTerminalOptions = {}) {
    this.presentTimeoutMs = options.presentTimeoutMs ?? 60_000;
    this.processingMs = options.processingMs ?? 700;
  }

  status(): DeviceStatus {
    const busy = this.current !== null || this.setupPending !== null;
    return { kind: 'emulator', model: 'Emulated card terminal', state: busy ? 'busy' : 'ready' };
  }

  setResponsive(responsive: boolean): void {
    this.responsive = responsive;
  }

  onUpdate(listener: (u: CardPaymentUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  payment(paymentId: string): CardPaymentUpdate | null {
    return this.payments.get(paymentId) ?? null;
  }

  begin(paymentId: string, amount: Money): Promise<CardPaymentUpdate> {
    if (!this.responsive) return new Promise(() => {}); // a hung terminal never answers
    const existing = this.payments.get(paymentId);
    if (existing) return Promise.resolve(existing); // idempotent retry of the same payment
    if (this.current || this.setupPending) {
      return Promise.reject(
        new HostError('DEVICE_BUSY', 'The card terminal is busy with another payment'),
      );
    }
    const timer = setTimeout(
      () => this.finish(paymentId, { state: 'timed-out' }),
      this.presentTimeoutMs,
    );
    this.current = { paymentId, timer };
    return Promise.resolve(this.update({ paymentId, state: 'waiting-for-card', amount }));
  }

  async cancel(paymentId: string): Promise<void> {
    if (this.setupPending?.setupId === paymentId) {
      if (this.setupPending.processing)
        throw new HostError(
          'DEVICE_BUSY',
          'The card is already being saved and cannot be cancelled',
        );
      return this.settleSetup({ setupId: paymentId, state: 'cancelled' });
    }
    if (this.setups.has(paymentId)) return; // a setup that already ended
    const p = this.payments.get(paymentId);
    if (!p) throw new HostError('UNKNOWN_PAYMENT', `No payment ${paymentId}`);
    if (isFinalCardState(p.state)) return;
    if (p.state === 'processing') {
      throw new HostError(
        'DEVICE_BUSY',
        'The payment is already being authorised and cannot be cancelled',
      );
    }
    this.finish(paymentId, { state: 'cancelled' });
  }

  /**
   * A referenced refund. A payment this terminal approved is never refunded beyond its amount; one
   * it does not know (taken before a restart) is refunded as asked, as a processor's referenced
   * refund would be, and the cloud holds the sale's own limit.
   */
  async refund(refundId: string, paymentId: string, amount: Money): Promise<CardRefundResult> {
    if (!this.responsive) return new Promise(() => {});
    const earlier = this.refunds.get(refundId);
    if (earlier) return earlier;
    const payment = this.payments.get(paymentId);
    const before = this.refunded.get(paymentId) ?? 0;
    let result: CardRefundResult;
    if (payment && payment.state !== 'approved') {
      result = { refundId, paymentId, state: 'declined', amount, reason: 'payment_not_approved' };
    } else if (payment && before + amount.amount > payment.amount.amount) {
      result = { refundId, paymentId, state: 'declined', amount, reason: 'exceeds_payment' };
    } else {
      this.refunded.set(paymentId, before + amount.amount);
      this.authCounter += 1;
      result = {
        refundId,
        paymentId,
        state: 'approved',
        amount,
        refundRef: `RF${String(this.authCounter).padStart(5, '0')}`,
      };
    }
    this.refunds.set(refundId, result);
    return result;
  }

  setup(setupId: string, timeoutMs: number): Promise<CardSetupOutcome> {
    if (!this.responsive) return new Promise(() => {});
    const earlier = this.setups.get(setupId);
    if (earlier) return earlier; // idempotent: the same setup answers its first outcome
    if (this.current || this.setupPending)
      return Promise.reject(new HostError('DEVICE_BUSY', 'The card terminal is busy'));
    const outcome = new Promise<CardSetupOutcome>((settle) => {
      const timer = setTimeout(
        () => this.settleSetup({ setupId, state: 'timed-out' }),
        Math.min(timeoutMs, this.presentTimeoutMs),
      );
      this.setupPending = { setupId, timer, processing: false, settle };
    });
    this.setups.set(setupId, outcome);
    if (this.setups.size > 100) this.setups.delete(this.setups.keys().next().value!);
    return outcome;
  }

  private settleSetup(o: CardSetupOutcome): void {
    const p = this.setupPending;
    if (!p || p.setupId !== o.setupId) return;
    if (p.timer) clearTimeout(p.timer);
    this.setupPending = null;
    p.settle(o);
  }

  /**
   * A card presented for a setup: the test cards' declines decline it at the terminal (a
   * processing error among them); an approving card is saved, and only a setup reference in
   * the emulated processor's format (cloud/enrolment/card-setup.ts) comes back, never the number.
   */
  private presentForSetup(pan: string): void {
    const p = this.setupPending!;
    if (p.processing) throw new HostError('NOT_ALLOWED', 'The card is already being saved');
    if (p.timer) clearTimeout(p.timer);
    p.processing = true;
    const card = TEST_CARDS.find((c) => c.pan === pan);
    const last4 = pan.slice(-4);
    const brand =
      card?.brand ?? (pan.startsWith('4') ? 'Visa' : pan.startsWith('5') ? 'Mastercard' : 'Card');
    p.timer = setTimeout(() => {
      const setupId = p.setupId;
      if (card?.outcome === 'declined')
        this.settleSetup({
          setupId,
          state: 'declined',
          reason: card.reason ?? 'generic_decline',
          brand,
          last4,
        });
      else if ((!card && !luhnValid(pan)) || (brand !== 'Visa' && brand !== 'Mastercard'))
        this.settleSetup({ setupId, state: 'declined', reason: 'card_not_supported', last4 });
      else {
        const nonce = Math.random().toString(36).slice(2, 12).padEnd(6, '0');
        const setupRef = `seti_emu_${brand.toLowerCase()}_${last4}_ok_${nonce}`;
        this.settleSetup({ setupId, state: 'saved', setupRef, brand, last4 });
      }
    }, this.processingMs);
  }

  /** Emulator control: the customer taps or inserts a card. */
  presentCard(pan: string): void {
    if (this.setupPending) return this.presentForSetup(pan);
    const paymentId = this.current?.paymentId;
    const p = paymentId ? this.payments.get(paymentId) : undefined;
    if (!paymentId || !p || p.state !== 'waiting-for-card') {
      throw new HostError('NOT_ALLOWED', 'No payment is waiting for a card');
    }
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.update({ ...p, state: 'processing' });
    const card = TEST_CARDS.find((c) => c.pan === pan);
    const last4 = pan.slice(-4);
    const brand =
      card?.brand ?? (pan.startsWith('4') ? 'Visa' : pan.startsWith('5') ? 'Mastercard' : 'Card');
    const timer = setTimeout(() => {
      if (card?.outcome === 'declined') {
        this.finish(paymentId, {
          state: 'declined',
          reason: card.reason ?? 'generic_decline',
          brand,
          last4,
        });
      } else if (!card && !luhnValid(pan)) {
        this.finish(paymentId, { state: 'declined', reason: 'card_not_supported', brand, last4 });
      } else {
        this.authCounter += 1;
        const authCode = `A${String(this.authCounter).padStart(5, '0')}`;
        this.finish(paymentId, { state: 'approved', authCode, brand, last4 });
      }
    }, this.processingMs);
    this.current = { paymentId, timer };
  }

  /** Emulator control: the customer presses Cancel on the terminal's keypad. */
  customerCancel(): void {
    if (this.setupPending && !this.setupPending.processing)
      return this.settleSetup({ setupId: this.setupPending.setupId, state: 'cancelled' });
    const paymentId = this.current?.paymentId;
    const p = paymentId ? this.payments.get(paymentId) : undefined;
    if (!paymentId || !p || p.state !== 'waiting-for-card') {
      throw new HostError('NOT_ALLOWED', 'No payment is waiting for a card');
    }
    this.finish(paymentId, { state: 'cancelled' });
  }

  dispose(): void {
    if (this.current?.timer) clearTimeout(this.current.timer);
    if (this.setupPending?.timer) clearTimeout(this.setupPending.timer);
    this.setupPending = null;
    this.current = null;
  }

  private finish(paymentId: string, change: Partial<CardPaymentUpdate>): void {
    const p = this.payments.get(paymentId);
    if (!p || isFinalCardState(p.state)) return;
    if (this.current?.paymentId === paymentId) {
      if (this.current.timer) clearTimeout(this.current.timer);
      this.current = null;
    }
    this.update({ ...p, ...change });
  }

  private update(u: CardPaymentUpdate): CardPaymentUpdate {
    this.payments.delete(u.paymentId); // re-insert so Map order is recency
    this.payments.set(u.paymentId, u);
    if (this.payments.size > 500) {
      const oldest = this.payments.keys().next().value;
      if (oldest !== undefined) this.payments.delete(oldest);
    }
    for (const l of this.listeners) l(u);
    return u;
  }
}
