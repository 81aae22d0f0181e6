import type { TaxClass } from './tax';

/** A product as the lane sells it. Prices are minor units of the store currency. */
export interface Product {
  readonly id: string;
  readonly barcode: string; // normalised (EAN-13 or EAN-8)
  readonly name: string;
  readonly price: number;
  readonly taxClass: TaxClass;
  /** Minimum age to buy it (e.g. 18 or 21), or 0 when unrestricted. */
  readonly minimumAge: number;
  readonly category: string;
}

/** Words a product can be found by: lower-cased name words, for Dexie's multi-entry index. */
export function searchWords(name: string): string[] {
  const words = name
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)];
}
