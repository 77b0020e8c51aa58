import { applySettingsPatch, settingsFromStored } from '../../../../shared/settings/settings';
import type { Settings, SettingsPatch } from '../../../../shared/settings/settings';
import type { SettingsRepository } from './settingsRepository';

export interface SettingsService {
  get(): Promise<Settings>;
  update(patch: SettingsPatch): Promise<Settings>;
}

export function createSettingsService(repository: SettingsRepository, onChange: (settings: Settings) => void): SettingsService {
  let current: Promise<Settings> | undefined;
  // Updates are chained so two quick patches (a drag, then a theme switch) cannot overwrite each other.
  let queue: Promise<unknown> = Promise.resolve();
  const get = () => (current ??= repository.load().then(settingsFromStored));
  return {
    get,
    update(patch) {
      const next = queue.then(async () => {
        const updated = applySettingsPatch(await get(), patch);
        await repository.save(updated);
        current = Promise.resolve(updated);
        onChange(updated);
        return updated;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
