// Chart columns from parsed points: for a whole log (the parser worker, columnsOfLog) and for a
// live run that grows by batches (RunBuilder) — the same selection and folding, so a run looks the
// same live and reopened from its file.
//
// Which points a chart shows follows shared/trainingLog/runSelection.ts, as the verdict reads
// them: the dominant format; when several ranks printed, the rank with the most losses; training
// points only for training metrics, where a step that comes back (a resumed run) replaces the values
// logged at and after it. A batch that changes that choice (another format takes over) rebuilds
// the columns from the rows kept; otherwise a batch is appended in O(its size). A whole log is
// read where it lies, without a copy of its rows.

import { STREAMED_METRICS, THROUGHPUT_SOURCES } from '../../../../shared/logs/logStreamApi';
import { POINT_KINDS } from '../../../../shared/trainingLog';
import type { MetricSeries, ParsedLog } from '../../../../shared/trainingLog';
import { growableFloat64, growableInt32, growableUint8 } from './growable';
import type { Growable } from './growable';
import type { ChartMetric, MetricColumn, RunColumns, ThroughputUnit, TimeSource } from './runData';

const TRAIN = POINT_KINDS.indexOf('train');

/** One batch of points in columns, as it comes off the wire (see pointRows.ts). */
export interface PointRows {
  length: number;
  step: ArrayLike<number>;
  /** Index into POINT_KINDS / LOG_FORMATS. */
  kind: ArrayLike<number>;
  format: ArrayLike<number>;
  /** -1 without a rank prefix. */
  rank: ArrayLike<number>;
  /** Seconds since the run started, by the log; NaN when it does not say. */
  time: ArrayLike<number>;
  /** When the point reached the app (ms since 1970), NaN when unknown. */
  arrival: ArrayLike<number>;
  /** The metrics the panel reads: a value per point, and whether the point has it at all. */
  metrics: ReadonlyMap<string, { value: ArrayLike<number>; present: ArrayLike<number> }>;
}

/** Row-by-row reading of points, wherever they are kept. */
interface Rows {
  readonly length: number;
  step(row: number): number;
  kind(row: number): number;
  format(row: number): number;
  rank(row: number): number;
  time(row: number): number;
  arrival(row: number): number;
  /** Reads a metric: its value at a row, or null when the row does not have it (looked up once,
   * then called per row). */
  metric(name: string): MetricReader;
  /** The metrics some row has. */
  names(): Iterable<string>;
}

type MetricReader = (row: number) => number | null;
const absent: MetricReader = () => null;

type ThroughputSource = (typeof THROUGHPUT_SOURCES)[number];
const THROUGHPUT_UNITS: Record<ThroughputSource, ThroughputUnit> = {
  throughput: 'tokens/s',
  tokens_per_second: 'tokens/s',
  samples_per_second: 'samples/s',
  samples_sec: 'samples/s',
  train_speed_iter_s: 'it/s',
  // Megatron prints the time per iteration; with its global batch size that is samples/s.
  elapsed_time_per_iteration_ms: 'samples/s',
};
const isThroughputSource = (name: string): name is ThroughputSource => (THROUGHPUT_SOURCES as readonly string[]).includes(name);

/** What decides which rows become chart points; any change rebuilds the columns. */
interface Choice {
  format: number;
  /** -1: every rank. */
  rank: number;
  time: TimeSource | null;
  throughput: ThroughputSource | null;
}

const sameChoice = (a: Choice | null, b: Choice) => a !== null && a.format === b.format && a.rank === b.rank && a.time === b.time && a.throughput === b.throughput;

/** What the choice is made from, gathered as rows come. */
class Tally {
  private readonly formatCounts = new Map<number, number>();
  /** Per format: the ranks seen, and how many losses each printed. */
  private readonly ranks = new Map<number, Map<number, number>>();
  /** Per format: whether a row had a log time, an arrival time, each throughput source. */
  private readonly seen = new Map<number, Set<string>>();

  add(rows: Rows, from: number, to: number): void {
    const sources = [...rows.names()].filter(isThroughputSource).map((name) => [name, rows.metric(name)] as const);
    const loss = rows.metric('loss');
    for (let row = from; row < to; row++) {
      const format = rows.format(row);
      const rank = rows.rank(row);
      this.formatCounts.set(format, (this.formatCounts.get(format) ?? 0) + 1);
      const ranks = this.ranks.get(format) ?? new Map<number, number>();
      this.ranks.set(format, ranks);
      ranks.set(rank, (ranks.get(rank) ?? 0) + (loss(row) === null ? 0 : 1));
      const seen = this.seen.get(format) ?? new Set<string>();
      this.seen.set(format, seen);
      if (!Number.isNaN(rows.time(row))) seen.add('log');
      if (!Number.isNaN(rows.arrival(row))) seen.add('arrival');
      if (rows.kind(row) === TRAIN) for (const [name, read] of sources) if (read(row) !== null) seen.add(name);
    }
  }

  choose(): Choice {
    // The format with the most points; on a tie the one seen first (Map keeps insertion order).
    let format = 0;
    let most = 0;
    for (const [code, count] of this.formatCounts) if (count > most) [format, most] = [code, count];
    // The rank that printed the most losses (the lowest on a tie); every rank if at most one did.
    const printing = [...(this.ranks.get(format) ?? [])].filter(([, losses]) => losses > 0);
    let rank = -1;
    if (printing.length > 1) {
      let best = -1;
      for (const [candidate, losses] of printing) if (losses > best || (losses === best && candidate < rank)) [rank, best] = [candidate, losses];
    }
    const seen = this.seen.get(format) ?? new Set<string>();
    const time: TimeSource | null = seen.has('log') ? 'log' : seen.has('arrival') ? 'arrival' : null;
    return { format, rank, time, throughput: THROUGHPUT_SOURCES.find((name) => seen.has(name)) ?? null };
  }
}

interface ColumnBuilder {
  step: Growable<Float64Array>;
  epoch: Growable<Float64Array>;
  time: Growable<Float64Array>;
  value: Growable<Float64Array>;
}

type Out = Map<ChartMetric, ColumnBuilder>;

/** Throughput by row in the source's unit; Megatron's time per iteration becomes samples/s. */
function throughputReader(rows: Rows, source: ThroughputSource | null): MetricReader {
  if (source === null) return absent;
  const read = rows.metric(source);
  if (source !== 'elapsed_time_per_iteration_ms') return read;
  const batch = rows.metric('global_batch_size');
  return (row) => {
    const ms = read(row);
    const samples = batch(row);
    return ms === null || samples === null ? null : (samples * 1000) / ms;
  };
}

function fold(rows: Rows, from: number, to: number, choice: Choice, out: Out): void {
  const read = { epoch: rows.metric('epoch'), loss: rows.metric('loss'), lr: rows.metric('learning_rate'), grad: rows.metric('grad_norm'), eval: rows.metric('eval_loss'), throughput: throughputReader(rows, choice.throughput) };
  for (let row = from; row < to; row++) {
    if (rows.format(row) !== choice.format || (choice.rank >= 0 && rows.rank(row) !== choice.rank)) continue;
    const step = rows.step(row);
    const train = rows.kind(row) === TRAIN;
    const epoch = read.epoch(row) ?? NaN;
    const time = choice.time === 'log' ? rows.time(row) : choice.time === 'arrival' ? rows.arrival(row) / 1000 : NaN;
    const put = (metric: ChartMetric, value: number | null, trainOnly: boolean) => {
      if (value === null || (trainOnly && !train)) return;
      let column = out.get(metric);
      if (!column) {
        column = { step: growableFloat64(), epoch: growableFloat64(), time: growableFloat64(), value: growableFloat64() };
        out.set(metric, column);
      }
      if (trainOnly) {
        let n = column.step.length;
        while (n > 0 && column.step.at(n - 1) >= step) n--;
        if (n < column.step.length) for (const part of [column.step, column.epoch, column.time, column.value]) part.truncate(n);
      }
      column.step.push(step);
      column.epoch.push(epoch);
      if (choice.time) column.time.push(time);
      column.value.push(value);
    };
    put('loss', read.loss(row), true);
    put('learning_rate', read.lr(row), true);
    put('grad_norm', read.grad(row), true);
    put('eval_loss', read.eval(row), false);
    put('throughput', read.throughput(row), true);
  }
}

function columnsOf(out: Out, choice: Choice): RunColumns {
  const metrics: RunColumns['metrics'] = {};
  for (const [metric, column] of out) {
    if (column.value.length === 0) continue;
    const built: MetricColumn = { step: column.step.view(), epoch: column.epoch.view(), time: choice.time ? column.time.view() : null, value: column.value.view() };
    metrics[metric] = built;
  }
  return { metrics, time: choice.time, throughputUnit: choice.throughput && metrics.throughput ? THROUGHPUT_UNITS[choice.throughput] : null };
}

/** A whole parsed log's chart columns (no arrival times: it was read from a file). */
export function columnsOfLog(log: ParsedLog): RunColumns {
  const rows = new LogRows(log);
  const tally = new Tally();
  tally.add(rows, 0, rows.length);
  const choice = tally.choose();
  const out: Out = new Map();
  fold(rows, 0, rows.length, choice, out);
  return columnsOf(out, choice);
}

/** A parsed log's points read in place: a metric's value found through its series. */
class LogRows implements Rows {
  readonly length: number;
  private readonly series = new Map<string, MetricSeries>();
  /** Per sparse series (not a value at every point from its first): its values by point. */
  private readonly byPoint = new Map<string, { value: Float64Array; present: Uint8Array }>();

  constructor(private readonly log: ParsedLog) {
    this.length = log.points.length;
    for (const name of STREAMED_METRICS) {
      const series = log.series.get(name);
      if (series && series.length > 0) this.series.set(name, series);
    }
  }

  step = (row: number) => this.log.points.step[row] ?? NaN;
  kind = (row: number) => this.log.points.kind[row] ?? TRAIN;
  format = (row: number) => this.log.points.format[row] ?? 0;
  rank = (row: number) => this.log.points.rank[row] ?? -1;
  time = (row: number) => this.log.points.time[row] ?? NaN;
  arrival = () => NaN;

  metric(name: string): MetricReader {
    const series = this.series.get(name);
    if (!series) return absent;
    const { firstPoint, length, value } = series;
    if (firstPoint >= 0) {
      return (row) => {
        const index = row - firstPoint;
        return index >= 0 && index < length ? (value[index] ?? NaN) : null;
      };
    }
    const dense = this.byPoint.get(name) ?? this.densify(name, series);
    return (row) => (dense.present[row] === 1 ? (dense.value[row] ?? NaN) : null);
  }

  names(): Iterable<string> {
    return this.series.keys();
  }

  private densify(name: string, series: MetricSeries): { value: Float64Array; present: Uint8Array } {
    const dense = { value: new Float64Array(this.length), present: new Uint8Array(this.length) };
    for (let i = 0; i < series.length; i++) {
      const point = series.point[i] ?? 0;
      dense.value[point] = series.value[i] ?? NaN;
      dense.present[point] = 1;
    }
    this.byPoint.set(name, dense);
    return dense;
  }
}

/** A live run's points, kept so the columns can be rebuilt when the choice changes. */
class StoredRows implements Rows {
  private readonly steps = growableFloat64();
  private readonly kinds = growableUint8();
  private readonly formats = growableUint8();
  private readonly ranks = growableInt32();
  /** Created when a row first has a time: most logs have neither, and a million rows would pay. */
  private times: Growable<Float64Array> | null = null;
  private arrivals: Growable<Float64Array> | null = null;
  private readonly metrics = new Map<string, { value: Growable<Float64Array>; present: Growable<Uint8Array> }>();

  get length(): number {
    return this.steps.length;
  }

  add(batch: PointRows): void {
    for (let i = 0; i < batch.length; i++) {
      const row = this.steps.length;
      this.steps.push(batch.step[i] ?? NaN);
      this.kinds.push(batch.kind[i] ?? TRAIN);
      this.formats.push(batch.format[i] ?? 0);
      this.ranks.push(batch.rank[i] ?? -1);
      this.times = pushSparse(this.times, batch.time[i] ?? NaN, row);
      this.arrivals = pushSparse(this.arrivals, batch.arrival[i] ?? NaN, row);
      for (const name of STREAMED_METRICS) {
        const source = batch.metrics.get(name);
        const present = source ? (source.present[i] ?? 0) : 0;
        const column = present ? this.column(name, row) : this.metrics.get(name);
        column?.value.push(present ? (source?.value[i] ?? NaN) : NaN);
        column?.present.push(present);
      }
    }
  }

  step = (row: number) => this.steps.at(row);
  kind = (row: number) => this.kinds.at(row);
  format = (row: number) => this.formats.at(row);
  rank = (row: number) => this.ranks.at(row);
  time = (row: number) => this.times?.at(row) ?? NaN;
  arrival = (row: number) => this.arrivals?.at(row) ?? NaN;

  metric(name: string): MetricReader {
    const column = this.metrics.get(name);
    if (!column) return absent;
    return (row) => (column.present.at(row) === 1 ? column.value.at(row) : null);
  }

  names(): Iterable<string> {
    return this.metrics.keys();
  }

  /** A metric's column, created with "absent" for the rows before it first appeared. */
  private column(name: string, rows: number): { value: Growable<Float64Array>; present: Growable<Uint8Array> } {
    let column = this.metrics.get(name);
    if (!column) {
      column = { value: growableFloat64(), present: growableUint8() };
      for (let k = 0; k < rows; k++) {
        column.value.push(NaN);
        column.present.push(0);
      }
      this.metrics.set(name, column);
    }
    return column;
  }
}

/** Appends to a column that exists only once it has a value other than NaN (rows before it: NaN). */
function pushSparse(column: Growable<Float64Array> | null, value: number, row: number): Growable<Float64Array> | null {
  if (column === null) {
    if (Number.isNaN(value)) return null;
    column = growableFloat64();
    for (let k = 0; k < row; k++) column.push(NaN);
  }
  column.push(value);
  return column;
}

/** A live run's columns, growing batch by batch. */
export class RunBuilder {
  private readonly rows = new StoredRows();
  private readonly tally = new Tally();
  private choice: Choice | null = null;
  private folded = 0;
  private out: Out = new Map();
  private cached: RunColumns | null = null;

  append(batch: PointRows): void {
    const start = this.rows.length;
    this.rows.add(batch);
    this.tally.add(this.rows, start, this.rows.length);
    const choice = this.tally.choose();
    if (!sameChoice(this.choice, choice)) {
      this.choice = choice;
      this.out = new Map();
      this.folded = 0;
    }
    fold(this.rows, this.folded, this.rows.length, choice, this.out);
    this.folded = this.rows.length;
    this.cached = null;
  }

  /** Views of the columns: valid until the next append. */
  columns(): RunColumns {
    this.cached ??= this.choice ? columnsOf(this.out, this.choice) : { metrics: {}, time: null, throughputUnit: null };
    return this.cached;
  }
}
