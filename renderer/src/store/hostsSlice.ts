import type { StateCreator } from 'zustand';
import type { HostsOverview } from '../../../shared/api/contract';
import type { HostId, HostProfile, HostStatus } from '../../../shared/hosts/hostProfile';
import type { PromptRequest } from '../../../shared/hosts/prompts';
import type { TransferJob } from '../../../shared/transfers/transferJob';
import type { AppState } from './appStore';

/**
 * What the main process says about hosts, mirrored: it owns profiles, connections, prompts and
 * transfers, and every change arrives as an event. Secrets never pass through here.
 */
export interface HostsSlice {
  hostProfiles: HostProfile[];
  hostStatuses: Readonly<Record<HostId, HostStatus>>;
  /** Saved entries that could not be read, or why the list itself could not be loaded. */
  hostProblems: string[];
  /** Questions waiting for the user, oldest first; the dialog shows one at a time. */
  prompts: PromptRequest[];
  transfers: Readonly<Record<string, TransferJob>>;
  /** The full picture at one moment: replaces whatever the events before it said. */
  hostsListed(overview: HostsOverview): void;
  hostsListFailed(message: string): void;
  transfersListed(jobs: TransferJob[]): void;
  profilesReceived(profiles: HostProfile[]): void;
  statusReceived(status: HostStatus): void;
  promptRequested(prompt: PromptRequest): void;
  promptSettled(promptId: string): void;
  transferUpdated(job: TransferJob): void;
}

export const createHostsSlice: StateCreator<AppState, [], [], HostsSlice> = (set) => ({
  hostProfiles: [],
  hostStatuses: {},
  hostProblems: [],
  prompts: [],
  transfers: {},
  hostsListed: (overview) =>
    set({
      hostProfiles: overview.profiles,
      hostStatuses: Object.fromEntries(overview.statuses.map((status) => [status.id, status])),
      hostProblems: overview.problems,
      prompts: overview.prompts,
    }),
  hostsListFailed: (message) => set((state) => ({ hostProblems: [...state.hostProblems, message] })),
  transfersListed: (jobs) => set({ transfers: Object.fromEntries(jobs.map((job) => [job.jobId, job])) }),
  profilesReceived: (hostProfiles) => set({ hostProfiles }),
  statusReceived: (status) => set((state) => ({ hostStatuses: { ...state.hostStatuses, [status.id]: status } })),
  // A window that opens late gets the same question from the list and as a replayed event.
  promptRequested: (prompt) => set((state) => (state.prompts.some((known) => known.promptId === prompt.promptId) ? state : { prompts: [...state.prompts, prompt] })),
  promptSettled: (promptId) => set((state) => ({ prompts: state.prompts.filter((prompt) => prompt.promptId !== promptId) })),
  transferUpdated: (job) => set((state) => ({ transfers: { ...state.transfers, [job.jobId]: job } })),
});
