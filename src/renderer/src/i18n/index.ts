/**
 * The UI's languages, through i18next and react-i18next: English and Korean. The first visit
 * follows the OS (navigator.language); a choice in the header's switch is remembered. Numbers and
 * dates go through Intl in the chosen language (useFormat).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ko: '한국어' };

const KEY = 'vmscope.language';

const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value);

/** The remembered choice, else the OS language when we have it, else English. */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage disabled: follow the OS.
  }
  // Plain Node (unit tests of modules that name things through i18n) has no navigator.
  const nav = globalThis.navigator as Navigator | undefined;
  const os = (nav?.languages?.[0] ?? nav?.language ?? 'en').toLowerCase();
  return os.startsWith('ko') ? 'ko' : 'en';
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(KEY, language);
  } catch {
    // Remembering is a convenience; the switch still works for this page.
  }
  void i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
});

const syncDocument = (language: string): void => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
};
syncDocument(i18next.language);
i18next.on('languageChanged', syncDocument);

export { i18next };
