// Point objects from the columns, for the few points a caller handles one by one (live tailing,
// tests); charts read the columns directly.

import type { MetricSeries, Point, PointTable } from './types';
import { LOG_FORMATS, POINT_KINDS, STEP_SOURCES } from './types';

/** The point that value `i` of `series` belongs to. */
export function pointOf(series: MetricSeries, i: number): number {
  return series.firstPoint >= 0 ? series.firstPoint + i : (series.point[i] ?? -1);
}

/** First value index of `series` whose point is ≥ `pointIndex`. */
function lowerBound(series: MetricSeries, pointIndex: number): number {
  if (series.firstPoint >= 0) return Math.min(series.length, Math.max(0, pointIndex - series.firstPoint));
  let low = 0;
  let high = series.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((series.point[middle] ?? 0) < pointIndex) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Points `from` … `to - 1` as objects. */
export function toPoints(table: PointTable, series: ReadonlyMap<string, MetricSeries>, from = 0, to = table.length): Point[] {
  const points: Point[] = [];
  for (let i = from; i < to; i++) {
    const rank = table.rank[i] ?? -1;
    const time = table.time[i] ?? NaN;
    const point: Point = {
      step: table.step[i] ?? 0,
      stepSource: STEP_SOURCES[table.stepSource[i] ?? 0] ?? 'count',
      kind: POINT_KINDS[table.kind[i] ?? 0] ?? 'train',
      format: LOG_FORMATS[table.format[i] ?? 0] ?? 'unknown',
      line: table.line[i] ?? 0,
      metrics: {},
    };
    if (rank >= 0) point.rank = rank;
    if (!Number.isNaN(time)) point.time = time;
    points.push(point);
  }
  for (const column of series.values()) {
    for (let k = lowerBound(column, from); k < column.length; k++) {
      const index = pointOf(column, k);
      if (index >= to) break;
      const point = points[index - from];
      if (point === undefined) continue;
      const value = column.value[k] ?? NaN;
      point.metrics[column.name] = value;
      if (column.name === 'epoch') point.epoch = value;
    }
  }
  return points;
}
