import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';

export const SCREENS = ['guide', 'terminal', 'dataset'] as const;
export type Screen = (typeof SCREENS)[number];

export interface UiSlice {
  screen: Screen;
  hostsOpen: boolean;
  shortcutsOpen: boolean;
  screenSelected(screen: Screen): void;
  hostsToggled(): void;
  shortcutsToggled(open: boolean): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  screen: 'guide',
  hostsOpen: true,
  shortcutsOpen: false,
  screenSelected: (screen) => set({ screen }),
  hostsToggled: () => set((state) => ({ hostsOpen: !state.hostsOpen })),
  shortcutsToggled: (open) => set({ shortcutsOpen: open }),
});
