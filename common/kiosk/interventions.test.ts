import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KIOSK_RULES as RULES,
  InterventionRefused,
  ageCheck,
  blocksPayment,
  blocksShopper,
  helpCall,
  newSession,
  quantityCheck,
  raise,
  removeRequest,
  resolve,
  tenderTrouble,
  unknownBarcode,
  type Actor,
} from './interventions';

const ALEX: Actor = {
  kind: 'staff',
  staff: { id: 'a1', name: 'Alex Kim', role: 'attendant' },
  via: 'kiosk',
};
const beer = { lineId: 'l1', name: 'Lager 6-pack', age: 21 };

describe('the age-restricted rule', () => {
  it('raises a red check at once where palm pay is not offered', () => {
    const i = ageCheck({ pending: beer, palmOffered: false, palmCannotCover: false }, 5);
    expect(i).toMatchObject({ kind: 'age-restricted', severity: 'red', lineId: 'l1', age: 21 });
  });
  it('waits while an age-verified palm record may still cover it', () => {
    expect(ageCheck({ pending: beer, palmOffered: true, palmCannotCover: false }, 5)).toBeNull();
  });
  it('raises it once the shopper picks card, or palm finds no age-verified record', () => {
    expect(ageCheck({ pending: beer, palmOffered: true, palmCannotCover: true }, 5)?.severity).toBe(
      'red',
    );
  });
  it('needs nothing when the machine has no ID check pending (covered by the palm flag)', () => {
    expect(ageCheck({ pending: null, palmOffered: false, palmCannotCover: true }, 5)).toBeNull();
  });
});

describe('the other rules', () => {
  it('flags a quantity over the maximum as yellow, and only over it', () => {
    const line = { lineId: 'l2', name: 'Apple' };
    expect(quantityCheck(line, RULES.maxQuantity, RULES, 1)).toBeNull();
    expect(quantityCheck(line, RULES.maxQuantity + 1, RULES, 1)).toMatchObject({
      kind: 'quantity-over-max',
      severity: 'yellow',
      quantity: RULES.maxQuantity + 1,
    });
  });
  it('blocks on an unknown barcode, a removal, palm paused and card trouble', () => {
    expect(unknownBarcode('123', 1, 1).severity).toBe('red');
    expect(removeRequest({ lineId: 'l1', name: 'x' }, 1).severity).toBe('red');
    expect(tenderTrouble('palm-paused', 'p1', 1)?.severity).toBe('red');
    expect(tenderTrouble('card-not-responding', 'p1', 1)).toMatchObject({
      kind: 'card-trouble',
      severity: 'red',
    });
    expect(tenderTrouble(null, 'p1', 1)).toBeNull();
  });
  it('does not raise the same intervention twice, nor again once cleared', () => {
    const i = unknownBarcode('999', 1, 1);
    let s = raise(raise(newSession('s'), i), i);
    expect(s.interventions).toHaveLength(1);
    s = resolve(s, i.id, 'approve', ALEX, RULES, 2).session;
    expect(raise(s, i).interventions).toHaveLength(0);
  });
  it('red blocks the shopper; yellow only blocks payment; help blocks neither', () => {
    const help = raise(newSession('s'), helpCall(1, 1));
    expect([blocksShopper(help), blocksPayment(help)]).toEqual([false, false]);
    const qty = raise(help, quantityCheck({ lineId: 'l', name: 'n' }, 50, RULES, 1)!);
    expect([blocksShopper(qty), blocksPayment(qty)]).toEqual([false, true]);
    const red = raise(qty, unknownBarcode('1', 1, 2));
    expect([blocksShopper(red), blocksPayment(red)]).toEqual([true, true]);
  });
});

describe('clearing an intervention', () => {
  const age = ageCheck({ pending: beer, palmOffered: false, palmCannotCover: false }, 1)!;
  const s = raise(newSession('s'), age);

  it('is refused to the shopper, and changes nothing', () => {
    expect(() => resolve(s, age.id, 'approve', { kind: 'shopper' }, RULES, 2)).toThrow(
      InterventionRefused,
    );
    expect(s.interventions).toHaveLength(1);
  });
  it('by an attendant names them and confirms the age (or refuses it, voiding the line)', () => {
    const r = resolve(s, age.id, 'approve', ALEX, RULES, 2);
    expect(r.session.interventions).toEqual([]);
    expect(r.resolution).toMatchObject({ by: { id: 'a1', name: 'Alex Kim' }, via: 'kiosk' });
    expect(r.effects).toEqual([{ type: 'CONFIRM_AGE' }]);
    expect(resolve(s, age.id, 'deny', ALEX, RULES, 2).effects).toEqual([{ type: 'REFUSE_AGE' }]);
  });
  it('voids a line only when a removal is approved; a denied quantity goes back to the maximum', () => {
    const rm = removeRequest({ lineId: 'l9', name: 'x' }, 1);
    const s2 = raise(newSession('s'), rm);
    expect(resolve(s2, rm.id, 'approve', ALEX, RULES, 2).effects).toEqual([
      { type: 'VOID_LINE', lineId: 'l9' },
    ]);
    expect(resolve(s2, rm.id, 'deny', ALEX, RULES, 2).effects).toEqual([]);
    const q = quantityCheck({ lineId: 'l3', name: 'n' }, 40, RULES, 1)!;
    const s3 = raise(newSession('s'), q);
    expect(resolve(s3, q.id, 'deny', ALEX, RULES, 2).effects).toEqual([
      { type: 'SET_QUANTITY', lineId: 'l3', quantity: RULES.maxQuantity },
    ]);
  });
  it('says when the intervention is not pending', () => {
    expect(() => resolve(s, 'nope', 'approve', ALEX, RULES, 2)).toThrow(/No such intervention/);
  });
});
