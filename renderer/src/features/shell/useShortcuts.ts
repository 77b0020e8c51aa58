import { useEffect } from 'react';
import { useAppStore } from '../../store/appStore';
import { isMac, matchShortcut } from './shortcuts';
import { useUpdateSettings } from './useSettingsSync';

export function useShortcuts(): void {
  const updateSettings = useUpdateSettings();
  useEffect(() => {
    const mac = isMac(navigator.platform);
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = matchShortcut(event, mac);
      if (!shortcut) return;
      event.preventDefault();
      const state = useAppStore.getState();
      const { action } = shortcut;
      if (action.kind === 'screen') state.screenSelected(action.screen);
      else if (action.kind === 'toggleHosts') state.hostsToggled();
      else if (action.kind === 'toggleLoss') updateSettings({ sidePanel: { open: !state.settings.sidePanel.open } });
      else state.shortcutsToggled(!state.shortcutsOpen);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [updateSettings]);
}
