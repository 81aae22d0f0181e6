import type { Command } from '../../../common/checkout/commands';
import { problemOf } from '../../../common/checkout/context';
import type { CheckoutEvent, TimerId } from '../../../common/checkout/checkout-events';
import type { PalmPorts, WalletPorts } from '../../../common/checkout/ports';
import { startCheckout, stepCheckout, type CheckoutSnapshot } from '../../../common/checkout/step';
import type { CheckoutDraft, CheckoutInput } from '../../../common/checkout/types';
import type { HostEvent, TerminalHost } from '../../../common/host/contract';
import type { Sale } from '../../../common/sale';
import { palmAudit, type PalmAuditEvent } from '../../../common/checkout/palm-audit';

type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;

/** Everything the checkout's commands run through. The lane wires these to the host and Dexie. */
export interface CheckoutPorts {
  loadDraft(): Promise<CheckoutDraft | null>;
  saveDraft(draft: CheckoutDraft): Promise<void>;
  clearDraft(): Promise<void>;
  /** Writes the sale, its outbox entry and audit row in one transaction (db/sales.ts). */
  commitSale(command: CommandOf<'sale.commit'>): Promise<Sale>;
  recordCardDecline(command: CommandOf<'card.recordDecline'>): Promise<void>;
  card: Pick<TerminalHost['card'], 'begin' | 'cancel' | 'status'>;
  scanner: Pick<TerminalHost['scanner'], 'capture' | 'cancel'>;
  openDrawer(): Promise<unknown>;
  printReceipt(sale: Sale): Promise<void>;
  nudgeSync(): void;
  /** Null: palm pay is not wired at this lane (the machine is then started without it). */
  palm: PalmPorts | null;
  /** The wallet tender; absent: no wallet service, so an attempt is refused with that reason. */
  wallet?: WalletPorts;
  /** Palm pay's decisions as audit events (only where palm is wired); written in issue order. */
  auditPalm?(events: readonly PalmAuditEvent[]): Promise<void>;
  /** A problem worth a log line that nothing on screen can fix (a draft write failed). */
  report(message: string, error: unknown): void;
}

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Runs the checkout machine: holds its snapshot for React (useSyncExternalStore), runs each
 * command the machine returns through a port, and feeds every result back as an event. It
 * decides nothing itself. Database commands (draft writes, the commit, decline records) run one
 * after another in the order issued, so a draft write can never land after the sale's commit.
 */
export class CheckoutDriver {
  private snapshot: CheckoutSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Map<TimerId, unknown>();
  private db: Promise<unknown> = Promise.resolve();
  private initial: readonly Command[];
  private stopped = false;
  private readonly audits: PalmAuditEvent[] = [];

  constructor(
    input: CheckoutInput,
    private readonly ports: CheckoutPorts,
    private readonly clock: Clock = realClock,
  ) {
    const first = startCheckout(input);
    this.snapshot = first.snapshot;
    this.initial = first.commands;
  }

  /** Separate from the constructor so React can create a driver without side effects. */
  start(): void {
    const cmds = this.initial;
    this.initial = [];
    this.run(cmds);
  }

  /** Ends the driver: timers stop and late results are dropped (the page is going away). */
  dispose(): void {
    this.stopped = true;
    for (const h of this.timers.values()) this.clock.clearTimeout(h);
    this.timers.clear();
    this.listeners.clear();
  }

  readonly getSnapshot = (): CheckoutSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** One event in; returns the snapshot after it (callers read refusals such as cartProblem). */
  readonly send = (event: CheckoutEvent): CheckoutSnapshot => {
    if (this.stopped) return this.snapshot;
    const prev = this.snapshot;
    const { snapshot, commands } = stepCheckout(prev, event);
    this.auditPalm(prev, event, snapshot);
    const changed = snapshot !== this.snapshot;
    this.snapshot = snapshot;
    // Commands first: a port call (the sale's IndexedDB transaction, a worker message) is then
    // under way while React renders the new snapshot, instead of queued behind that render
    // (React flushes a store change in a microtask, ahead of work issued after it).
    this.run(commands);
    if (changed) for (const l of this.listeners) l();
    return snapshot;
  };

  /**
   * Palm decisions as audit rows, held while a payment is being authorized or committed and
   * written after it in the database queue: an audit row never delays the sale's commit.
   */
  private auditPalm(prev: CheckoutSnapshot, event: CheckoutEvent, next: CheckoutSnapshot): void {
    const audit = this.ports.auditPalm;
    if (!audit || !this.ports.palm) return;
    this.audits.push(...palmAudit(prev, event, next));
    const busy = next.matches({ tender: { palm: 'authorizing' } }) || next.matches('committing');
    if (busy || this.audits.length === 0) return;
    const events = this.audits.splice(0);
    this.queued(() =>
      audit(events).catch((e: unknown) => this.ports.report('palm audit not written', e)),
    );
  }

  /** The host's events that the checkout cares about. */
  hostEvent(e: HostEvent): void {
    if (e.type === 'card') this.send({ type: 'CARD_UPDATE', update: e.update });
    else if (e.type === 'scanner' && e.event.kind === 'status')
      this.send({ type: 'SCANNER_STATUS', state: e.event.status.state });
    else if (e.type === 'scanner' && e.event.kind === 'guidance')
      this.send({ type: 'PALM_GUIDANCE', guidance: e.event.guidance });
  }

  private run(commands: readonly Command[]): void {
    for (const c of commands) this.exec(c);
  }

  /** Runs a port call and sends the event its outcome maps to (nothing once disposed). */
  private answer<T>(
    call: () => Promise<T>,
    ok: (value: T) => CheckoutEvent | null,
    fail: (problem: ReturnType<typeof problemOf>) => CheckoutEvent | null,
  ): Promise<void> {
    let p: Promise<T>;
    try {
      p = call();
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then(
      (v) => {
        const e = ok(v);
        if (e) this.send(e);
      },
      (err: unknown) => {
        const e = fail(problemOf(err));
        if (e) this.send(e);
      },
    );
  }

  /** Database work, in issue order. */
  private queued(work: () => Promise<void>): void {
    this.db = this.db.then(work, work);
  }

  private palm(): PalmPorts {
    if (!this.ports.palm) throw new Error('palm pay is not wired at this lane');
    return this.ports.palm;
  }

  private exec(c: Command): void {
    const p = this.ports;
    switch (c.type) {
      case 'draft.load':
        void this.answer(
          () => p.loadDraft(),
          (draft) => ({ type: 'DRAFT_LOADED', draft }),
          () => ({ type: 'DRAFT_LOADED', draft: null }),
        );
        return;
      case 'draft.save':
        return this.queued(() =>
          p.saveDraft(c.draft).catch((e: unknown) => p.report('draft not saved', e)),
        );
      case 'draft.clear':
        return this.queued(() =>
          p.clearDraft().catch((e: unknown) => p.report('draft not cleared', e)),
        );
      case 'sale.commit':
        return this.queued(() =>
          this.answer(
            () => p.commitSale(c),
            (sale) => ({ type: 'SALE_COMMITTED', sale }),
            (problem) => ({ type: 'COMMIT_FAILED', problem }),
          ),
        );
      case 'card.recordDecline':
        return this.queued(() =>
          p.recordCardDecline(c).catch((e: unknown) => p.report('card decline not recorded', e)),
        );
      case 'card.begin':
        void this.answer(
          () => p.card.begin({ paymentId: c.paymentId, amount: c.amount }),
          (update) => ({ type: 'CARD_UPDATE', update }),
          (problem) => ({ type: 'CARD_BEGIN_FAILED', paymentId: c.paymentId, problem }),
        );
        return;
      case 'card.cancel':
        void this.answer(
          () => p.card.cancel({ paymentId: c.paymentId }),
          () => ({ type: 'CARD_CANCEL_DONE', paymentId: c.paymentId }),
          (problem) => ({ type: 'CARD_CANCEL_FAILED', paymentId: c.paymentId, problem }),
        );
        return;
      case 'card.status':
        void this.answer(
          () => p.card.status({ paymentId: c.paymentId }),
          (update) => ({ type: 'CARD_STATUS', paymentId: c.paymentId, update }),
          (problem) => ({ type: 'CARD_STATUS_FAILED', paymentId: c.paymentId, problem }),
        );
        return;
      case 'scanner.capture':
        void this.answer(
          () => p.scanner.capture({ mode: 'identify', timeoutMs: c.timeoutMs }),
          (capture) => ({ type: 'PALM_CAPTURED', captureId: c.captureId, capture }),
          (problem) => ({ type: 'PALM_CAPTURE_FAILED', captureId: c.captureId, problem }),
        );
        return;
      case 'scanner.cancel':
        void p.scanner.cancel().catch(() => {}); // the capture ends either way; its result is stale
        return;
      case 'palm.match':
        void this.answer(
          () => this.palm().match(c.capture),
          (match) => ({ type: 'PALM_MATCHED', captureId: c.captureId, match }),
          (problem) => ({ type: 'PALM_MATCH_FAILED', captureId: c.captureId, problem }),
        );
        return;
      case 'palm.checkStepUp':
        void this.answer(
          () => this.palm().checkStepUp({ templateId: c.templateId, digits: c.digits }),
          (ok) => ({ type: 'STEP_UP_CHECKED', captureId: c.captureId, ok }),
          (problem) => ({ type: 'STEP_UP_FAILED', captureId: c.captureId, problem }),
        );
        return;
      case 'palm.authorize':
        void this.answer(
          () => this.palm().authorize(c.request),
          (result) => ({ type: 'PALM_AUTHORIZED', paymentId: c.request.paymentId, result }),
          (problem) => ({ type: 'PALM_AUTHORIZE_FAILED', paymentId: c.request.paymentId, problem }),
        );
        return;
      case 'palm.cancelAuthorization':
        void this.answer(
          () => this.palm().cancelAuthorization({ paymentId: c.paymentId }),
          (result) => ({ type: 'PALM_CANCELLED', paymentId: c.paymentId, result }),
          (problem) => ({ type: 'PALM_CANCEL_FAILED', paymentId: c.paymentId, problem }),
        );
        return;
      case 'wallet.authorize':
        void this.answer(
          () =>
            p.wallet
              ? p.wallet.authorize(c.request)
              : Promise.resolve({ kind: 'declined' as const, reason: 'WALLET_UNAVAILABLE' }),
          (result) => ({ type: 'WALLET_AUTHORIZED', paymentId: c.request.paymentId, result }),
          (problem) => ({
            type: 'WALLET_AUTHORIZE_FAILED',
            paymentId: c.request.paymentId,
            problem,
          }),
        );
        return;
      case 'wallet.cancel':
        void this.answer(
          () =>
            p.wallet
              ? p.wallet.cancel(c.paymentId)
              : Promise.resolve({ kind: 'cancelled' as const }),
          (result) => ({ type: 'WALLET_CANCELLED', paymentId: c.paymentId, result }),
          (problem) => ({ type: 'WALLET_CANCEL_FAILED', paymentId: c.paymentId, problem }),
        );
        return;
      case 'drawer.open':
        void this.answer(
          () => p.openDrawer(),
          () => null,
          (problem) => ({ type: 'DRAWER_FAILED', problem }),
        );
        return;
      case 'receipt.print':
        void this.answer(
          () => p.printReceipt(c.sale),
          () => ({ type: 'PRINTED' }),
          (problem) => ({ type: 'PRINT_FAILED', problem }),
        );
        return;
      case 'sync.nudge':
        p.nudgeSync();
        return;
      case 'timer.start': {
        const old = this.timers.get(c.timer);
        if (old !== undefined) this.clock.clearTimeout(old);
        const h = this.clock.setTimeout(() => {
          this.timers.delete(c.timer);
          this.send({ type: 'TIMER_FIRED', timer: c.timer });
        }, c.ms);
        this.timers.set(c.timer, h);
        return;
      }
      case 'timer.clear': {
        const h = this.timers.get(c.timer);
        if (h !== undefined) this.clock.clearTimeout(h);
        this.timers.delete(c.timer);
        return;
      }
    }
  }
}
