// Columnar storage for points and metric series: a million points cost a few typed arrays, not a
// million objects, and a series hands uPlot its arrays without copying. Columns that are usually
// redundant — a series' point indexes while it has a value at every point, ranks and times in logs
// without them — are only stored once they carry information.

import type { MetricSeries, PointTable } from './types';

const INITIAL_CAPACITY = 256;

function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(array: T, length: number, make: (n: number) => T): T {
  const next = make(Math.max(INITIAL_CAPACITY, length * 2));
  next.set(array.subarray(0, length));
  return next;
}

export class SeriesColumn {
  length = 0;
  /** The point of the last value, or -1. */
  lastPoint = -1;
  private values = new Float64Array(INITIAL_CAPACITY);
  /** The point of the first value; until `points` exists, value i belongs to point first + i. */
  private first = 0;
  private points: Uint32Array | null = null;

  constructor(readonly name: string) {}

  push(pointIndex: number, value: number): void {
    const length = this.length;
    if (length === this.values.length) this.values = grown(this.values, length, (n) => new Float64Array(n));
    if (this.points === null) {
      if (length === 0) this.first = pointIndex;
      else if (pointIndex !== this.first + length) {
        this.points = new Uint32Array(this.values.length);
        for (let i = 0; i < length; i++) this.points[i] = this.first + i;
      }
    }
    if (this.points !== null) {
      if (length === this.points.length) this.points = grown(this.points, length, (n) => new Uint32Array(n));
      this.points[length] = pointIndex;
    }
    this.values[length] = value;
    this.length = length + 1;
    this.lastPoint = pointIndex;
  }

  view(): MetricSeries {
    const { name, length, first } = this;
    const value = this.values.subarray(0, length);
    if (this.points !== null) return { name, length, value, point: this.points.subarray(0, length), firstPoint: -1 };
    let point: Uint32Array | null = null;
    return {
      name,
      length,
      value,
      firstPoint: first,
      get point(): Uint32Array {
        if (point === null) {
          point = new Uint32Array(length);
          for (let i = 0; i < length; i++) point[i] = first + i;
        }
        return point;
      },
    };
  }
}

export interface PointFields {
  step: number;
  stepSource: number;
  kind: number;
  format: number;
  line: number;
  rank: number;
  time: number;
}

export class PointColumns {
  length = 0;
  private step = new Float64Array(INITIAL_CAPACITY);
  private stepSource = new Uint8Array(INITIAL_CAPACITY);
  private kind = new Uint8Array(INITIAL_CAPACITY);
  private format = new Uint8Array(INITIAL_CAPACITY);
  private line = new Float64Array(INITIAL_CAPACITY);
  /** Allocated at the first point with a rank / a time. */
  private rank: Int32Array | null = null;
  private time: Float64Array | null = null;

  add(fields: PointFields): number {
    const index = this.length;
    if (index === this.step.length) this.grow();
    this.step[index] = fields.step;
    this.stepSource[index] = fields.stepSource;
    this.kind[index] = fields.kind;
    this.format[index] = fields.format;
    this.line[index] = fields.line;
    if (fields.rank >= 0 || this.rank !== null) (this.rank ??= new Int32Array(this.step.length).fill(-1))[index] = fields.rank;
    if (!Number.isNaN(fields.time) || this.time !== null) (this.time ??= new Float64Array(this.step.length).fill(NaN))[index] = fields.time;
    this.length = index + 1;
    return index;
  }

  private grow(): void {
    const n = this.length;
    this.step = grown(this.step, n, (size) => new Float64Array(size));
    this.stepSource = grown(this.stepSource, n, (size) => new Uint8Array(size));
    this.kind = grown(this.kind, n, (size) => new Uint8Array(size));
    this.format = grown(this.format, n, (size) => new Uint8Array(size));
    this.line = grown(this.line, n, (size) => new Float64Array(size));
    if (this.rank) this.rank = grown(this.rank, n, (size) => new Int32Array(size).fill(-1));
    if (this.time) this.time = grown(this.time, n, (size) => new Float64Array(size).fill(NaN));
  }

  view(): PointTable {
    const n = this.length;
    return {
      length: n,
      step: this.step.subarray(0, n),
      stepSource: this.stepSource.subarray(0, n),
      kind: this.kind.subarray(0, n),
      format: this.format.subarray(0, n),
      line: this.line.subarray(0, n),
      rank: this.rank?.subarray(0, n) ?? new Int32Array(n).fill(-1),
      time: this.time?.subarray(0, n) ?? new Float64Array(n).fill(NaN),
    };
  }
}
