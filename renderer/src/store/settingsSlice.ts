import type { StateCreator } from 'zustand';
import { applySettingsPatch, DEFAULT_SETTINGS } from '../../../shared/settings/settings';
import type { Language, Settings, SettingsPatch } from '../../../shared/settings/settings';
import type { AppState } from './appStore';

export interface SettingsSlice {
  settings: Settings;
  /** `?lang=` or `--lang`: wins for this session until the user picks a language. */
  languageOverride: Language | null;
  settingsReceived(settings: Settings): void;
  /** Applied at once so the UI never waits on the round trip; the main process's answer follows. */
  settingsPatched(patch: SettingsPatch): void;
  languageOverridden(language: Language | null): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settings: DEFAULT_SETTINGS,
  languageOverride: null,
  settingsReceived: (settings) => set({ settings }),
  settingsPatched: (patch) =>
    set((state) => ({
      settings: applySettingsPatch(state.settings, patch),
      languageOverride: patch.language ? null : state.languageOverride,
    })),
  languageOverridden: (languageOverride) => set({ languageOverride }),
});
