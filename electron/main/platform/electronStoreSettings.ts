import Store from 'electron-store';
import type { Settings } from '../../../shared/settings/settings';
import type { SettingsRepository } from '../services/settings/settingsRepository';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

interface StoreShape {
  windowBounds?: WindowBounds;
  [key: string]: unknown;
}

/**
 * electron-store holds the preferences (and the window's bounds) in `config.json` under the
 * user-data folder: the same file browser mode reads. Settings and paths only, never bulk data.
 */
export class ElectronStoreSettings implements SettingsRepository {
  private readonly store = new Store<StoreShape>({ name: 'config' });

  async load(): Promise<unknown> {
    return this.store.store;
  }

  async save(settings: Settings): Promise<void> {
    this.store.set(settings as unknown as StoreShape);
  }

  windowBounds(): WindowBounds | undefined {
    return this.store.get('windowBounds');
  }

  saveWindowBounds(bounds: WindowBounds): void {
    this.store.set('windowBounds', bounds);
  }
}
