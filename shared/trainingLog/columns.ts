// Columnar storage for points and metric series: a million points cost a few typed arrays, not a
// million objects, and a series hands uPlot its arrays without copying. Columns that are usually
// redundant — a series' point indexes while it has a value at every point, ranks and times in logs
// without them — are only stored once they carry information.
//
// Writing a gigabyte log's columns costs more in fresh memory than in parsing: every page a column
// touches for the first time is a page fault, and growing by doubling touches each value twice (the
// old array and the copy). So a column that can tell how long it will get (see LengthForecast)
// grows once to about that length instead; the part it never fills is never touched.

import type { MetricSeries, PointTable } from './types';

const INITIAL_CAPACITY = 256;
/** A forecast grows a column by at most this factor at a time, so that a dense head followed by a
 * sparse tail reserves (untouched) memory for at most this many times the points it has. */
const MAX_FORECAST_GROWTH = 32;

/** The length a column is expected to reach, given its length now; 0 when unknown. */
export type LengthForecast = (length: number) => number;

export const NO_FORECAST: LengthForecast = () => 0;

function nextCapacity(length: number, forecast: LengthForecast): number {
  const doubled = Math.max(INITIAL_CAPACITY, length * 2);
  return Math.max(doubled, Math.min(forecast(length), length * MAX_FORECAST_GROWTH));
}

function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(array: T, length: number, capacity: number, make: (n: number) => T): T {
  const next = make(capacity);
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

  constructor(
    readonly name: string,
    private readonly forecast: LengthForecast = NO_FORECAST,
  ) {}

  /** Appends `values[at]` for point `pointIndex`. (The value is passed as its place in an array: a
   * double passed to a call that is not inlined is boxed, and this runs for every metric of every
   * point.) */
  pushFrom(pointIndex: number, values: Float64Array, at: number): void {
    const length = this.length;
    const value = values[at] as number;
    // The common cases — the next point of a series that has a value at every point, or one that
    // already keeps its point indexes — in a few instructions; the others (first value, the first
    // gap, growth) on the slow path.
    const points = this.points;
    if (length < this.values.length && length > 0) {
      if (points === null) {
        if (pointIndex === this.first + length) {
          this.values[length] = value;
          this.length = length + 1;
          this.lastPoint = pointIndex;
          return;
        }
      } else {
        points[length] = pointIndex;
        this.values[length] = value;
        this.length = length + 1;
        this.lastPoint = pointIndex;
        return;
      }
    }
    this.pushSlowly(pointIndex, value);
  }

  private pushSlowly(pointIndex: number, value: number): void {
    const length = this.length;
    if (length === this.values.length) this.values = grown(this.values, length, nextCapacity(length, this.forecast), (n) => new Float64Array(n));
    if (this.points === null) {
      if (length === 0) this.first = pointIndex;
      else if (pointIndex !== this.first + length) {
        this.points = new Uint32Array(this.values.length);
        for (let i = 0; i < length; i++) this.points[i] = this.first + i;
      }
    }
    if (this.points !== null) {
      if (length === this.points.length) this.points = grown(this.points, length, this.values.length, (n) => new Uint32Array(n));
      this.points[length] = pointIndex;
    }
    this.values[length] = value;
    this.length = length + 1;
    this.lastPoint = pointIndex;
  }

  /** Makes room for `count` more values and touches it, so that appending them later costs no
   * page faults (see TrainingLogParser.prepareToAbsorb). */
  reserve(count: number): void {
    if (count <= 0) return;
    const length = this.length;
    const total = length + count;
    if (total > this.values.length) this.values = grown(this.values, length, total, (n) => new Float64Array(n));
    this.values.fill(0, length, total);
    if (this.points !== null) {
      if (total > this.points.length) this.points = grown(this.points, length, this.values.length, (n) => new Uint32Array(n));
      this.points.fill(0, length, total);
    }
  }

  /** The column's arrays as they are (for handing a segment's series to the parser before it). */
  export(): SeriesData {
    return { name: this.name, length: this.length, value: this.values.subarray(0, this.length), point: this.points?.subarray(0, this.length) ?? null, firstPoint: this.first };
  }

  /** Appends a series whose point i is `pointOffset` + its own point i. */
  append(data: SeriesData, pointOffset: number): void {
    if (data.length === 0) return;
    const length = this.length;
    const total = length + data.length;
    if (total > this.values.length) this.values = grown(this.values, length, Math.max(total, nextCapacity(length, this.forecast)), (n) => new Float64Array(n));
    this.values.set(data.value, length);
    const contiguous = data.point === null && (length === 0 ? this.points === null : this.points === null && data.firstPoint + pointOffset === this.first + length);
    if (length === 0) this.first = data.firstPoint + pointOffset;
    if (!contiguous) {
      if (this.points === null) {
        this.points = new Uint32Array(this.values.length);
        for (let i = 0; i < length; i++) this.points[i] = this.first + i;
      } else if (this.points.length < this.values.length) this.points = grown(this.points, length, this.values.length, (n) => new Uint32Array(n));
      const points = this.points;
      for (let i = 0; i < data.length; i++) points[length + i] = (data.point === null ? data.firstPoint + i : (data.point[i] as number)) + pointOffset;
    }
    this.length = total;
    this.lastPoint = (data.point === null ? data.firstPoint + data.length - 1 : (data.point[data.length - 1] as number)) + pointOffset;
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

/** A series' columns in transferable form: `point` is null while value i belongs to point firstPoint + i. */
export interface SeriesData {
  name: string;
  length: number;
  value: Float64Array;
  point: Uint32Array | null;
  firstPoint: number;
}

export class PointFields {
  step = 0;
  stepSource = 0;
  kind = 0;
  format = 0;
  line = 0;
  rank = -1;
  time = NaN;
  /** The tqdm counter the step was assigned from (-1: none); kept only by a segment's parser. */
  tqdm = -1;
}

/** The point columns in transferable form; `rank` and `time` are null while no point has one,
 * `tqdm` while they are not kept. */
export interface PointData {
  length: number;
  step: Float64Array;
  stepSource: Uint8Array;
  kind: Uint8Array;
  format: Uint8Array;
  line: Float64Array;
  rank: Int32Array | null;
  time: Float64Array | null;
  tqdm: Float64Array | null;
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
  private tqdm: Float64Array | null;

  constructor(
    private readonly forecast: LengthForecast = NO_FORECAST,
    keepTqdm = false,
  ) {
    this.tqdm = keepTqdm ? new Float64Array(INITIAL_CAPACITY) : null;
  }

  add(fields: PointFields): number {
    const index = this.length;
    if (index === this.step.length) this.grow(nextCapacity(index, this.forecast));
    this.step[index] = fields.step;
    this.stepSource[index] = fields.stepSource;
    this.kind[index] = fields.kind;
    this.format[index] = fields.format;
    this.line[index] = fields.line;
    // Once a column exists every later point writes it, so only the points before it need filling.
    if (fields.rank >= 0 || this.rank !== null) (this.rank ??= new Int32Array(this.step.length).fill(-1, 0, index))[index] = fields.rank;
    if (!Number.isNaN(fields.time) || this.time !== null) (this.time ??= new Float64Array(this.step.length).fill(NaN, 0, index))[index] = fields.time;
    if (this.tqdm !== null) this.tqdm[index] = fields.tqdm;
    this.length = index + 1;
    return index;
  }

  /** Makes room for `count` more points and touches it (see SeriesColumn.reserve). */
  reserve(count: number): void {
    if (count <= 0) return;
    const length = this.length;
    const total = length + count;
    if (total > this.step.length) this.grow(total);
    for (const column of [this.step, this.stepSource, this.kind, this.format, this.line, this.rank, this.time]) column?.fill(0, length, total);
  }

  /** Sets the step of point `index` (a segment's steps, recomputed when it joins the log before it). */
  setStep(index: number, step: number, stepSource: number): void {
    this.step[index] = step;
    this.stepSource[index] = stepSource;
  }

  export(): PointData {
    const n = this.length;
    return {
      length: n,
      step: this.step.subarray(0, n),
      stepSource: this.stepSource.subarray(0, n),
      kind: this.kind.subarray(0, n),
      format: this.format.subarray(0, n),
      line: this.line.subarray(0, n),
      rank: this.rank?.subarray(0, n) ?? null,
      time: this.time?.subarray(0, n) ?? null,
      tqdm: this.tqdm?.subarray(0, n) ?? null,
    };
  }

  /** Appends another parser's points, whose line numbers start `lineOffset` lines later. */
  append(data: PointData, lineOffset: number): void {
    const index = this.length;
    const total = index + data.length;
    if (total > this.step.length) this.grow(Math.max(total, nextCapacity(index, this.forecast)));
    this.step.set(data.step, index);
    this.stepSource.set(data.stepSource, index);
    this.kind.set(data.kind, index);
    this.format.set(data.format, index);
    const line = this.line;
    for (let i = 0; i < data.length; i++) line[index + i] = (data.line[i] as number) + lineOffset;
    if (data.rank !== null || this.rank !== null) {
      this.rank ??= new Int32Array(this.step.length).fill(-1, 0, index);
      if (data.rank === null) this.rank.fill(-1, index, total);
      else this.rank.set(data.rank, index);
    }
    if (data.time !== null || this.time !== null) {
      this.time ??= new Float64Array(this.step.length).fill(NaN, 0, index);
      if (data.time === null) this.time.fill(NaN, index, total);
      else this.time.set(data.time, index);
    }
    this.length = total;
  }

  private grow(capacity: number): void {
    const n = this.length;
    this.step = grown(this.step, n, capacity, (size) => new Float64Array(size));
    this.stepSource = grown(this.stepSource, n, capacity, (size) => new Uint8Array(size));
    this.kind = grown(this.kind, n, capacity, (size) => new Uint8Array(size));
    this.format = grown(this.format, n, capacity, (size) => new Uint8Array(size));
    this.line = grown(this.line, n, capacity, (size) => new Float64Array(size));
    if (this.rank) this.rank = grown(this.rank, n, capacity, (size) => new Int32Array(size));
    if (this.time) this.time = grown(this.time, n, capacity, (size) => new Float64Array(size));
    if (this.tqdm) this.tqdm = grown(this.tqdm, n, capacity, (size) => new Float64Array(size));
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
