// Parses one dropped or chosen log off the UI thread: the File is read in slices so a multi-GB log
// never sits in memory at once, and the result crosses back as transferred typed arrays.

import { TrainingLogParser, summarizeLog } from '../../../../shared/trainingLog';
import { columnsOfLog } from './runBuilder';
import type { WorkerMessage, WorkerRequest } from './runData';

const SLICE_BYTES = 8 * 1024 * 1024;

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  parse(event.data.file).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});

async function parse(file: File): Promise<void> {
  const started = performance.now();
  const parser = new TrainingLogParser();
  for (let offset = 0; offset < file.size; offset += SLICE_BYTES) {
    const end = Math.min(file.size, offset + SLICE_BYTES);
    parser.push(new Uint8Array(await file.slice(offset, end).arrayBuffer()));
    post({ type: 'progress', done: end, total: file.size });
  }
  const log = parser.end();
  // The same derivation as a live run's, so a run looks the same either way.
  const columns = columnsOfLog(log);
  const summary = summarizeLog(log);
  const buffers = new Set<ArrayBufferLike>();
  for (const column of Object.values(columns.metrics)) for (const array of [column.step, column.epoch, column.time, column.value]) if (array) buffers.add(array.buffer);
  // Columns are views into larger buffers (amortised growth); transferring moves them whole, uncopied.
  post({ type: 'done', columns, summary, millis: performance.now() - started }, [...buffers].filter((buffer) => buffer instanceof ArrayBuffer));
}
