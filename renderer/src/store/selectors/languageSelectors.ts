import { resolveLanguage } from '../../../../shared/settings/settings';
import type { Language } from '../../../../shared/settings/settings';
import type { AppState } from '../appStore';

export function selectLanguage(osLocales: readonly string[]) {
  return (state: AppState): Language => state.languageOverride ?? resolveLanguage(state.settings.language, osLocales);
}
