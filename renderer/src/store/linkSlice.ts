import type { StateCreator } from 'zustand';
import type { Runtime } from '../../../shared/api/contract';
import type { LinkStatus } from '../api/webSocketTransport';
import type { AppState } from './appStore';

export interface LinkSlice {
  runtime: Runtime | null;
  version: string;
  link: LinkStatus;
  appInfoReceived(info: { runtime: Runtime; version: string }): void;
  linkChanged(link: LinkStatus): void;
}

export const createLinkSlice: StateCreator<AppState, [], [], LinkSlice> = (set) => ({
  runtime: null,
  version: '',
  link: 'connected',
  appInfoReceived: ({ runtime, version }) => set({ runtime, version }),
  linkChanged: (link) => set({ link }),
});
