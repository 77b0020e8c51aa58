import { create } from 'zustand';
import { createDatasetSlice } from './datasetSlice';
import type { DatasetSlice } from './datasetSlice';
import { createHostsSlice } from './hostsSlice';
import type { HostsSlice } from './hostsSlice';
import { createLinkSlice } from './linkSlice';
import type { LinkSlice } from './linkSlice';
import { createLossSlice } from './lossSlice';
import type { LossSlice } from './lossSlice';
import { createSettingsSlice } from './settingsSlice';
import type { SettingsSlice } from './settingsSlice';
import { createTerminalSlice } from './terminalSlice';
import type { TerminalSlice } from './terminalSlice';
import { createUiSlice } from './uiSlice';
import type { UiSlice } from './uiSlice';

/** Small UI state only: terminal bytes, drag positions and loss points never pass through here. */
export type AppState = UiSlice & SettingsSlice & LinkSlice & HostsSlice & LossSlice & TerminalSlice & DatasetSlice;

export const useAppStore = create<AppState>()((...args) => ({
  ...createUiSlice(...args),
  ...createSettingsSlice(...args),
  ...createLinkSlice(...args),
  ...createHostsSlice(...args),
  ...createLossSlice(...args),
  ...createTerminalSlice(...args),
  ...createDatasetSlice(...args),
}));
