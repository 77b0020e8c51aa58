import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, resolveLanguage, SettingsPatch, settingsFromStored } from '../../../shared/settings/settings';

describe('settings', () => {
  it('merges a nested patch without losing the other fields', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { sidePanel: { width: 500 } });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, sidePanel: { open: true, width: 500 } });
  });

  it('rejects out-of-range and unknown patch fields', () => {
    expect(SettingsPatch.safeParse({ sidePanel: { width: 10 } }).success).toBe(false);
    expect(SettingsPatch.safeParse({ theme: 'blue' }).success).toBe(false);
    expect(SettingsPatch.safeParse({ extra: 1 }).success).toBe(false);
    expect(SettingsPatch.safeParse({ sidePanel: { open: false, extra: 1 } }).success).toBe(false);
  });

  it('keeps every valid stored field and defaults the broken ones', () => {
    expect(settingsFromStored({ language: 'zh', theme: 'purple', sidePanel: { open: false, width: -3 }, windowBounds: {} })).toEqual({
      language: 'zh',
      theme: 'system',
      sidePanel: { open: false, width: DEFAULT_SETTINGS.sidePanel.width },
      terminal: DEFAULT_SETTINGS.terminal,
      recentLogs: DEFAULT_SETTINGS.recentLogs,
    });
    expect(settingsFromStored(null)).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromStored([1, 2])).toEqual(DEFAULT_SETTINGS);
  });

  it('follows the OS locale unless the user chose a language', () => {
    expect(resolveLanguage('system', ['zh-CN', 'en-US'])).toBe('zh');
    expect(resolveLanguage('system', ['zh_TW'])).toBe('zh');
    expect(resolveLanguage('system', ['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLanguage('system', ['fr-FR'])).toBe('en');
    expect(resolveLanguage('system', [])).toBe('en');
    expect(resolveLanguage('en', ['zh-CN'])).toBe('en');
  });
});
