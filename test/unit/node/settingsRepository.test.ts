import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileSettingsRepository, MemorySettingsRepository } from '../../../electron/main/services/settings/jsonFileSettingsRepository';
import { createSettingsService } from '../../../electron/main/services/settings/settingsService';
import { DEFAULT_SETTINGS } from '../../../shared/settings/settings';
import type { Settings } from '../../../shared/settings/settings';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'qvl-settings-')), 'config.json');

describe('the JSON settings file', () => {
  it('keeps keys it does not own (the desktop app’s window bounds) and leaves no temp files', async () => {
    const file = tempFile();
    writeFileSync(file, JSON.stringify({ windowBounds: { width: 800, height: 600, maximized: false }, theme: 'light' }));
    const repository = new JsonFileSettingsRepository(file);
    const service = createSettingsService(repository, () => undefined);
    expect((await service.get()).theme).toBe('light');
    await service.update({ theme: 'dark' });
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.windowBounds).toEqual({ width: 800, height: 600, maximized: false });
    expect(stored.theme).toBe('dark');
    expect(readdirSync(join(file, '..'))).toEqual(['config.json']);
  });

  it('falls back to defaults on a corrupt file and then replaces it', async () => {
    const file = tempFile();
    writeFileSync(file, '{"theme": "dark", ');
    const service = createSettingsService(new JsonFileSettingsRepository(file), () => undefined);
    expect(await service.get()).toEqual(DEFAULT_SETTINGS);
    await service.update({ language: 'zh' });
    expect(JSON.parse(readFileSync(file, 'utf8')).language).toBe('zh');
  });

  it('starts from defaults when there is no file yet', async () => {
    const service = createSettingsService(new JsonFileSettingsRepository(tempFile()), () => undefined);
    expect(await service.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('the settings service', () => {
  it('applies quick successive patches in order and announces each result', async () => {
    const seen: Settings[] = [];
    const service = createSettingsService(new MemorySettingsRepository(), (settings) => seen.push(settings));
    const results = await Promise.all([service.update({ theme: 'dark' }), service.update({ sidePanel: { width: 600 } }), service.update({ language: 'zh' })]);
    expect(results[2]).toEqual({ ...DEFAULT_SETTINGS, language: 'zh', theme: 'dark', sidePanel: { open: true, width: 600 } });
    expect(seen.map((settings) => settings.sidePanel.width)).toEqual([420, 600, 600]);
    expect(await service.get()).toEqual(results[2]);
  });

  it('rejects an invalid patch and keeps the previous settings', async () => {
    const service = createSettingsService(new MemorySettingsRepository(), () => undefined);
    await expect(service.update({ sidePanel: { width: 5 } })).rejects.toThrow();
    expect(await service.get()).toEqual(DEFAULT_SETTINGS);
    await expect(service.update({ theme: 'light' })).resolves.toMatchObject({ theme: 'light' });
  });
});
