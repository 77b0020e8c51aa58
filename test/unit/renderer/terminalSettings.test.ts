import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, SettingsPatch, settingsFromStored } from '../../../shared/settings/settings';
import { matchShortcut, matchTerminalShortcut, SHORTCUTS, TERMINAL_KEY_NOTES, TERMINAL_SHORTCUTS, terminalKeyNoteLabel, terminalPasteKeys, terminalShortcutLabel } from '../../../renderer/src/features/shell/shortcuts';

const key = (code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('terminal settings', () => {
  it('patch one field and keep the others', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { terminal: { fontSize: 16 } });
    expect(next.terminal).toEqual({ ...DEFAULT_SETTINGS.terminal, fontSize: 16 });
    expect(next.sidePanel).toEqual(DEFAULT_SETTINGS.sidePanel);
  });

  it('refuse sizes a terminal cannot use and unknown fields', () => {
    for (const terminal of [{ fontSize: 4 }, { fontSize: 14.5 }, { scrollback: -1 }, { scrollback: 100_001 }, { copyOnSelect: 'yes' }, { bell: true }]) {
      expect(SettingsPatch.safeParse({ terminal }).success).toBe(false);
    }
  });

  it('keep each valid stored value and default the rest, including from files older than the terminal', () => {
    expect(settingsFromStored({ theme: 'dark' }).terminal).toEqual(DEFAULT_SETTINGS.terminal);
    expect(settingsFromStored({ terminal: { fontSize: 18, scrollback: 'lots', copyOnSelect: false } }).terminal).toEqual({ fontSize: 18, scrollback: DEFAULT_SETTINGS.terminal.scrollback, copyOnSelect: false });
  });
});

describe('terminal shortcuts', () => {
  it('search, copy and paste with Ctrl+Shift (⌘⇧ on macOS), leaving plain Ctrl keys to the shell', () => {
    expect(matchTerminalShortcut(key('KeyF', { ctrlKey: true, shiftKey: true }), false)?.action).toBe('search');
    expect(matchTerminalShortcut(key('KeyF', { metaKey: true, shiftKey: true }), true)?.action).toBe('search');
    expect(matchTerminalShortcut(key('KeyC', { ctrlKey: true, shiftKey: true }), false)?.action).toBe('copy');
    for (const code of ['KeyC', 'KeyV', 'KeyF']) expect(matchTerminalShortcut(key(code, { ctrlKey: true }), false)).toBeUndefined();
    expect(matchTerminalShortcut(key('KeyF', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeUndefined();
  });

  it('zoom with Ctrl+= (also typed with Shift, or on the keypad), Ctrl+- and Ctrl+0', () => {
    expect(matchTerminalShortcut(key('Equal', { ctrlKey: true }), false)?.action).toBe('zoomIn');
    expect(matchTerminalShortcut(key('Equal', { ctrlKey: true, shiftKey: true }), false)?.action).toBe('zoomIn');
    expect(matchTerminalShortcut(key('NumpadAdd', { ctrlKey: true }), false)?.action).toBe('zoomIn');
    expect(matchTerminalShortcut(key('Minus', { ctrlKey: true }), false)?.action).toBe('zoomOut');
    expect(matchTerminalShortcut(key('Digit0', { ctrlKey: true }), false)?.action).toBe('zoomReset');
    expect(matchTerminalShortcut(key('Digit0', { ctrlKey: true, shiftKey: true }), false)).toBeUndefined();
  });

  it('never take a key the app’s own shortcuts use, and each has a label', () => {
    for (const shortcut of TERMINAL_SHORTCUTS) {
      for (const code of shortcut.codes) {
        const event = key(code, { ctrlKey: true, shiftKey: shortcut.shift === true });
        expect(matchShortcut(event, false)).toBeUndefined();
      }
    }
    for (const shortcut of SHORTCUTS) expect(matchTerminalShortcut(key(shortcut.code, { ctrlKey: shortcut.modShift, shiftKey: shortcut.modShift }), false)).toBeUndefined();
    expect(TERMINAL_SHORTCUTS.map((shortcut) => terminalShortcutLabel(shortcut, false))).toEqual(['Ctrl+Shift+F', 'Ctrl+Shift+C', 'Ctrl+Shift+V', 'Ctrl+=', 'Ctrl+-', 'Ctrl+0']);
    expect(terminalShortcutLabel(TERMINAL_SHORTCUTS[0]!, true)).toBe('⌘⇧F');
  });

  it('say in the help what they do with F1 and Ctrl+V, and do it: F1 opens the help, Ctrl+V goes to the shell', () => {
    for (const mac of [false, true]) {
      const f1 = key('F1');
      expect(matchShortcut(f1, mac)?.action).toEqual({ kind: 'help' });
      expect(matchTerminalShortcut(f1, mac)).toBeUndefined();
      // The physical Ctrl key on every platform: nothing claims it, so xterm sends ^V.
      const ctrlV = key('KeyV', { ctrlKey: true });
      expect(matchShortcut(ctrlV, mac)).toBeUndefined();
      expect(matchTerminalShortcut(ctrlV, mac)).toBeUndefined();
    }
    expect(matchTerminalShortcut(key('KeyV', { ctrlKey: true, shiftKey: true }), false)?.action).toBe('paste');
    expect(TERMINAL_KEY_NOTES.map((note) => [terminalKeyNoteLabel(note, false), note.description])).toEqual([
      ['F1', 'helpStaysWithApp'],
      ['Ctrl+V', 'literalNext'],
    ]);
    expect(TERMINAL_KEY_NOTES.map((note) => terminalKeyNoteLabel(note, true))).toEqual(['F1', '⌃V']);
    expect(terminalPasteKeys(false)).toBe('Ctrl+Shift+V / Shift+Insert');
    expect(terminalPasteKeys(true)).toBe('⌘V / ⌘⇧V');
  });
});
