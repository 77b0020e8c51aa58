import { useCallback, useEffect } from 'react';
import type { SettingsPatch } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';

/** Keeps the store's settings in step with the main process, which owns them. */
export function useSettingsSync(): void {
  const api = useApi();
  const settingsReceived = useAppStore((state) => state.settingsReceived);
  useEffect(() => api.settings.onDidChange(settingsReceived), [api, settingsReceived]);
}

/** Applies a change at once in the UI and saves it; the saved value comes back as an event. */
export function useUpdateSettings(): (patch: SettingsPatch) => void {
  const api = useApi();
  const settingsPatched = useAppStore((state) => state.settingsPatched);
  const settingsReceived = useAppStore((state) => state.settingsReceived);
  return useCallback(
    (patch) => {
      settingsPatched(patch);
      api.settings.update(patch).then(settingsReceived, (error: unknown) => {
        console.error('Saving settings failed', error);
        void api.settings.get().then(settingsReceived);
      });
    },
    [api, settingsPatched, settingsReceived],
  );
}
