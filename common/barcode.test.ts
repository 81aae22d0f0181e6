import { describe, expect, it } from 'vitest';
import { ean13, isValidGtin, normaliseBarcode } from './barcode';
import { demoCatalog } from './demo-catalog';
import { STORE_PROFILES } from './store-profile';

describe('barcodes', () => {
  it('validates real-world check digits', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // EAN-13
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true); // EAN-8
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A
  });

  it('normalises UPC-A and GTIN-14 to EAN-13', () => {
    expect(normaliseBarcode(' 036000291452 ')).toBe('0036000291452');
    expect(normaliseBarcode('04006381333931')).toBe('4006381333931');
  });

  it('explains malformed and misread codes', () => {
    expect(() => normaliseBarcode('12345')).toThrow('“12345” is not a barcode');
    expect(() => normaliseBarcode('40063813339a1')).toThrow(/is not a barcode/);
    expect(() => normaliseBarcode('4006381333932')).toThrow(/wrong check digit/);
  });

  it('the demo catalog has ~200 products with unique valid barcodes in every store', () => {
    for (const profile of STORE_PROFILES) {
      const products = demoCatalog(profile);
      expect(products.length).toBeGreaterThanOrEqual(190);
      expect(new Set(products.map((x) => x.barcode)).size).toBe(products.length);
      expect(
        products.every((x) => isValidGtin(x.barcode) && Number.isInteger(x.price) && x.price > 0),
      ).toBe(true);
      expect(products.filter((x) => x.minimumAge > 0).length).toBeGreaterThanOrEqual(10);
    }
    expect(ean13('200000000001')).toBe('2000000000015');
  });
});
