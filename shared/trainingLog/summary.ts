// The summary `qvl logs` prints: per metric how many values, the first/last/min/max finite ones and
// how many are NaN/Inf, plus the verdict and the failures.

import { pointOf } from './points';
import { selectRun } from './runSelection';
import type { LogSummary, ParsedLog, SeriesSummary } from './types';
import { judgeRun } from './verdict';

/** The quantities every reader looks for first; the log's other metrics follow in log order. */
const LEADING = ['loss', 'learning_rate', 'grad_norm', 'epoch', 'eval_loss'];

export function summarizeLog(log: ParsedLog): LogSummary {
  const selection = selectRun(log);
  const names = [...LEADING.filter((name) => log.series.has(name)), ...[...log.series.keys()].filter((name) => !LEADING.includes(name))];
  const series: Record<string, SeriesSummary> = {};
  for (const name of names) {
    const column = log.series.get(name);
    let count = 0;
    let nan = 0;
    let first = NaN;
    let last = NaN;
    let min = Infinity;
    let max = -Infinity;
    const length = column?.length ?? 0;
    for (let i = 0; i < length && column; i++) {
      if (!selection.all && selection.included[pointOf(column, i)] !== 1) continue;
      const value = column.value[i] ?? NaN;
      count++;
      if (!Number.isFinite(value)) {
        nan++;
        continue;
      }
      if (Number.isNaN(first)) first = value;
      last = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const finite = !Number.isNaN(first);
    if (count > 0) series[name] = { count, first: finite ? first : null, last: finite ? last : null, min: finite ? min : null, max: finite ? max : null, nan };
  }
  const verdict = judgeRun(log);
  return {
    format: log.format,
    points: selection.count,
    stepSource: log.stepSource,
    series,
    verdict: { state: verdict.state, reason: verdict.reason },
    failures: [...log.failures],
  };
}
