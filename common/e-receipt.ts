/**
 * The e-receipt link printed as a QR code: `<cloud>/r/<token>`. The token is the first 128 bits
 * of SHA-256 over a fixed label, the store id and the sale id, in hex. A sale id is a random
 * UUID the lane drew (122 bits), so a token cannot be guessed or derived from a receipt number;
 * the lane can print it offline, and the cloud finds the sale by the same function in SQL
 * (migration 9, `e_receipt_token`). The store id in the hash keeps two stores' sales apart even
 * if a lane chose an id another store already has.
 */
export const E_RECEIPT_LABEL = 'palm-checkout e-receipt/1';

export const E_RECEIPT_TOKEN = /^[0-9a-f]{32}$/;

export async function eReceiptToken(storeId: string, saleId: string): Promise<string> {
  const input = new TextEncoder().encode(`${E_RECEIPT_LABEL}\n${storeId}\n${saleId}`);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function eReceiptUrl(cloudUrl: string, token: string): string {
  return `${cloudUrl.replace(/\/+$/, '')}/r/${token}`;
}
