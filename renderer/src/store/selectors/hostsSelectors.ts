import type { HostId, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { PromptRequest } from '../../../../shared/hosts/prompts';
import type { TransferJob } from '../../../../shared/transfers/transferJob';
import type { AppState } from '../appStore';

export function selectHostStatus(id: HostId) {
  return (state: AppState): HostStatus | undefined => state.hostStatuses[id];
}

/** A removed host's jobs and prompts still need a label: its id is the honest fallback. */
export function selectHostName(id: HostId) {
  return (state: AppState): string => state.hostProfiles.find((profile) => profile.id === id)?.name ?? id;
}

/** A new array each time: read it with useShallow. */
export function selectHostNames(state: AppState): string[] {
  return state.hostProfiles.map((profile) => profile.name);
}

export function selectCurrentPrompt(state: AppState): PromptRequest | undefined {
  return state.prompts[0];
}

export function selectQueuedPromptCount(state: AppState): number {
  return Math.max(0, state.prompts.length - 1);
}

/** Newest first. A new array each time: read it with useShallow. */
export function selectTransferList(state: AppState): TransferJob[] {
  return Object.values(state.transfers).sort((a, b) => b.startedAt - a.startedAt);
}
