// A batch of a remote log's points, as the main process parsed and sent them, in typed columns.

import { fromWire } from '../../../../shared/logs/logStreamApi';
import type { LogPointBatch } from '../../../../shared/logs/logStreamApi';
import type { PointRows } from './runBuilder';

export function rowsFromBatch(batch: LogPointBatch): PointRows {
  const length = batch.step.length;
  const metrics = new Map<string, { value: Float64Array; present: Uint8Array }>();
  for (const [name, column] of Object.entries(batch.metrics)) {
    const value = new Float64Array(length);
    const present = new Uint8Array(length);
    column.forEach((wire, i) => {
      if (wire === null) return;
      value[i] = fromWire(wire);
      present[i] = 1;
    });
    metrics.set(name, { value, present });
  }
  return {
    length,
    step: Float64Array.from(batch.step, fromWire),
    kind: batch.kind,
    format: batch.format,
    rank: batch.rank,
    time: Float64Array.from(batch.time, fromWire),
    arrival: Float64Array.from(batch.arrival, fromWire),
    metrics,
  };
}
