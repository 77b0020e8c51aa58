import { describe, expect, it } from 'vitest';
import { matchShortcut, SHORTCUTS, shortcutLabel } from '../../../renderer/src/features/shell/shortcuts';

const key = (code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  code,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('use Ctrl+Shift on Windows/Linux and ⌘⇧ on macOS, by physical key', () => {
    expect(matchShortcut(key('Digit2', { ctrlKey: true, shiftKey: true }), false)?.action).toEqual({ kind: 'screen', screen: 'terminal' });
    expect(matchShortcut(key('Digit2', { metaKey: true, shiftKey: true }), true)?.action).toEqual({ kind: 'screen', screen: 'terminal' });
    expect(matchShortcut(key('Digit2', { metaKey: true, shiftKey: true }), false)).toBeUndefined();
  });

  it('leave plain Ctrl keys to the terminal’s shell', () => {
    for (const code of ['KeyL', 'KeyH', 'Digit1']) expect(matchShortcut(key(code, { ctrlKey: true }), false)).toBeUndefined();
    expect(matchShortcut(key('KeyL', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeUndefined();
  });

  it('have one binding per key and a label for each', () => {
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.code)).size).toBe(SHORTCUTS.length);
    expect(matchShortcut(key('F1'), false)?.action).toEqual({ kind: 'help' });
    expect(SHORTCUTS.map((shortcut) => shortcutLabel(shortcut, false))).toContain('Ctrl+Shift+L');
  });
});
