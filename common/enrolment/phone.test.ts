import { describe, expect, it } from 'vitest';
import { countryOfLocale, normalisePhone } from './phone';

describe('normalisePhone', () => {
  it('normalises national and international forms to E.164', () => {
    expect(normalisePhone('(201) 555-0123', 'US')).toEqual({
      ok: true,
      e164: '+12015550123',
      last4: '0123',
      country: 'US',
    });
    expect(normalisePhone('030 12345678', 'DE')).toMatchObject({ ok: true, e164: '+493012345678' });
    expect(normalisePhone('010-1234-5678', 'KR')).toMatchObject({
      ok: true,
      e164: '+821012345678',
    });
    // An international number wins over the store's country.
    expect(normalisePhone('+49 30 12345678', 'US')).toMatchObject({
      ok: true,
      e164: '+493012345678',
      country: 'DE',
    });
  });

  it('refuses what is not a phone number, with the reason', () => {
    expect(normalisePhone('   ', 'US')).toEqual({ ok: false, reason: 'empty' });
    expect(normalisePhone('555-0123', 'US')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('(000) 000-0000', 'US')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('201555O123', 'US')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('+1 201 555 0123; DROP TABLE', 'US')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(normalisePhone('1'.repeat(40), 'US')).toEqual({ ok: false, reason: 'too-long' });
  });

  it('takes the default country from the store locale', () => {
    expect(countryOfLocale('de-DE')).toBe('DE');
    expect(countryOfLocale('ko-KR')).toBe('KR');
    expect(countryOfLocale('en')).toBe('US');
  });
});
