import { useEffect } from 'react';
import type { Api } from '../../../../../shared/api/contract';
import { useAppStore } from '../../../store/appStore';

/**
 * Keeps the open workspace's info current (dataset:onDidChange), and after a reload finds the
 * workspace the main process still has open, so the window continues where it was.
 */
export function useDatasetSync(api: Api): void {
  useEffect(() => {
    const off = api.dataset.onDidChange((info) => useAppStore.getState().datasetWorkspaceChanged(info));
    let current = true;
    if (!useAppStore.getState().datasetWorkspace) {
      api.dataset.workspaces().then(
        (open) => {
          const last = open.at(-1);
          if (current && last && !useAppStore.getState().datasetWorkspace) useAppStore.getState().datasetWorkspaceOpened(last);
        },
        () => undefined,
      );
    }
    return () => {
      current = false;
      off();
    };
  }, [api]);
}
