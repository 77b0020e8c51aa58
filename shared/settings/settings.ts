import { z } from 'zod';

export const Language = z.enum(['en', 'zh']);
export type Language = z.infer<typeof Language>;

export const LanguagePreference = z.enum(['system', 'en', 'zh']);
export type LanguagePreference = z.infer<typeof LanguagePreference>;

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const SIDE_PANEL_MIN_WIDTH = 260;
export const SIDE_PANEL_MAX_WIDTH = 1400;

export const Settings = z.object({
  language: LanguagePreference,
  theme: ThemePreference,
  sidePanel: z.object({
    open: z.boolean(),
    width: z.number().int().min(SIDE_PANEL_MIN_WIDTH).max(SIDE_PANEL_MAX_WIDTH),
  }),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    language: LanguagePreference,
    theme: ThemePreference,
    sidePanel: Settings.shape.sidePanel.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  sidePanel: { open: true, width: 420 },
};

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return Settings.parse({
    ...current,
    ...patch,
    sidePanel: { ...current.sidePanel, ...patch.sidePanel },
  });
}

/**
 * Reads whatever a settings file holds, keeping each valid field and falling back to the default
 * for the rest, so one bad value (a hand edit, an older version) never throws the others away.
 */
export function settingsFromStored(stored: unknown): Settings {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const panel = typeof record.sidePanel === 'object' && record.sidePanel !== null ? (record.sidePanel as Record<string, unknown>) : {};
  const pick = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fallback;
  };
  return {
    language: pick(LanguagePreference, record.language, DEFAULT_SETTINGS.language),
    theme: pick(ThemePreference, record.theme, DEFAULT_SETTINGS.theme),
    sidePanel: {
      open: pick(Settings.shape.sidePanel.shape.open, panel.open, DEFAULT_SETTINGS.sidePanel.open),
      width: pick(Settings.shape.sidePanel.shape.width, panel.width, DEFAULT_SETTINGS.sidePanel.width),
    },
  };
}

/** The language to show: an explicit choice wins, else the OS locale (any zh-* is Chinese). */
export function resolveLanguage(preference: LanguagePreference, osLocales: readonly string[]): Language {
  if (preference !== 'system') return preference;
  for (const locale of osLocales) {
    const primary = locale.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh';
    if (primary === 'en') return 'en';
  }
  return 'en';
}
