// What the parser worker sends back for one log, and where the renderer keeps it: the columns stay
// out of React and zustand (a log can hold a million points); the store keeps only the summary.

import type { LogSummary } from '../../../../shared/trainingLog';

/** The metrics the panel can chart, in chart order. */
export const CHART_METRICS = ['loss', 'learning_rate', 'grad_norm', 'eval_loss'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];
export type OptionalChart = Exclude<ChartMetric, 'loss'>;
export const OPTIONAL_CHARTS: readonly OptionalChart[] = ['learning_rate', 'grad_norm', 'eval_loss'];

/** One metric over the run's selected points, in log order; NaN/±Inf values are kept (they are findings). */
export interface MetricColumn {
  step: Float64Array;
  /** NaN where the log gave no epoch for the point. */
  epoch: Float64Array;
  value: Float64Array;
}

export type RunColumns = Partial<Record<ChartMetric, MetricColumn>>;

export type WorkerRequest = { type: 'parse'; file: File };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; columns: RunColumns; summary: LogSummary; millis: number }
  | { type: 'error'; message: string };

/** Parsed columns by run id. */
export const runColumns = new Map<string, RunColumns>();
