import type { CurrencyCode } from './money';
import type { TaxPolicy } from './tax';

/**
 * A store's locale, currency and tax rules. The demo ships three; a real store's comes from the
 * cloud. Age limits are per store because they are per jurisdiction.
 */
export interface StoreProfile {
  readonly id: string;
  readonly name: string;
  readonly locale: string; // BCP 47, drives Intl formatting and the UI language
  readonly currency: CurrencyCode;
  /** IANA time zone: where the store's day begins and ends (dashboard, Z report). */
  readonly timeZone: string;
  readonly tax: TaxPolicy;
  readonly alcoholAge: number;
  readonly tobaccoAge: number;
  /** Banknotes offered as quick-cash buttons, in minor units. */
  readonly banknotes: readonly number[];
}

export const STORE_PROFILES: readonly StoreProfile[] = [
  {
    id: 'us',
    name: 'Demo Market, Austin TX',
    locale: 'en-US',
    currency: 'USD',
    timeZone: 'America/Chicago',
    tax: {
      rates: { standard: 825, reduced: 0, exempt: 0 },
      pricesIncludeTax: false,
      rounding: 'per-line',
    },
    alcoholAge: 21,
    tobaccoAge: 21,
    banknotes: [500, 1000, 2000, 5000, 10000],
  },
  {
    id: 'de',
    name: 'Demo Markt, Berlin',
    locale: 'de-DE',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    tax: {
      rates: { standard: 1900, reduced: 700, exempt: 0 },
      pricesIncludeTax: true,
      rounding: 'per-total',
    },
    alcoholAge: 18,
    tobaccoAge: 18,
    banknotes: [500, 1000, 2000, 5000, 10000],
  },
  {
    id: 'kr',
    name: '데모 마켓, 서울',
    locale: 'ko-KR',
    currency: 'KRW',
    timeZone: 'Asia/Seoul',
    tax: {
      rates: { standard: 1000, reduced: 0, exempt: 0 },
      pricesIncludeTax: true,
      rounding: 'per-total',
    },
    alcoholAge: 19,
    tobaccoAge: 19,
    banknotes: [1000, 5000, 10000, 50000],
  },
];

export function storeProfile(id: string): StoreProfile {
  const p = STORE_PROFILES.find((s) => s.id === id);
  if (!p) throw new RangeError(`Unknown store profile ${id}`);
  return p;
}
