import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';

export const Language = z.enum(['en', 'zh']);
export type Language = z.infer<typeof Language>;

export const LanguagePreference = z.enum(['system', 'en', 'zh']);
export type LanguagePreference = z.infer<typeof LanguagePreference>;

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const SIDE_PANEL_MIN_WIDTH = 260;
export const SIDE_PANEL_MAX_WIDTH = 1400;

export const TERMINAL_FONT_SIZE = { min: 8, max: 32 } as const;
/** Lines kept above the screen, per terminal: every kept line costs memory in the renderer. */
export const TERMINAL_SCROLLBACK = { min: 0, max: 100_000 } as const;

export const TerminalSettings = z.object({
  fontSize: z.number().int().min(TERMINAL_FONT_SIZE.min).max(TERMINAL_FONT_SIZE.max),
  scrollback: z.number().int().min(TERMINAL_SCROLLBACK.min).max(TERMINAL_SCROLLBACK.max),
  copyOnSelect: z.boolean(),
});
export type TerminalSettings = z.infer<typeof TerminalSettings>;

/** Logs opened in the loss panel, newest first. A local file is remembered by name only (the
 * page never learns its path); a remote one by host and path, so it can be opened again. */
export const RECENT_LOGS_MAX = 10;
export const RecentLog = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), name: z.string().min(1).max(1024) }),
  z.object({ kind: z.literal('remote'), hostId: HostId, path: z.string().min(1).max(4096), follow: z.boolean() }),
]);
export type RecentLog = z.infer<typeof RecentLog>;

export const Settings = z.object({
  language: LanguagePreference,
  theme: ThemePreference,
  sidePanel: z.object({
    open: z.boolean(),
    width: z.number().int().min(SIDE_PANEL_MIN_WIDTH).max(SIDE_PANEL_MAX_WIDTH),
  }),
  terminal: TerminalSettings,
  recentLogs: z.array(RecentLog).max(RECENT_LOGS_MAX),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    language: LanguagePreference,
    theme: ThemePreference,
    sidePanel: Settings.shape.sidePanel.partial().strict(),
    terminal: TerminalSettings.partial().strict(),
    recentLogs: Settings.shape.recentLogs,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  sidePanel: { open: true, width: 420 },
  terminal: { fontSize: 14, scrollback: 10_000, copyOnSelect: true },
  recentLogs: [],
};

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return Settings.parse({
    ...current,
    ...patch,
    sidePanel: { ...current.sidePanel, ...patch.sidePanel },
    terminal: { ...current.terminal, ...patch.terminal },
  });
}

/**
 * Reads whatever a settings file holds, keeping each valid field and falling back to the default
 * for the rest, so one bad value (a hand edit, an older version) never throws the others away.
 */
export function settingsFromStored(stored: unknown): Settings {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const section = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const panel = section(record.sidePanel);
  const terminal = section(record.terminal);
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
    terminal: {
      fontSize: pick(TerminalSettings.shape.fontSize, terminal.fontSize, DEFAULT_SETTINGS.terminal.fontSize),
      scrollback: pick(TerminalSettings.shape.scrollback, terminal.scrollback, DEFAULT_SETTINGS.terminal.scrollback),
      copyOnSelect: pick(TerminalSettings.shape.copyOnSelect, terminal.copyOnSelect, DEFAULT_SETTINGS.terminal.copyOnSelect),
    },
    // Each entry on its own: one broken entry does not lose the others.
    recentLogs: (Array.isArray(record.recentLogs) ? record.recentLogs : []).flatMap((entry) => {
      const parsed = RecentLog.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }).slice(0, RECENT_LOGS_MAX),
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
