import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import { DatasetWelcome } from './workspace/DatasetWelcome';
import { DatasetWorkspace } from './workspace/DatasetWorkspace';
import { useDatasetSync } from './workspace/useDatasetSync';
import './dataset.css';
import './datasetScreen.css';

/** The dataset builder: the welcome until a dataset is open, then its workspace. */
export function DatasetScreen() {
  const api = useApi();
  useDatasetSync(api);
  const workspace = useAppStore((state) => state.datasetWorkspace);
  return workspace ? <DatasetWorkspace key={workspace.id} workspace={workspace} /> : <DatasetWelcome />;
}
