// Opening and closing logs: one worker per local file, so closing a run mid-parse simply terminates
// it; a remote run is also closed in the main process.

import { useAppStore } from '../../store/appStore';
import { closeRemoteRun } from './remoteRuns';
import { runColumns, setRunColumns } from './runData';
import type { WorkerMessage, WorkerRequest } from './runData';

const workers = new Map<string, Worker>();
let nextRun = 0;

export function openLogFiles(files: Iterable<File>): void {
  for (const file of files) openLogFile(file);
}

function openLogFile(file: File): void {
  const id = `run-${++nextRun}`;
  const store = useAppStore.getState();
  store.lossRunOpened(id, file.name, file.size);
  const worker = new Worker(new URL('./logParser.worker.ts', import.meta.url), { type: 'module' });
  workers.set(id, worker);
  const finish = () => {
    worker.terminate();
    workers.delete(id);
  };
  worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'progress') store.lossRunProgressed(id, message.done);
    else if (message.type === 'done') {
      setRunColumns(id, message.columns);
      store.lossRunParsed(id, message.summary, message.millis);
      finish();
    } else {
      store.lossRunFailed(id, message.message);
      finish();
    }
  });
  worker.addEventListener('error', (event) => {
    store.lossRunFailed(id, event.message);
    finish();
  });
  const request: WorkerRequest = { type: 'parse', file };
  worker.postMessage(request);
}

export function closeLogRun(id: string): void {
  closeRemoteRun(id);
  workers.get(id)?.terminate();
  workers.delete(id);
  runColumns.delete(id);
  useAppStore.getState().lossRunRemoved(id);
}
