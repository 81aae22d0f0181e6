/**
 * base64url (RFC 4648 §5, no padding) over bytes, in plain code: common/ runs in any runtime, so
 * neither Buffer nor btoa/atob is assumed. Decoding refuses anything that is not canonical
 * base64url, so one value never has two spellings (a signed capture is compared as text).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

export function fromBase64url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new RangeError('not base64url: impossible length');
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of text) {
    const v = VALUE.get(c);
    if (v === undefined) throw new RangeError('not base64url: unexpected character');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new RangeError('not base64url: non-canonical ending');
  return out;
}
