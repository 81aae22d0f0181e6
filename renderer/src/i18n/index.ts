import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { kioskStrings } from './kiosk-strings';
import { matcherStrings } from './matcher-strings';
import { palmTenderStrings } from './palm-tender-strings';
import { scannerStrings } from './scanner-strings';
import { staffStrings } from './staff-strings';
import { syncStrings } from './sync-strings';
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
          ...kioskStrings.en,
          ...palmTenderStrings.en,
        },
      },
      de: {
        translation: {
          ...de,
          ...scannerStrings.de,
          ...matcherStrings.de,
          ...syncStrings.de,
          ...staffStrings.de,
          ...kioskStrings.de,
          ...palmTenderStrings.de,
        },
      },
      ko: {
        translation: {
          ...ko,
          ...scannerStrings.ko,
          ...matcherStrings.ko,
          ...syncStrings.ko,
          ...staffStrings.ko,
          ...kioskStrings.ko,
          ...palmTenderStrings.ko,
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
