import { readFile } from 'node:fs/promises';
import type { Settings } from '../../../../shared/settings/settings';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { SettingsRepository } from './settingsRepository';

/**
 * The same `config.json` electron-store keeps in the app's user-data folder, so browser mode and
 * the desktop app share preferences. Keys this side does not own (window bounds) are kept.
 */
export class JsonFileSettingsRepository implements SettingsRepository {
  constructor(private readonly file: string) {}

  async load(): Promise<unknown> {
    return (await this.readRaw()) ?? {};
  }

  async save(settings: Settings): Promise<void> {
    const current = (await this.readRaw()) ?? {};
    await writeFileAtomic(this.file, `${JSON.stringify({ ...current, ...settings }, null, '\t')}\n`);
  }

  private async readRaw(): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      // A corrupt file falls back to defaults; the next save replaces it atomically.
      return undefined;
    }
  }
}

/** Settings for tests and for runs that must not touch the disk. */
export class MemorySettingsRepository implements SettingsRepository {
  constructor(private stored: unknown = {}) {}
  async load(): Promise<unknown> {
    return this.stored;
  }
  async save(settings: Settings): Promise<void> {
    this.stored = structuredClone(settings);
  }
}
