import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceInfo } from '../../../shared/dataset/workspaceApi';
import { useAppStore } from '../../../renderer/src/store/appStore';

const initial = useAppStore.getState();
beforeEach(() => useAppStore.setState(initial, true));

const info = (id: string, sampleCount: number): WorkspaceInfo => ({
  id,
  file: '/data/train.json',
  folder: '/data',
  imagesFolder: null,
  sampleCount,
  labels: [],
  fileProblems: [],
  errors: 0,
  warnings: 0,
  checked: true,
  readOnly: false,
  recovered: 0,
  keptJournal: null,
  dirty: false,
  saveState: 'saved',
  saveError: null,
  savedAt: null,
  autosave: true,
  autosaveAt: null,
});

describe('the dataset slice', () => {
  it('opens on the first sample with no filter, and forgets it all on close', () => {
    const store = useAppStore.getState();
    store.datasetWorkspaceOpened(info('ds-a', 3));
    expect(useAppStore.getState()).toMatchObject({ datasetIndex: 0, datasetFilter: {} });
    store.datasetFilterChanged({ reviewed: false });
    store.datasetSampleSelected(2);
    expect(useAppStore.getState()).toMatchObject({ datasetIndex: 2, datasetFilter: { reviewed: false } });
    store.datasetWorkspaceClosed();
    expect(useAppStore.getState()).toMatchObject({ datasetWorkspace: null, datasetIndex: null, datasetFilter: {} });
    store.datasetWorkspaceOpened(info('ds-b', 0));
    expect(useAppStore.getState().datasetIndex).toBeNull();
  });

  it('takes news of its own workspace only, and keeps the selection inside the samples', () => {
    const store = useAppStore.getState();
    store.datasetWorkspaceOpened(info('ds-a', 5));
    store.datasetSampleSelected(4);
    store.datasetWorkspaceChanged({ ...info('ds-other', 1), dirty: true });
    expect(useAppStore.getState().datasetWorkspace?.id).toBe('ds-a');
    store.datasetWorkspaceChanged({ ...info('ds-a', 5), saveState: 'pending' });
    expect(useAppStore.getState().datasetWorkspace?.saveState).toBe('pending');
    store.datasetWorkspaceChanged(info('ds-a', 3));
    expect(useAppStore.getState().datasetIndex).toBe(2);
  });
});
