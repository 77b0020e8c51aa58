import { useEffect, useSyncExternalStore } from 'react';
import { switchLanguage } from '../../i18n/i18n';
import { useAppStore } from '../../store/appStore';
import { selectLanguage } from '../../store/selectors/languageSelectors';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribeToSystemTheme(onChange: () => void): () => void {
  const query = darkQuery();
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function useSystemPrefersDark(): boolean {
  return useSyncExternalStore(subscribeToSystemTheme, () => darkQuery().matches);
}

/** Applies the chosen (or the OS's) language and theme to the document. */
export function useAppearance(): void {
  const language = useAppStore(selectLanguage(navigator.languages));
  const themePreference = useAppStore((state) => state.settings.theme);
  const systemDark = useSystemPrefersDark();
  const theme = themePreference === 'system' ? (systemDark ? 'dark' : 'light') : themePreference;

  useEffect(() => {
    void switchLanguage(language);
  }, [language]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
