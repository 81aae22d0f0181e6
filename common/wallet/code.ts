/**
 * Wallet payment codes: the one-time barcode or QR code a shopper's wallet app shows (as
 * Alipay, WeChat Pay, Kakao Pay and Naver Pay do at a counter). The lane's keyboard-wedge
 * scanner types it like any barcode, so the lane tells it apart by format alone:
 *
 *   exactly 18 digits, the first two 25–30   e.g. 28 0 123456789012345
 *
 * That is the range Alipay's user payment codes use. A product code is a GTIN of 8, 12, 13 or 14
 * digits (common/barcode.ts), so no product can ever be read as a wallet code, nor a wallet code
 * as a product. An 18-digit GS1 SSCC is a pallet label, never on a shelf item. A QR code from a
 * wallet carries the same digits (the scanner types them), optionally after `WALLETPAY:`.
 *
 * A code is a bearer credential for one payment: the lane never stores or logs it whole (the
 * tender keeps its last four digits), and the cloud keeps only its SHA-256 to refuse reuse.
 */

export const WALLET_CODE_PATTERN = /^(?:2[5-9]|30)\d{16}$/;
const QR_PREFIX = 'WALLETPAY:';

/** The code's digits when the scanned text is a wallet payment code, else null. */
export function walletCodeOf(scanned: string): string | null {
  let s = scanned.trim();
  if (s.toUpperCase().startsWith(QR_PREFIX)) s = s.slice(QR_PREFIX.length);
  return WALLET_CODE_PATTERN.test(s) ? s : null;
}

export const isWalletCode = (scanned: string): boolean => walletCodeOf(scanned) !== null;

/** What may be shown or printed of a code. */
export const walletCodeLast4 = (code: string): string => code.slice(-4);

/**
 * The emulated wallet's deterministic codes: the third digit says what it answers (README,
 * docs/payments.md). 0–5 approve, 6 declines, 7 has too low a balance, 8 has expired, 9 the
 * wallet reports as used already. Any code, once paid, is refused by the store cloud when shown
 * again (the cloud's own check, whatever the wallet says).
 */
export type EmulatedWalletBehaviour =
  'approve' | 'decline' | 'insufficient-funds' | 'expired' | 'used';

export function emulatedWalletBehaviour(code: string): EmulatedWalletBehaviour {
  const d = Number(code[2]);
  if (d <= 5) return 'approve';
  if (d === 6) return 'decline';
  if (d === 7) return 'insufficient-funds';
  if (d === 8) return 'expired';
  return 'used';
}

const DIGIT: Record<EmulatedWalletBehaviour, string> = {
  approve: '0',
  decline: '6',
  'insufficient-funds': '7',
  expired: '8',
  used: '9',
};

/** A demo code with the behaviour asked for; `serial` (up to 15 digits) makes it unique. */
export function demoWalletCode(
  behaviour: EmulatedWalletBehaviour,
  serial: number | bigint,
): string {
  const tail = BigInt(serial).toString().padStart(15, '0');
  if (tail.length > 15) throw new RangeError('serial must have at most 15 digits');
  return `28${DIGIT[behaviour]}${tail}`;
}
