import type { Settings } from '../../../../shared/settings/settings';

/** Where settings live: electron-store in the app, a JSON file in browser mode and the CLI. */
export interface SettingsRepository {
  load(): Promise<unknown>;
  save(settings: Settings): Promise<void>;
}
