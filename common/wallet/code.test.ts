import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidGtin } from '../barcode';
import {
  demoWalletCode,
  emulatedWalletBehaviour,
  isWalletCode,
  walletCodeLast4,
  walletCodeOf,
} from './code';

describe('wallet payment codes', () => {
  it('reads 18 digits starting 25–30, bare or after WALLETPAY:', () => {
    expect(walletCodeOf('280123456789012345')).toBe('280123456789012345');
    expect(walletCodeOf(' 250000000000000001\n')).toBe('250000000000000001');
    expect(walletCodeOf('300000000000000001')).toBe('300000000000000001');
    expect(walletCodeOf('walletpay:280123456789012345')).toBe('280123456789012345');
    expect(walletCodeLast4('280123456789012345')).toBe('2345');
  });

  it('refuses other lengths, prefixes and characters', () => {
    for (const s of [
      '24' + '0'.repeat(16),
      '31' + '0'.repeat(16),
      '28' + '0'.repeat(15),
      '28' + '0'.repeat(17),
      '28012345678901234x',
      'WALLETPAY:',
      '',
    ])
      expect(isWalletCode(s), s).toBe(false);
  });

  it('no product code (GTIN-8/12/13/14) is ever a wallet code', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 12, 13, 14), fc.nat(), (len, n) => {
        const code = String(n).padStart(len, '0').slice(-len);
        expect(isWalletCode(code)).toBe(false);
        return true;
      }),
    );
    expect(isValidGtin('280123456789012345')).toBe(false);
  });

  it('demo codes carry their behaviour in the third digit', () => {
    for (const b of ['approve', 'decline', 'insufficient-funds', 'expired', 'used'] as const) {
      const code = demoWalletCode(b, 42);
      expect(isWalletCode(code)).toBe(true);
      expect(emulatedWalletBehaviour(code)).toBe(b);
    }
    expect(() => demoWalletCode('approve', 10n ** 15n)).toThrow(RangeError);
  });
});
