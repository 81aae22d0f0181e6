import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/**
 * A shopper's phone number as enrolment keeps it: validated and normalised to E.164 with
 * libphonenumber-js (Google's metadata, kept current by its maintainers) rather than a regex of
 * our own, which would accept numbers no carrier issues and refuse real ones. The store's
 * country is the default for a number typed without +prefix.
 */
export type PhoneResult =
  | { readonly ok: true; readonly e164: string; readonly last4: string; readonly country: string }
  | { readonly ok: false; readonly reason: PhoneProblem };

/** `empty`: nothing typed · `invalid`: not a number any carrier issues · `too-long`: over 32 characters. */
export type PhoneProblem = 'empty' | 'invalid' | 'too-long';

const MAX_INPUT = 32;

export function normalisePhone(raw: string, defaultCountry: string): PhoneResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > MAX_INPUT) return { ok: false, reason: 'too-long' };
  // Only what people type in a phone number: digits, spaces, + ( ) . - and nothing else.
  if (!/^\+?[\d\s().-]+$/.test(text)) return { ok: false, reason: 'invalid' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
  const e164 = parsed.number;
  return { ok: true, e164, last4: e164.slice(-4), country: parsed.country ?? defaultCountry };
}

/** Store profiles name a locale (en-US, de-DE, ko-KR); its region is the default country. */
export function countryOfLocale(locale: string): string {
  const region = locale.split('-')[1];
  return region && /^[A-Z]{2}$/.test(region) ? region : 'US';
}
