// A run's chart columns and where the renderer keeps them: the columns stay out of React and
// zustand (a log can hold a million points); the store keeps only the summary. Live runs replace
// their columns as points arrive, and the charts listen for that here, outside React.

import type { LogSummary } from '../../../../shared/trainingLog';

/** The metrics the panel can chart, in chart order. */
export const CHART_METRICS = ['loss', 'learning_rate', 'grad_norm', 'eval_loss', 'throughput'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];
export type OptionalChart = Exclude<ChartMetric, 'loss'>;
export const OPTIONAL_CHARTS: readonly OptionalChart[] = ['learning_rate', 'grad_norm', 'eval_loss', 'throughput'];

/** Where a run's times come from: the log's own clock (seconds since the run started), or when
 * each point reached the app (a live run whose log prints no time). */
export type TimeSource = 'log' | 'arrival';
export type ThroughputUnit = 'tokens/s' | 'samples/s' | 'it/s';

/** One metric over the run's selected points, in log order; NaN/±Inf values are kept (they are findings). */
export interface MetricColumn {
  step: Float64Array;
  /** NaN where the log gave no epoch for the point. */
  epoch: Float64Array;
  /** Seconds (see RunColumns.time), NaN where unknown; null when the run has no times at all. */
  time: Float64Array | null;
  value: Float64Array;
}

export interface RunColumns {
  metrics: Partial<Record<ChartMetric, MetricColumn>>;
  time: TimeSource | null;
  throughputUnit: ThroughputUnit | null;
}

export type WorkerRequest = { type: 'parse'; file: File };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; columns: RunColumns; summary: LogSummary; millis: number }
  | { type: 'error'; message: string };

/** Columns by run id. */
export const runColumns = new Map<string, RunColumns>();

const listeners = new Set<(id: string) => void>();

/** Replaces a run's columns and tells the charts. */
export function setRunColumns(id: string, columns: RunColumns): void {
  runColumns.set(id, columns);
  for (const listener of listeners) listener(id);
}

export function onRunColumns(listener: (id: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
