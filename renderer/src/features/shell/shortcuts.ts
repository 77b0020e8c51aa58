import type { Messages } from '../../i18n/locales/en';
import type { Screen } from '../../store/uiSlice';

export type ShortcutAction = { kind: 'screen'; screen: Screen } | { kind: 'toggleLoss' } | { kind: 'toggleHosts' } | { kind: 'help' };

export interface Shortcut {
  /** KeyboardEvent.code, so the keys work on every keyboard layout. */
  code: string;
  /** Ctrl on Windows and Linux, ⌘ on macOS; with Shift, so the shell in the terminal keeps plain Ctrl keys. */
  modShift: boolean;
  label: string;
  action: ShortcutAction;
  description: keyof Messages['shortcuts'];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { code: 'Digit1', modShift: true, label: '1', action: { kind: 'screen', screen: 'guide' }, description: 'showGuide' },
  { code: 'Digit2', modShift: true, label: '2', action: { kind: 'screen', screen: 'terminal' }, description: 'showTerminal' },
  { code: 'Digit3', modShift: true, label: '3', action: { kind: 'screen', screen: 'dataset' }, description: 'showDataset' },
  { code: 'KeyL', modShift: true, label: 'L', action: { kind: 'toggleLoss' }, description: 'toggleLoss' },
  { code: 'KeyH', modShift: true, label: 'H', action: { kind: 'toggleHosts' }, description: 'toggleHosts' },
  { code: 'F1', modShift: false, label: 'F1', action: { kind: 'help' }, description: 'help' },
];

export function isMac(platform: string): boolean {
  return /mac/i.test(platform);
}

export function matchShortcut(event: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac: boolean): Shortcut | undefined {
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return SHORTCUTS.find((shortcut) =>
    shortcut.code === event.code && !event.altKey && (shortcut.modShift ? mod && event.shiftKey : !event.ctrlKey && !event.metaKey),
  );
}

export function shortcutLabel(shortcut: Shortcut, mac: boolean): string {
  if (!shortcut.modShift) return shortcut.label;
  return mac ? `⌘⇧${shortcut.label}` : `Ctrl+Shift+${shortcut.label}`;
}

export type TerminalShortcutAction = 'search' | 'copy' | 'paste' | 'zoomIn' | 'zoomOut' | 'zoomReset';

/** Keys the focused terminal keeps for itself instead of sending them to the shell. */
export interface TerminalShortcut {
  /** KeyboardEvent.code values, the first one labelled. */
  codes: readonly string[];
  /** true: needs Shift; 'any': with or without (Ctrl+= is Ctrl+Shift+= on some layouts). */
  shift: boolean | 'any';
  label: string;
  action: TerminalShortcutAction;
  description: keyof Messages['terminal']['shortcuts'];
}

export const TERMINAL_SHORTCUTS: readonly TerminalShortcut[] = [
  { codes: ['KeyF'], shift: true, label: 'F', action: 'search', description: 'search' },
  { codes: ['KeyC'], shift: true, label: 'C', action: 'copy', description: 'copy' },
  { codes: ['KeyV'], shift: true, label: 'V', action: 'paste', description: 'paste' },
  { codes: ['Equal', 'NumpadAdd'], shift: 'any', label: '=', action: 'zoomIn', description: 'zoomIn' },
  { codes: ['Minus', 'NumpadSubtract'], shift: 'any', label: '-', action: 'zoomOut', description: 'zoomOut' },
  { codes: ['Digit0', 'Numpad0'], shift: false, label: '0', action: 'zoomReset', description: 'zoomReset' },
];

export function matchTerminalShortcut(event: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac: boolean): TerminalShortcut | undefined {
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!mod || event.altKey) return undefined;
  return TERMINAL_SHORTCUTS.find((shortcut) => shortcut.codes.includes(event.code) && (shortcut.shift === 'any' || shortcut.shift === event.shiftKey));
}

/**
 * Keys that mean one thing to the app and another to a shell, settled as VS Code's terminal and
 * GNOME Terminal settle them, and listed in the help so nobody has to find out by accident: F1 is
 * the app's (the help), Ctrl+V is the shell's (^V, "insert the next key literally"); pasting is
 * Ctrl+Shift+V or Shift+Insert (⌘V on macOS). `ctrl` is the physical Ctrl key, also on macOS.
 */
export interface TerminalKeyNote {
  code: string;
  ctrl: boolean;
  label: string;
  description: keyof Messages['terminal']['shortcuts'];
}

export const TERMINAL_KEY_NOTES: readonly TerminalKeyNote[] = [
  { code: 'F1', ctrl: false, label: 'F1', description: 'helpStaysWithApp' },
  { code: 'KeyV', ctrl: true, label: 'V', description: 'literalNext' },
];

/** Every way to paste into a terminal from the keyboard; Shift+Insert is the browser's own, outside macOS. */
export function terminalPasteKeys(mac: boolean): string {
  return mac ? '⌘V / ⌘⇧V' : 'Ctrl+Shift+V / Shift+Insert';
}

export function terminalKeyNoteLabel(note: TerminalKeyNote, mac: boolean): string {
  if (!note.ctrl) return note.label;
  return mac ? `⌃${note.label}` : `Ctrl+${note.label}`;
}

export function terminalShortcutLabel(shortcut: TerminalShortcut, mac: boolean): string {
  const shift = shortcut.shift === true;
  if (mac) return `⌘${shift ? '⇧' : ''}${shortcut.label}`;
  return `Ctrl+${shift ? 'Shift+' : ''}${shortcut.label}`;
}

export type DatasetShortcutAction = 'save' | 'nextSample' | 'previousSample' | 'nextUnreviewed';

/**
 * Keys of the dataset screen, besides the canvas's own (canvasKeymap.ts). Those with a modifier
 * work while typing in a turn; a plain key only outside text fields.
 */
export interface DatasetShortcut {
  code: string;
  modifier: 'mod' | 'alt' | null;
  label: string;
  action: DatasetShortcutAction;
  description: keyof Messages['dataset']['shortcuts'];
}

export const DATASET_SHORTCUTS: readonly DatasetShortcut[] = [
  { code: 'KeyS', modifier: 'mod', label: 'S', action: 'save', description: 'save' },
  { code: 'ArrowDown', modifier: 'alt', label: '↓', action: 'nextSample', description: 'nextSample' },
  { code: 'ArrowUp', modifier: 'alt', label: '↑', action: 'previousSample', description: 'previousSample' },
  { code: 'KeyN', modifier: null, label: 'N', action: 'nextUnreviewed', description: 'nextUnreviewed' },
];

export function matchDatasetShortcut(event: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac: boolean, inTextField: boolean): DatasetShortcut | undefined {
  if (event.shiftKey) return undefined;
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  const none = !event.ctrlKey && !event.metaKey && !event.altKey;
  return DATASET_SHORTCUTS.find((shortcut) => {
    if (shortcut.code !== event.code) return false;
    if (shortcut.modifier === 'mod') return mod && !event.altKey;
    if (shortcut.modifier === 'alt') return event.altKey && !event.ctrlKey && !event.metaKey;
    return none && !inTextField;
  });
}

export function datasetShortcutLabel(shortcut: DatasetShortcut, mac: boolean): string {
  if (shortcut.modifier === 'mod') return mac ? `⌘${shortcut.label}` : `Ctrl+${shortcut.label}`;
  if (shortcut.modifier === 'alt') return mac ? `⌥${shortcut.label}` : `Alt+${shortcut.label}`;
  return shortcut.label;
}
