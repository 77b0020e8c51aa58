import { create } from 'zustand';
import { createHostsSlice } from './hostsSlice';
import type { HostsSlice } from './hostsSlice';
import { createLinkSlice } from './linkSlice';
import type { LinkSlice } from './linkSlice';
import { createLossSlice } from './lossSlice';
import type { LossSlice } from './lossSlice';
import { createSettingsSlice } from './settingsSlice';
import type { SettingsSlice } from './settingsSlice';
import { createUiSlice } from './uiSlice';
import type { UiSlice } from './uiSlice';

/** Small UI state only: terminal bytes, drag positions and loss points never pass through here. */
export type AppState = UiSlice & SettingsSlice & LinkSlice & HostsSlice & LossSlice;

export const useAppStore = create<AppState>()((...args) => ({
  ...createUiSlice(...args),
  ...createSettingsSlice(...args),
  ...createLinkSlice(...args),
  ...createHostsSlice(...args),
  ...createLossSlice(...args),
}));
