import type { Product } from '../catalog';
import { demoCatalog } from '../demo-catalog';
import type { CardPaymentUpdate, VerifiedCapture } from '../host/contract';
import type { Money } from '../money';
import { thresholds, type MatchPolicy } from '../shard/policy';
import { storeProfile } from '../store-profile';
import type { Command, CommandType } from './commands';
import type { CheckoutEvent } from './checkout-events';
import { checkoutPhase, cardStep, palmStep } from './phase';
import type { PalmMatch, PalmShopper, PalmTender } from './ports';
import { startCheckout, stepCheckout, type CheckoutSnapshot } from './step';
import { DEFAULT_PALM_SETTINGS, type CheckoutInput } from './types';

/** Shared by the checkout machine's tests (not a test file itself): a lane driven by hand. */

export const US = storeProfile('us');
const CATALOG = demoCatalog(US);

export function product(name: string): Product {
  const p = CATALOG.find((x) => x.name === name);
  if (!p) throw new Error(`No demo product ${name}`);
  return p;
}

export const CHIPS = product('Potato Chips 8 oz');
export const COLA = product('Cola 12 pk');
export const BEER = product('IPA 6 pk');

export function checkoutInput(over: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    instanceId: 'lane0001',
    currency: 'USD',
    tax: US.tax,
    saleId: 'sale-1',
    startedAt: '2030-01-01T10:00:00.000Z',
    cardWatchdogMs: 90_000,
    palm: DEFAULT_PALM_SETTINGS,
    ...over,
  };
}

export class TestLane {
  snapshot: CheckoutSnapshot;
  readonly log: Command[] = [];
  private lines = 0;

  constructor(input: CheckoutInput = checkoutInput()) {
    const first = startCheckout(input);
    this.snapshot = first.snapshot;
    this.log.push(...first.commands);
  }

  send(event: CheckoutEvent): readonly Command[] {
    const r = stepCheckout(this.snapshot, event);
    this.snapshot = r.snapshot;
    this.log.push(...r.commands);
    return r.commands;
  }

  get ctx() {
    return this.snapshot.context;
  }
  get phase() {
    return checkoutPhase(this.snapshot);
  }
  get card() {
    return cardStep(this.snapshot);
  }
  get palm() {
    return palmStep(this.snapshot);
  }

  /** The most recent command of a type (throws when there is none: the test expected one). */
  last<T extends CommandType>(type: T): Extract<Command, { type: T }> {
    for (let i = this.log.length - 1; i >= 0; i--) {
      const c = this.log[i]!;
      if (c.type === type) return c as Extract<Command, { type: T }>;
    }
    throw new Error(`no ${type} command was issued`);
  }

  count(type: CommandType): number {
    return this.log.filter((c) => c.type === type).length;
  }

  ready(): this {
    this.send({ type: 'DRAFT_LOADED', draft: null });
    return this;
  }

  add(p: Product, quantity = 1): readonly Command[] {
    this.lines += 1;
    return this.send({ type: 'ADD_PRODUCT', product: p, quantity, lineId: `line-${this.lines}` });
  }

  due(): Money {
    if (!this.ctx.due) throw new Error('no amount due outside a tender');
    return this.ctx.due;
  }

  cardUpdate(state: CardPaymentUpdate['state'], extra: Partial<CardPaymentUpdate> = {}) {
    const paymentId = this.ctx.card?.paymentId ?? 'none';
    return this.send({
      type: 'CARD_UPDATE',
      update: { paymentId, state, amount: this.due(), ...extra },
    });
  }

  approveCard() {
    return this.cardUpdate('approved', { authCode: 'A00001', brand: 'Visa', last4: '4242' });
  }
}

export const CAPTURE: VerifiedCapture = {
  format: 'PT1',
  template: Array.from({ length: 512 }, (_, i) => (i % 7) - 3),
  quality: 90,
  liveness: 95,
  hand: 'right',
  counter: 7,
  scannerSerial: 'EMU-0001',
  mode: 'identify',
  // Stands in for the scanner's signed bytes: the machine only ever passes them on.
  signed: 'c2lnbmVkLWNhcHR1cmUtYnl0ZXM',
};

export const POLICY: MatchPolicy = {
  acceptFpir: 1e-4,
  stepUpFpir: 1e-2,
  margin: 40,
  tail: { u: 200, pu: 0.01, beta: 12 },
};
const GALLERY = 2000;

export const SHOPPER: PalmShopper = {
  customerRef: 'cust-17',
  loyaltyId: 'L-17',
  ageVerified: false,
};

/** A matcher answer that the store policy decides as `kind` (scores placed by the policy itself). */
export function matchFor(
  kind: 'accept' | 'step-up' | 'no-match',
  shopper: PalmShopper = SHOPPER,
): PalmMatch {
  const t = thresholds(POLICY, GALLERY);
  const score =
    kind === 'accept'
      ? t.accept + 5
      : kind === 'step-up'
        ? (t.accept + t.stepUp) / 2
        : t.stepUp - 5;
  return {
    outcome: { templateId: 'tpl-17', score, runnerUpScore: score - POLICY.margin - 10 },
    galleryTemplates: GALLERY,
    policy: POLICY,
    shopper,
  };
}

export function palmTender(paymentId: string, amount: Money, stored = false): PalmTender {
  return {
    kind: 'palm',
    amount,
    paymentId,
    customerRef: SHOPPER.customerRef,
    loyaltyId: SHOPPER.loyaltyId,
    card: stored ? null : { brand: 'Visa', last4: '1881' },
    authCode: stored ? null : 'P00001',
    stored,
  };
}
