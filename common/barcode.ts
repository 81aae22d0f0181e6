import { DomainError } from './errors';

/**
 * Retail barcodes (GTIN-8, UPC-A = GTIN-12, EAN-13 = GTIN-13, GTIN-14) end in a mod-10 check
 * digit. A wedge scanner misread or a typo almost always breaks it, so the lane checks it before
 * looking anything up. UPC-A codes are stored as their 13-digit EAN form (a leading 0).
 */
export function gtinCheckDigit(body: string): number {
  let total = 0;
  // Weights alternate 3,1,3,… starting from the digit next to the check digit.
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    total += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (total % 10)) % 10;
}

export function isValidGtin(code: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** Normalise a scanned code: trims, checks length and check digit, UPC-A → EAN-13. */
export function normaliseBarcode(raw: string): string {
  const code = raw.trim();
  if (!/^\d+$/.test(code) || !/^\d{8}$|^\d{12,14}$/.test(code)) {
    throw new DomainError(
      'BARCODE_MALFORMED',
      `“${raw}” is not a barcode (8, 12, 13 or 14 digits)`,
      {
        barcode: raw,
      },
    );
  }
  if (!isValidGtin(code)) {
    throw new DomainError('BARCODE_CHECK_DIGIT', `Barcode ${code} has a wrong check digit`, {
      barcode: code,
    });
  }
  if (code.length === 12) return `0${code}`;
  if (code.length === 14 && code.startsWith('0')) return code.slice(1);
  return code;
}

/** Build a valid EAN-13 from a 12-digit body (used by the demo catalog and tests). */
export function ean13(body12: string): string {
  if (!/^\d{12}$/.test(body12)) throw new RangeError('EAN-13 body must be 12 digits');
  return body12 + String(gtinCheckDigit(body12));
}
