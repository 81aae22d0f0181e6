import type { CheckoutEvent } from '../checkout/checkout-events';
import type { StaffRef } from '../staff';

/**
 * Self-checkout interventions: the events at a kiosk that need an attendant, as lanes in the
 * style of Xstore Self Checkout and NCR treat them. Each is either blocking (red: the shopper
 * waits, nothing else happens at the kiosk) or flagged (yellow: the shopper carries on, and it
 * must be cleared before payment). Pure data and rules; the kiosk view and the console apply them.
 */
export const INTERVENTION_KINDS = [
  'age-restricted',
  'remove-item',
  'quantity-over-max',
  'unknown-barcode',
  'palm-paused',
  'card-trouble',
  'help',
] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];
export type Severity = 'red' | 'yellow';

/**
 * Red where a wrong outcome cannot be undone after the shopper walks off (an ID check, an item
 * taken off the bill, a barcode nobody can price, a run of failed palm or card attempts); yellow
 * where the sale can go on and an attendant only has to look before the end (a large quantity,
 * a call for help).
 */
export const SEVERITY: Readonly<Record<InterventionKind, Severity>> = {
  'age-restricted': 'red',
  'remove-item': 'red',
  'quantity-over-max': 'yellow',
  'unknown-barcode': 'red',
  'palm-paused': 'red',
  'card-trouble': 'red',
  help: 'yellow',
};

export interface Intervention {
  /** Unique within the sale; derived ones are keyed by what they are about, so they never repeat. */
  readonly id: string;
  readonly kind: InterventionKind;
  readonly severity: Severity;
  /** Epoch milliseconds. */
  readonly raisedAt: number;
  readonly lineId?: string;
  readonly name?: string;
  readonly barcode?: string;
  readonly quantity?: number;
  readonly age?: number;
}

export interface KioskRules {
  /** The most of one item a shopper may scan before an attendant looks (NCR-style limit). */
  readonly maxQuantity: number;
  /** A red intervention waiting this long makes the light flash. */
  readonly escalateAfterMs: number;
}

export const DEFAULT_KIOSK_RULES: KioskRules = { maxQuantity: 10, escalateAfterMs: 60_000 };

export interface Resolution {
  readonly interventionId: string;
  readonly kind: InterventionKind;
  readonly decision: Decision;
  readonly by: StaffRef;
  /** Where the attendant cleared it: at the kiosk with their own credential, or the console. */
  readonly via: 'kiosk' | 'console';
  readonly at: number;
}

/** The kiosk's own state for one sale, kept beside the checkout machine's draft. */
export interface KioskSession {
  readonly saleId: string;
  readonly interventions: readonly Intervention[];
  readonly resolved: readonly Resolution[];
}

export type Decision = 'approve' | 'deny';

/** Who is asking to clear an intervention. Only staff with their own credential may. */
export type Actor =
  | { readonly kind: 'shopper' }
  | { readonly kind: 'staff'; readonly staff: StaffRef; readonly via: 'kiosk' | 'console' };

export class InterventionRefused extends Error {
  constructor(
    readonly code: 'NOT_ALLOWED' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'InterventionRefused';
  }
}

export const newSession = (saleId: string): KioskSession => ({
  saleId,
  interventions: [],
  resolved: [],
});

function make(
  kind: InterventionKind,
  id: string,
  now: number,
  extra: Omit<Intervention, 'id' | 'kind' | 'severity' | 'raisedAt'> = {},
): Intervention {
  return { id, kind, severity: SEVERITY[kind], raisedAt: now, ...extra };
}

/** Adds an intervention unless one with its id is pending or was already cleared this sale. */
export function raise(s: KioskSession, i: Intervention): KioskSession {
  if (s.interventions.some((x) => x.id === i.id)) return s;
  if (s.resolved.some((r) => r.interventionId === i.id)) return s;
  return { ...s, interventions: [...s.interventions, i] };
}

export const unknownBarcode = (barcode: string, now: number, seq: number): Intervention =>
  make('unknown-barcode', `unknown-${seq}`, now, { barcode });

/** The shopper asks to take a line off: nothing is voided until an attendant approves. */
export const removeRequest = (line: { lineId: string; name: string }, now: number): Intervention =>
  make('remove-item', `remove-${line.lineId}`, now, line);

/** A quantity above the maximum is applied and flagged; a denial sets it back to the maximum. */
export function quantityCheck(
  line: { lineId: string; name: string },
  quantity: number,
  rules: KioskRules,
  now: number,
): Intervention | null {
  if (quantity <= rules.maxQuantity) return null;
  return make('quantity-over-max', `qty-${line.lineId}-${quantity}`, now, { ...line, quantity });
}

export interface AgeSituation {
  /** The line the checkout machine wants an ID check for (neither an attendant nor a palm record covers it). */
  readonly pending: { lineId: string; name: string; age: number } | null;
  /** Palm pay is offered at this kiosk: an age-verified palm shopper's record may still cover it. */
  readonly palmOffered: boolean;
  /** The shopper chose a tender that cannot cover it (card), or palm found no age-verified record. */
  readonly palmCannotCover: boolean;
}

/**
 * An age-restricted item needs an attendant unless the palm shopper's age-verified flag covers
 * it. Where palm pay is offered the check waits for the shopper's choice: paying by palm with an
 * age-verified record clears it with no attendant at all; anything else raises it (red).
 */
export function ageCheck(a: AgeSituation, now: number): Intervention | null {
  if (!a.pending) return null;
  if (a.palmOffered && !a.palmCannotCover) return null;
  return make('age-restricted', `age-${a.pending.lineId}-${a.pending.age}`, now, a.pending);
}

export type TenderTrouble = 'palm-paused' | 'card-not-responding' | 'card-unresolved' | null;

/** Palm paused after repeated failures, or a card terminal that cannot say what happened. */
export function tenderTrouble(t: TenderTrouble, paymentKey: string, now: number) {
  if (t === null) return null;
  if (t === 'palm-paused') return make('palm-paused', `palm-paused-${paymentKey}`, now);
  return make('card-trouble', `card-${paymentKey}`, now, { name: t });
}

export const helpCall = (now: number, seq: number): Intervention =>
  make('help', `help-${seq}`, now);

export const pending = (s: KioskSession, severity?: Severity): Intervention[] =>
  s.interventions.filter((i) => severity === undefined || i.severity === severity);

/** A red intervention is pending: the shopper can neither scan nor pay. */
export const blocksShopper = (s: KioskSession): boolean => pending(s, 'red').length > 0;

/** Anything but a help call is pending: payment waits until an attendant has cleared it. */
export const blocksPayment = (s: KioskSession): boolean =>
  s.interventions.some((i) => i.kind !== 'help');

/**
 * What clearing an intervention does to the sale: an approved ID check confirms the age, a denied
 * one voids the line; an approved removal voids the line; a denied over-limit quantity goes back
 * to the maximum. The checkout machine still decides whether each event is allowed.
 */
export function effectsOf(i: Intervention, d: Decision, rules: KioskRules): CheckoutEvent[] {
  switch (i.kind) {
    case 'age-restricted':
      return [{ type: d === 'approve' ? 'CONFIRM_AGE' : 'REFUSE_AGE' }];
    case 'remove-item':
      return d === 'approve' && i.lineId ? [{ type: 'VOID_LINE', lineId: i.lineId }] : [];
    case 'quantity-over-max':
      return d === 'deny' && i.lineId
        ? [{ type: 'SET_QUANTITY', lineId: i.lineId, quantity: rules.maxQuantity }]
        : [];
    default:
      return [];
  }
}

/**
 * Clears one intervention. Only a member of staff acting with their own credential may (the
 * shopper at the kiosk never can, whatever the screen shows); the resolution names them for the
 * audit. Returns the new session and the checkout events to send.
 */
export function resolve(
  s: KioskSession,
  interventionId: string,
  decision: Decision,
  actor: Actor,
  rules: KioskRules,
  now: number,
): { session: KioskSession; effects: CheckoutEvent[]; resolution: Resolution } {
  if (actor.kind !== 'staff' || !['attendant', 'manager'].includes(actor.staff.role))
    throw new InterventionRefused('NOT_ALLOWED', 'Only an attendant can clear an intervention');
  const i = s.interventions.find((x) => x.id === interventionId);
  if (!i) throw new InterventionRefused('NOT_FOUND', 'No such intervention is pending');
  const resolution: Resolution = {
    interventionId,
    kind: i.kind,
    decision,
    by: { id: actor.staff.id, name: actor.staff.name, role: actor.staff.role },
    via: actor.via,
    at: now,
  };
  return {
    session: {
      ...s,
      interventions: s.interventions.filter((x) => x.id !== interventionId),
      resolved: [...s.resolved, resolution],
    },
    effects: effectsOf(i, decision, rules),
    resolution,
  };
}

/**
 * Derived interventions whose condition went away before anyone was asked (a deferred age check
 * covered by the palm record) never appear; raised ones stay until an attendant clears them.
 */
export function isKioskSession(v: unknown): v is KioskSession {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<KioskSession>;
  return (
    typeof s.saleId === 'string' && Array.isArray(s.interventions) && Array.isArray(s.resolved)
  );
}
