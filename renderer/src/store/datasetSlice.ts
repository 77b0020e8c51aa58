import type { StateCreator } from 'zustand';
import type { SampleFilter, WorkspaceInfo } from '../../../shared/dataset/workspaceApi';
import type { AppState } from './appStore';

/**
 * The dataset screen's small state: which workspace is open, which sample is shown and how the
 * list is filtered. Samples, rows, images and boxes live outside the store (the workspace's
 * session and the list controller) and come from the main process a piece at a time.
 */
export interface DatasetSlice {
  datasetWorkspace: WorkspaceInfo | null;
  /** The sample shown, by its index in the file; null before one is picked. */
  datasetIndex: number | null;
  datasetFilter: SampleFilter;
  datasetWorkspaceOpened(info: WorkspaceInfo): void;
  /** dataset:onDidChange, or a save's answer; another workspace's news is ignored. */
  datasetWorkspaceChanged(info: WorkspaceInfo): void;
  datasetWorkspaceClosed(): void;
  datasetSampleSelected(index: number | null): void;
  datasetFilterChanged(filter: SampleFilter): void;
}

export const createDatasetSlice: StateCreator<AppState, [], [], DatasetSlice> = (set) => ({
  datasetWorkspace: null,
  datasetIndex: null,
  datasetFilter: {},
  datasetWorkspaceOpened: (info) => set({ datasetWorkspace: info, datasetIndex: info.sampleCount > 0 ? 0 : null, datasetFilter: {} }),
  datasetWorkspaceChanged: (info) =>
    set((state) => {
      if (state.datasetWorkspace?.id !== info.id) return {};
      const index = state.datasetIndex;
      return { datasetWorkspace: info, datasetIndex: index !== null && index >= info.sampleCount ? (info.sampleCount > 0 ? info.sampleCount - 1 : null) : index };
    }),
  datasetWorkspaceClosed: () => set({ datasetWorkspace: null, datasetIndex: null, datasetFilter: {} }),
  datasetSampleSelected: (index) => set({ datasetIndex: index }),
  datasetFilterChanged: (filter) => set({ datasetFilter: filter }),
});
