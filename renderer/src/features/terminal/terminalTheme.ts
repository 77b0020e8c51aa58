import type { ITheme } from '@xterm/xterm';
import type { ISearchOptions } from '@xterm/addon-search';

export type ThemeMode = 'light' | 'dark';

/**
 * The 16 ANSI colours per theme. The light set is darkened so yellow, cyan and "white" output stays
 * readable on a white page; the dark set is lifted off the dark background.
 */
const ANSI: Record<ThemeMode, Omit<ITheme, 'foreground' | 'background' | 'cursor' | 'cursorAccent' | 'selectionBackground'>> = {
  light: {
    black: '#1c2430',
    red: '#c62f3b',
    green: '#1f7a3f',
    yellow: '#8a6100',
    blue: '#2f5fc4',
    magenta: '#9a3fb0',
    cyan: '#0f7f8a',
    white: '#8c95a3',
    brightBlack: '#5b6675',
    brightRed: '#e0414d',
    brightGreen: '#2e9a55',
    brightYellow: '#a57700',
    brightBlue: '#4a78db',
    brightMagenta: '#b455cc',
    brightCyan: '#1596a3',
    brightWhite: '#b3bac5',
  },
  dark: {
    black: '#373e4a',
    red: '#f07178',
    green: '#8fd37f',
    yellow: '#e6c07b',
    blue: '#6ea8ff',
    magenta: '#c792ea',
    cyan: '#56c8d8',
    white: '#c9d1d9',
    brightBlack: '#6b7482',
    brightRed: '#ff8f96',
    brightGreen: '#a8e89a',
    brightYellow: '#f5d68f',
    brightBlue: '#93bfff',
    brightMagenta: '#dcb0f5',
    brightCyan: '#82dbe6',
    brightWhite: '#f2f4f7',
  },
};

/** The search addon wants #RRGGBB for its highlights. */
const SEARCH: Record<ThemeMode, NonNullable<ISearchOptions['decorations']>> = {
  light: { matchBackground: '#ffe08a', matchOverviewRuler: '#d9a400', activeMatchBackground: '#ffa94d', activeMatchColorOverviewRuler: '#e8590c' },
  dark: { matchBackground: '#5c4d12', matchOverviewRuler: '#c9a227', activeMatchBackground: '#a35a12', activeMatchColorOverviewRuler: '#ff922b' },
};

export function themeMode(root: HTMLElement): ThemeMode {
  return root.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** The app's colours (app.css variables, already switched by data-theme) around the ANSI set. */
export function terminalTheme(style: CSSStyleDeclaration, mode: ThemeMode): ITheme {
  const css = (name: string) => style.getPropertyValue(name).trim();
  const accent = css('--accent');
  return {
    ...ANSI[mode],
    foreground: css('--text'),
    background: css('--surface'),
    cursor: accent,
    cursorAccent: css('--surface'),
    // Translucent, so selected text keeps its own colours.
    selectionBackground: /^#[0-9a-f]{6}$/i.test(accent) ? `${accent}55` : css('--accent-soft'),
  };
}

export function searchDecorations(mode: ThemeMode): NonNullable<ISearchOptions['decorations']> {
  return SEARCH[mode];
}
