import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enrolmentStrings } from './enrolment-strings';
import { kioskStrings } from './kiosk-strings';
import { matcherStrings } from './matcher-strings';
import { palmTenderStrings } from './palm-tender-strings';
import { receiptStrings } from './receipt-strings';
import { scannerStrings } from './scanner-strings';
import { staffStrings } from './staff-strings';
import { storeDayStrings } from './store-day-strings';
import { supportStrings } from './support-strings';
import { syncStrings } from './sync-strings';
import { tenderStrings } from './tender-strings';
import { de, en, ko } from './strings';

/** The UI language follows the store's locale ("de-DE" → German); English is the fallback. */
export function languageOf(locale: string): 'en' | 'de' | 'ko' {
  const lang = locale.slice(0, 2);
  return lang === 'de' || lang === 'ko' ? lang : 'en';
}

export async function initI18n(locale: string): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: {
      en: {
        translation: {
          ...en,
          ...scannerStrings.en,
          ...matcherStrings.en,
          ...syncStrings.en,
          ...staffStrings.en,
          ...palmTenderStrings.en,
          ...receiptStrings.en,
          ...kioskStrings.en,
          ...storeDayStrings.en,
          ...enrolmentStrings.en,
          nav: { ...en.nav, ...storeDayStrings.en.nav, ...enrolmentStrings.en.nav },
          ...supportStrings.en,
          ...tenderStrings.en,
          tender: { ...en.tender, ...tenderStrings.en.tender },
          printout: { ...receiptStrings.en.printout, ...tenderStrings.en.printout },
          errors: { ...en.errors, ...tenderStrings.en.errors },
        },
      },
      de: {
        translation: {
          ...de,
          ...scannerStrings.de,
          ...matcherStrings.de,
          ...syncStrings.de,
          ...staffStrings.de,
          ...palmTenderStrings.de,
          ...receiptStrings.de,
          ...kioskStrings.de,
          ...storeDayStrings.de,
          ...enrolmentStrings.de,
          nav: { ...de.nav, ...storeDayStrings.de.nav, ...enrolmentStrings.de.nav },
          ...supportStrings.de,
          ...tenderStrings.de,
          tender: { ...de.tender, ...tenderStrings.de.tender },
          printout: { ...receiptStrings.de.printout, ...tenderStrings.de.printout },
          errors: { ...de.errors, ...tenderStrings.de.errors },
        },
      },
      ko: {
        translation: {
          ...ko,
          ...scannerStrings.ko,
          ...matcherStrings.ko,
          ...syncStrings.ko,
          ...staffStrings.ko,
          ...palmTenderStrings.ko,
          ...receiptStrings.ko,
          ...kioskStrings.ko,
          ...storeDayStrings.ko,
          ...enrolmentStrings.ko,
          nav: { ...ko.nav, ...storeDayStrings.ko.nav, ...enrolmentStrings.ko.nav },
          ...supportStrings.ko,
          ...tenderStrings.ko,
          tender: { ...ko.tender, ...tenderStrings.ko.tender },
          printout: { ...receiptStrings.ko.printout, ...tenderStrings.ko.printout },
          errors: { ...ko.errors, ...tenderStrings.ko.errors },
        },
      },
    },
    lng: languageOf(locale),
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return i18next;
}

export async function setLocale(locale: string): Promise<void> {
  await i18next.changeLanguage(languageOf(locale));
  document.documentElement.lang = languageOf(locale);
}
