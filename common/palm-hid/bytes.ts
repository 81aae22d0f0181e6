/** Byte helpers shared by the codec, the driver and palmctl. Runtime-neutral (no Buffer). */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** Strict hex: an even number of hex digits, nothing else (whitespace is the caller's business). */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new RangeError(`hex has an odd number of digits (${hex.length})`);
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('hex may contain only 0-9, a-f, A-F');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function cidHex(cid: number): string {
  return '0x' + (cid >>> 0).toString(16).padStart(8, '0');
}

export function byteHex(b: number): string {
  return '0x' + b.toString(16).padStart(2, '0');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function readU16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function readU32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** ASCII field, NUL-padded to `size`; refuses non-ASCII and overlong text. */
export function writeAscii(b: Uint8Array, o: number, size: number, text: string): void {
  if (text.length > size) throw new RangeError(`“${text}” is longer than ${size} bytes`);
  for (let i = 0; i < size; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c > 0x7e || (c < 0x20 && c !== 0)) throw new RangeError(`“${text}” is not printable ASCII`);
    b[o + i] = c;
  }
}

/** Reads a NUL-padded ASCII field; stops at the first NUL. */
export function readAscii(b: Uint8Array, o: number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) {
    const c = b[o + i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}
