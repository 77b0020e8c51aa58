import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../shared/settings/settings';
import { en } from './locales/en';
import { zh } from './locales/zh';

/** The `lang` attribute matters for CJK line breaking and font choice, and for screen readers. */
const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-CN' };

export async function initI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, zh: { translation: zh } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = HTML_LANG[language];
}

export async function switchLanguage(language: Language): Promise<void> {
  if (i18next.language !== language) await i18next.changeLanguage(language);
  document.documentElement.lang = HTML_LANG[language];
}
