import { describe, expect, it } from 'vitest';
import {
  addProduct,
  cartTotals,
  emptyCart,
  MAX_QUANTITY,
  requiredAge,
  setQuantity,
  voidLine,
} from './cart';
import type { Product } from './catalog';
import { storeProfile } from './store-profile';

const p = (id: string, price: number, extra: Partial<Product> = {}): Product => ({
  id,
  barcode: `200000000000${id.length}`,
  name: `Product ${id}`,
  price,
  taxClass: 'standard',
  minimumAge: 0,
  category: 'Test',
  ...extra,
});
const us = storeProfile('us');

describe('cart', () => {
  it('a repeat scan bumps the last line; a scan after another item starts a new line', () => {
    let c = addProduct(emptyCart('USD'), p('a', 100), 'l1');
    c = addProduct(c, p('a', 100), 'l2');
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]?.quantity).toBe(2);
    c = addProduct(c, p('b', 50), 'l3');
    c = addProduct(c, p('a', 100), 'l4');
    expect(c.lines.map((l) => l.productId)).toEqual(['a', 'b', 'a']);
  });

  it('changes quantities within 1..999 and refuses anything else', () => {
    const c = addProduct(emptyCart('USD'), p('a', 100), 'l1');
    expect(setQuantity(c, 'l1', 3).lines[0]?.quantity).toBe(3);
    for (const bad of [0, -1, 1.5, MAX_QUANTITY + 1, Number.NaN]) {
      expect(() => setQuantity(c, 'l1', bad)).toThrow(/whole number from 1 to 999/);
    }
    expect(() => setQuantity(c, 'nope', 2)).toThrow(/No line/);
  });

  it('voided lines stay on the cart and count for nothing', () => {
    let c = addProduct(emptyCart('USD'), p('a', 1000), 'l1');
    c = addProduct(c, p('b', 500), 'l2');
    c = voidLine(c, 'l1');
    expect(c.lines).toHaveLength(2);
    const t = cartTotals(c, us.tax);
    expect(t.subtotal.amount).toBe(500);
    expect(t.itemCount).toBe(1);
    expect(() => voidLine(c, 'l1')).toThrow(/already voided/);
    expect(() => setQuantity(c, 'l1', 2)).toThrow(/voided/);
    // A scan of the voided product starts a fresh line rather than reviving the void.
    c = addProduct(
      voidLine(addProduct(emptyCart('USD'), p('a', 1000), 'x'), 'x'),
      p('a', 1000),
      'y',
    );
    expect(c.lines.map((l) => [l.lineId, l.voided])).toEqual([
      ['x', true],
      ['y', false],
    ]);
  });

  it('totals a US cart with sales tax per line', () => {
    let c = addProduct(emptyCart('USD'), p('chips', 349), 'l1');
    c = addProduct(c, p('milk', 429, { taxClass: 'reduced' }), 'l2');
    c = setQuantity(c, 'l1', 3);
    const t = cartTotals(c, us.tax);
    expect(t.subtotal.amount).toBe(349 * 3 + 429);
    expect(t.tax.amount).toBe(86); // 1047 × 8.25 % = 86.38 → 86; milk is untaxed
    expect(t.total.amount).toBe(1476 + 86);
  });

  it('needs the highest age among active lines', () => {
    let c = addProduct(emptyCart('USD'), p('beer', 899, { minimumAge: 21 }), 'l1');
    c = addProduct(c, p('gum', 199, { minimumAge: 18 }), 'l2');
    expect(requiredAge(c)).toBe(21);
    expect(requiredAge(voidLine(c, 'l1'))).toBe(18);
  });

  it('refuses a quantity whose amount would overflow', () => {
    const c = addProduct(emptyCart('USD'), p('yacht', 9_000_000_000_000 / 100), 'l1');
    expect(() => setQuantity(c, 'l1', 999)).toThrow(/exceeds/);
  });
});
