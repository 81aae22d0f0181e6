import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './base64url';

describe('base64url', () => {
  it('agrees with Node’s encoder and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses text that is not canonical base64url', () => {
    expect(() => fromBase64url('ab+c')).toThrow(/unexpected character/);
    expect(() => fromBase64url('abcde')).toThrow(/impossible length/);
    expect(fromBase64url('AQ')).toEqual(new Uint8Array([1]));
    expect(() => fromBase64url('AR')).toThrow(/non-canonical/); // the same byte as 'AQ'
  });
});
