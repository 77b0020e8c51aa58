// Parses one dropped or chosen log off the UI thread: the File is read in slices so a multi-GB log
// never sits in memory at once, and the result crosses back as transferred typed arrays.

import { TrainingLogParser, summarizeLog } from '../../../../shared/trainingLog';
import type { ParsedLog } from '../../../../shared/trainingLog';
import { selectRun, seriesData } from '../../../../shared/trainingLog/runSelection';
import { CHART_METRICS } from './runData';
import type { MetricColumn, RunColumns, WorkerMessage, WorkerRequest } from './runData';

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
  const columns = chartColumns(log);
  const summary = summarizeLog(log);
  const buffers = new Set<ArrayBufferLike>();
  for (const column of Object.values(columns)) for (const array of [column.step, column.epoch, column.value]) buffers.add(array.buffer);
  post({ type: 'done', columns, summary, millis: performance.now() - started }, [...buffers].filter((buffer) => buffer instanceof ArrayBuffer));
}

/** The same points the verdict reads (dominant format and rank; a resumed run replaces the steps it repeats). */
function chartColumns(log: ParsedLog): RunColumns {
  const selection = selectRun(log);
  const epochSeries = log.series.get('epoch');
  const epochAtPoint = new Float64Array(log.points.length).fill(NaN);
  if (epochSeries) {
    const epochs = seriesData(log, epochSeries, selection, false);
    epochs.point.forEach((point, i) => (epochAtPoint[point] = epochs.value[i] ?? NaN));
  }
  const columns: RunColumns = {};
  for (const metric of CHART_METRICS) {
    const series = log.series.get(metric);
    if (!series) continue;
    const data = seriesData(log, series, selection, metric !== 'eval_loss');
    if (data.value.length === 0) continue;
    const column: MetricColumn = {
      // Copies: seriesData's arrays are views into longer buffers, and only whole buffers transfer.
      step: data.step.slice(),
      value: data.value.slice(),
      epoch: Float64Array.from(data.point, (point) => epochAtPoint[point] ?? NaN),
    };
    columns[metric] = column;
  }
  return columns;
}
