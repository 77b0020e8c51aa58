import { describe, expect, it } from 'vitest';
import { CANVAS_KEY_HELP, commandForKey, keyCapLabel } from '../../../renderer/src/features/dataset/canvas/canvasKeymap';
import { colorOfLabel, LABEL_PALETTE, labelsWithColors, textColorOn } from '../../../renderer/src/features/dataset/canvas/labelPalette';
import { matchShortcut } from '../../../renderer/src/features/shell/shortcuts';
import { en } from '../../../renderer/src/i18n/locales/en';
import { zh } from '../../../renderer/src/i18n/locales/zh';

type Mods = Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>>;
const key = (code: string, mods: Mods = {}) => ({ code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the canvas keys', () => {
  it('follow the annotation tools’ conventions', () => {
    expect(commandForKey(key('KeyW'), false)).toEqual({ kind: 'toggleDraw' });
    expect(commandForKey(key('KeyR'), false)).toEqual({ kind: 'toggleDraw' });
    expect(commandForKey(key('KeyA'), false)).toEqual({ kind: 'intent', intent: 'previousImage' });
    expect(commandForKey(key('KeyD'), false)).toEqual({ kind: 'intent', intent: 'nextImage' });
    expect(commandForKey(key('KeyV'), false)).toEqual({ kind: 'intent', intent: 'markReviewed' });
    expect(commandForKey(key('KeyZ', { ctrlKey: true }), false)).toEqual({ kind: 'undo' });
    expect(commandForKey(key('KeyZ', { ctrlKey: true, shiftKey: true }), false)).toEqual({ kind: 'redo' });
    expect(commandForKey(key('KeyY', { ctrlKey: true }), false)).toEqual({ kind: 'redo' });
    expect(commandForKey(key('Delete'), false)).toEqual({ kind: 'delete', force: false });
    expect(commandForKey(key('Backspace', { shiftKey: true }), false)).toEqual({ kind: 'delete', force: true });
    expect(commandForKey(key('Slash', { shiftKey: true }), false)).toEqual({ kind: 'intent', intent: 'help' });
  });

  it('use ⌘ instead of Ctrl on macOS, and leave Ctrl there alone', () => {
    expect(commandForKey(key('KeyZ', { metaKey: true }), true)).toEqual({ kind: 'undo' });
    expect(commandForKey(key('KeyZ', { ctrlKey: true }), true)).toBeNull();
    expect(commandForKey(key('KeyZ', { metaKey: true }), false)).toBeNull();
  });

  it('map digits 1–9 to labels and 0 to actual size, on both rows of digits', () => {
    expect(commandForKey(key('Digit1'), false)).toEqual({ kind: 'pickLabel', index: 0 });
    expect(commandForKey(key('Numpad9'), false)).toEqual({ kind: 'pickLabel', index: 8 });
    expect(commandForKey(key('Digit0'), false)).toEqual({ kind: 'actualSize' });
    expect(commandForKey(key('Digit1', { shiftKey: true }), false)).toBeNull();
  });

  it('nudge 1 px, or 10 with Shift', () => {
    expect(commandForKey(key('ArrowLeft'), false)).toEqual({ kind: 'nudge', dx: -1, dy: 0 });
    expect(commandForKey(key('ArrowDown', { shiftKey: true }), false)).toEqual({ kind: 'nudge', dx: 0, dy: 10 });
  });

  it('leave the app’s Ctrl+Shift shortcuts and Alt combinations alone', () => {
    for (const code of ['KeyH', 'KeyL', 'Digit1', 'Digit3']) {
      const event = key(code, { ctrlKey: true, shiftKey: true });
      expect(matchShortcut(event, false)).toBeDefined();
      expect(commandForKey(event, false)).toBeNull();
    }
    expect(commandForKey(key('KeyW', { altKey: true }), false)).toBeNull();
  });

  it('list every key in the help, each with a description in both languages', () => {
    expect(CANVAS_KEY_HELP.map((row) => row.action).sort()).toEqual(Object.keys(en.dataset.keys.actions).sort());
    expect(Object.keys(zh.dataset.keys.actions).sort()).toEqual(Object.keys(en.dataset.keys.actions).sort());
    expect(keyCapLabel('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(keyCapLabel('Mod+Shift+Z', true)).toBe('⌘⇧Z');
  });
});

describe('label colours', () => {
  it('follow the list order, one palette colour per digit key', () => {
    const labels = labelsWithColors(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(labels.slice(0, 9).map((label) => label.color)).toEqual(LABEL_PALETTE);
    expect(new Set(LABEL_PALETTE).size).toBe(9);
    expect(labels[9]?.color).toBe(LABEL_PALETTE[0]);
  });

  it('give a label missing from the list one stable palette colour', () => {
    const labels = labelsWithColors(['cat']);
    expect(colorOfLabel(labels, 'cat')).toBe(LABEL_PALETTE[0]);
    expect(colorOfLabel(labels, '行人')).toBe(colorOfLabel([], '行人'));
    expect(LABEL_PALETTE).toContain(colorOfLabel(labels, '行人'));
  });

  it('put black text on light colours and white text on dark ones', () => {
    expect(textColorOn('#f0e442')).toBe('#000000');
    expect(textColorOn('#ffffff')).toBe('#000000');
    expect(textColorOn('#0072b2')).toBe('#ffffff');
    expect(textColorOn('#000000')).toBe('#ffffff');
  });
});
