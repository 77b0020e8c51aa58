// Exports of what the panel shows: every point of every run as CSV, and the loss chart as PNG.

import { alignSeries } from './chartData';
import type { MetricColumn } from './runData';

type CsvColumn = Pick<MetricColumn, 'step' | 'epoch' | 'value'>;

export const CSV_HEADER = 'run,step,epoch,loss,learning_rate,grad_norm';
const CSV_METRICS = ['loss', 'learning_rate', 'grad_norm'] as const;

const csvText = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const csvNumber = (value: number | null): string => (value === null ? '' : String(value));

/** Rows joined on step; an empty cell is a value the log did not print, NaN/Infinity one it printed. */
export function runsToCsv(runs: readonly { name: string; columns: Partial<Record<(typeof CSV_METRICS)[number], CsvColumn>> }[]): string {
  const lines = [CSV_HEADER];
  for (const { name, columns } of runs) {
    const present = CSV_METRICS.map((metric) => columns[metric]).filter((column): column is CsvColumn => column !== undefined);
    const byMetric = CSV_METRICS.map((metric) => columns[metric]);
    const aligned = alignSeries([
      ...byMetric.map((column) => ({ x: column?.step ?? [], y: column?.value ?? [] })),
      ...present.map((column) => ({ x: column.step, y: column.epoch })),
    ]);
    const run = csvText(name);
    aligned.x.forEach((step, i) => {
      const epoch = aligned.ys.slice(CSV_METRICS.length).find((epochs) => Number.isFinite(epochs[i] ?? NaN))?.[i] ?? null;
      const values = aligned.ys.slice(0, CSV_METRICS.length).map((column) => csvNumber(column[i] ?? null));
      lines.push([run, String(step), csvNumber(epoch), ...values].join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has taken its copy once click() returns to the event loop.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
