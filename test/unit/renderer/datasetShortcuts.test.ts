import { describe, expect, it } from 'vitest';
import { commandForKey } from '../../../renderer/src/features/dataset/canvas/canvasKeymap';
import { DATASET_SHORTCUTS, datasetShortcutLabel, matchDatasetShortcut, matchShortcut } from '../../../renderer/src/features/shell/shortcuts';

const key = (code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the dataset screen’s keys', () => {
  it('save with Ctrl+S (⌘S), move between samples with Alt+arrows, even while typing', () => {
    expect(matchDatasetShortcut(key('KeyS', { ctrlKey: true }), false, true)?.action).toBe('save');
    expect(matchDatasetShortcut(key('KeyS', { metaKey: true }), true, true)?.action).toBe('save');
    expect(matchDatasetShortcut(key('KeyS', { metaKey: true }), false, false)).toBeUndefined();
    expect(matchDatasetShortcut(key('ArrowDown', { altKey: true }), false, true)?.action).toBe('nextSample');
    expect(matchDatasetShortcut(key('ArrowUp', { altKey: true }), true, false)?.action).toBe('previousSample');
  });

  it('take N for the next unreviewed sample only outside text fields', () => {
    expect(matchDatasetShortcut(key('KeyN'), false, false)?.action).toBe('nextUnreviewed');
    expect(matchDatasetShortcut(key('KeyN'), false, true)).toBeUndefined();
    expect(matchDatasetShortcut(key('KeyN', { shiftKey: true }), false, false)).toBeUndefined();
  });

  it('collide neither with the canvas’s keys nor with the app’s', () => {
    for (const shortcut of DATASET_SHORTCUTS) {
      const event = key(shortcut.code, { ctrlKey: shortcut.modifier === 'mod', altKey: shortcut.modifier === 'alt' });
      expect(commandForKey(event, false)).toBeNull();
      expect(matchShortcut(event, false)).toBeUndefined();
    }
    expect(DATASET_SHORTCUTS.map((shortcut) => datasetShortcutLabel(shortcut, false))).toEqual(['Ctrl+S', 'Alt+↓', 'Alt+↑', 'N']);
    expect(DATASET_SHORTCUTS.map((shortcut) => datasetShortcutLabel(shortcut, true))).toEqual(['⌘S', '⌥↓', '⌥↑', 'N']);
  });
});
