import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import type { AppState } from '../appStore';
import type { ContainerShell, TerminalTab } from '../terminalSlice';

/** The guide works as ma-user inside its container. */
export const DEFAULT_CONTAINER_USER = 'ma-user';

export function selectTerminalTab(key: string) {
  return (state: AppState): TerminalTab | undefined => state.terminalTabs.find((tab) => tab.key === key);
}

/** The container shell the sidebar opens on a host: the last one used there, else the guide's; null until the guide is known. A new object each time: read it with useShallow. */
export function selectContainerShell(hostId: HostId) {
  return (state: AppState): ContainerShell | null =>
    state.containerShells[hostId] ?? (state.guideContainer === null ? null : { container: state.guideContainer, user: DEFAULT_CONTAINER_USER });
}

/** Tab keys in order. A new array each time: read it with useShallow. */
export function selectTerminalTabKeys(state: AppState): string[] {
  return state.terminalTabs.map((tab) => tab.key);
}

/** Hosts a terminal can open on now. A new array each time: read it with useShallow. */
export function selectConnectedHosts(state: AppState): HostProfile[] {
  return state.hostProfiles.filter((profile) => state.hostStatuses[profile.id]?.state === 'connected');
}
