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
