import type { StateCreator } from 'zustand';
import type { HostId } from '../../../shared/hosts/hostProfile';
import type { TerminalInfo, TerminalTarget } from '../../../shared/terminal/terminalApi';
import type { AppState } from './appStore';

/** One tab of the terminal screen. Its output never passes through here, only what it is and how it ended. */
export interface TerminalTab {
  /** Stable for the tab's life: a reopen keeps the tab and gets a new terminal. */
  key: string;
  hostId: HostId;
  target: TerminalTarget;
  /** Counts opens: a reopen bumps it, and the view opens a fresh terminal for each value. */
  attempt: number;
  /** What the main process says about the terminal; null until terminal:open answers. */
  info: TerminalInfo | null;
  /** Why the last open failed. */
  openError: string | null;
  /**
   * Found open rather than opened here (the window reloaded): what the main process sent before
   * is lost, so the view acknowledges it all when it attaches.
   */
  adopted: boolean;
}

export interface ContainerShell {
  container: string;
  user: string;
}

export interface TerminalRequest {
  hostId: HostId;
  target: TerminalTarget;
}

export interface TerminalSlice {
  terminalTabs: TerminalTab[];
  activeTerminalTab: string | null;
  /** The container shell last opened on each host, so the sidebar can open it again in one click. */
  containerShells: Readonly<Record<HostId, ContainerShell>>;
  /** The guide's container name, until a host has its own. */
  guideContainer: string | null;
  /** Any feature may ask for a terminal: the terminal screen comes forward with a new tab for it. */
  terminalRequested(request: TerminalRequest): void;
  terminalOpened(key: string, info: TerminalInfo): void;
  terminalOpenFailed(key: string, message: string): void;
  /** terminal:onDidChange; terminals of other windows are not ours and are ignored. */
  terminalChanged(info: TerminalInfo): void;
  /** terminal:list when the window starts: terminals it does not show yet become tabs again. */
  terminalsListed(infos: TerminalInfo[]): void;
  terminalReopened(key: string): void;
  terminalTabSelected(key: string): void;
  terminalTabClosed(key: string): void;
  guideContainerReceived(container: string): void;
}

let nextTab = 1;

const updateTab = (tabs: TerminalTab[], key: string, change: (tab: TerminalTab) => TerminalTab) => tabs.map((tab) => (tab.key === key ? change(tab) : tab));

export const createTerminalSlice: StateCreator<AppState, [], [], TerminalSlice> = (set) => ({
  terminalTabs: [],
  activeTerminalTab: null,
  containerShells: {},
  guideContainer: null,
  terminalRequested: ({ hostId, target }) =>
    set((state) => {
      const key = `terminal-tab-${nextTab++}`;
      const tab: TerminalTab = { key, hostId, target, attempt: 0, info: null, openError: null, adopted: false };
      const containerShells = target.kind === 'container' ? { ...state.containerShells, [hostId]: { container: target.container, user: target.user } } : state.containerShells;
      return { terminalTabs: [...state.terminalTabs, tab], activeTerminalTab: key, screen: 'terminal', containerShells };
    }),
  terminalOpened: (key, info) => set((state) => ({ terminalTabs: updateTab(state.terminalTabs, key, (tab) => ({ ...tab, info, openError: null })) })),
  terminalOpenFailed: (key, openError) => set((state) => ({ terminalTabs: updateTab(state.terminalTabs, key, (tab) => ({ ...tab, openError })) })),
  terminalChanged: (info) =>
    set((state) => {
      const tab = state.terminalTabs.find((known) => known.info?.id === info.id);
      return tab ? { terminalTabs: updateTab(state.terminalTabs, tab.key, (known) => ({ ...known, info })) } : state;
    }),
  terminalsListed: (infos) =>
    set((state) => {
      const known = new Set(state.terminalTabs.map((tab) => tab.info?.id));
      const found = infos
        .filter((info) => !known.has(info.id))
        .map((info): TerminalTab => ({ key: `terminal-tab-${nextTab++}`, hostId: info.hostId, target: info.target, attempt: 0, info, openError: null, adopted: true }));
      if (found.length === 0) return state;
      return { terminalTabs: [...state.terminalTabs, ...found], activeTerminalTab: state.activeTerminalTab ?? found[0]?.key ?? null };
    }),
  terminalReopened: (key) =>
    set((state) => ({ terminalTabs: updateTab(state.terminalTabs, key, (tab) => ({ ...tab, attempt: tab.attempt + 1, info: null, openError: null, adopted: false })) })),
  terminalTabSelected: (activeTerminalTab) => set({ activeTerminalTab }),
  terminalTabClosed: (key) =>
    set((state) => {
      const index = state.terminalTabs.findIndex((tab) => tab.key === key);
      if (index < 0) return state;
      const terminalTabs = state.terminalTabs.filter((tab) => tab.key !== key);
      // Closing the shown tab shows its neighbour, as browsers do.
      const neighbour = terminalTabs[Math.min(index, terminalTabs.length - 1)];
      const activeTerminalTab = state.activeTerminalTab === key ? (neighbour?.key ?? null) : state.activeTerminalTab;
      return { terminalTabs, activeTerminalTab };
    }),
  guideContainerReceived: (guideContainer) => set({ guideContainer }),
});
