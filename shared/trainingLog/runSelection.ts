// Which points a summary or verdict reads. A log can mix formats (DeepSpeed's every-100-steps line in
// a Trainer log) and ranks (launchers that let every rank print): the reading uses the log's
// dominant format and, when several ranks printed losses, the rank with the most of them. A resumed
// run appended to the same log replaces the steps it repeats.

import { pointOf } from './points';
import type { MetricSeries, ParsedLog } from './types';
import { LOG_FORMATS, POINT_KINDS } from './types';

const TRAIN = POINT_KINDS.indexOf('train');

/** The points read, as a mask over the point table. */
export interface RunSelection {
  readonly included: Uint8Array;
  readonly count: number;
  /** Every point is included (one format, one rank: the usual log). */
  readonly all: boolean;
  /** The rank chosen, or -1 when the points do not differ by rank. */
  readonly rank: number;
}

export function selectRun(log: ParsedLog): RunSelection {
  const { points } = log;
  const format = LOG_FORMATS.indexOf(log.format);
  let firstRank: number | null = null;
  let ranks = 1;
  for (let i = 0; i < points.length && ranks === 1; i++) {
    if (points.format[i] !== format) continue;
    const rank = points.rank[i] ?? -1;
    if (firstRank === null) firstRank = rank;
    else if (rank !== firstRank) ranks = 2;
  }
  const rank = ranks > 1 ? busiestLossRank(log, format) : -1;
  const included = new Uint8Array(points.length);
  let count = 0;
  for (let i = 0; i < points.length; i++) {
    if (points.format[i] !== format || (rank >= 0 && points.rank[i] !== rank)) continue;
    included[i] = 1;
    count++;
  }
  return { included, count, rank, all: count === points.length };
}

/** The rank that printed the most losses (the lowest on a tie), or -1 if only one did. */
function busiestLossRank(log: ParsedLog, format: number): number {
  const counts = new Map<number, number>();
  const loss = log.series.get('loss');
  for (let i = 0; i < (loss?.length ?? 0) && loss; i++) {
    const point = pointOf(loss, i);
    if (log.points.format[point] !== format) continue;
    const rank = log.points.rank[point] ?? -1;
    counts.set(rank, (counts.get(rank) ?? 0) + 1);
  }
  if (counts.size < 2) return -1;
  let rank = -1;
  let most = -1;
  for (const [candidate, count] of counts) if (count > most || (count === most && candidate < rank)) [rank, most] = [candidate, count];
  return rank;
}

/** One metric over the selected points: steps, values, lines and point indexes, in log order. */
export interface SeriesData {
  step: Float64Array;
  value: Float64Array;
  line: Float64Array;
  point: Uint32Array;
}

/** `series` over the selection; with `trainOnly`, only training points, and a step that comes back
 * (a resumed run) replaces the values logged at and after it. */
export function seriesData(log: ParsedLog, series: MetricSeries | undefined, selection: RunSelection, trainOnly: boolean): SeriesData {
  const length = series?.length ?? 0;
  const step = new Float64Array(length);
  const value = new Float64Array(length);
  const line = new Float64Array(length);
  const point = new Uint32Array(length);
  const { points } = log;
  let n = 0;
  for (let i = 0; i < length && series; i++) {
    const index = pointOf(series, i);
    if (selection.included[index] !== 1 || (trainOnly && points.kind[index] !== TRAIN)) continue;
    const at = points.step[index] ?? 0;
    if (trainOnly) while (n > 0 && (step[n - 1] ?? 0) >= at) n--;
    step[n] = at;
    value[n] = series.value[i] ?? NaN;
    line[n] = points.line[index] ?? 0;
    point[n] = index;
    n++;
  }
  return { step: step.subarray(0, n), value: value.subarray(0, n), line: line.subarray(0, n), point: point.subarray(0, n) };
}
