import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES, type Language, currentLanguage, setLanguage } from '../i18n';

/** The UI language: English or Korean; the first visit follows the OS. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('shell.language')}</span>
      <select
        aria-label="Language / 언어"
        value={currentLanguage()}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          // Each language named in itself, so a reader of either finds it.
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </label>
  );
}
