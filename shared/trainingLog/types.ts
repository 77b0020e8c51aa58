// The parser's public data shapes. Points are stored column-wise (PointTable, MetricSeries); Point is
// the one-object-per-point view handed out for live tailing and tests.

import type { LocalizedText } from '../i18n/localizedText';
import type { ByteSearch } from './bytes';

/** Index order is the stored code in PointTable.format; 'unknown' is never a point's format. */
export const LOG_FORMATS = ['unknown', 'hf-trainer', 'deepspeed', 'megatron', 'llamafactory-jsonl', 'custom-tag'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where a point's step came from: printed on its line, the tqdm bar before it, or counting points. */
export const STEP_SOURCES = ['line', 'tqdm', 'count'] as const;
export type StepSource = (typeof STEP_SOURCES)[number];

export const POINT_KINDS = ['train', 'eval', 'summary'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

export interface LogParserOptions {
  /** A literal that precedes the loss value, as in TrainingLogParser's "Loss Tag" (e.g. `'loss':`).
   * When set, only its occurrences make points (format 'custom-tag'). */
  lossTag?: string;
  /** Byte search to use; pass `(hay, needle, from) => Buffer.prototype.indexOf.call(hay, needle, from)`
   * in Node for memchr speed. The default is pure ES2022 and several times slower. */
  search?: ByteSearch;
  /** How long the stream will be, when known (a file's size): the point columns are then sized once
   * for it rather than grown by doubling, which for a gigabyte log saves a copy of every value. */
  expectedBytes?: number;
}

export interface Point {
  step: number;
  stepSource: StepSource;
  kind: PointKind;
  format: LogFormat;
  /** 1-based line (counted in '\n') where the record starts. */
  line: number;
  rank?: number;
  epoch?: number;
  /** Seconds since the run started, when the log says (LLaMA-Factory, ms-swift). */
  time?: number;
  /** NaN and ±Infinity are kept: they are the findings. */
  metrics: Record<string, number>;
}

export interface PointTable {
  readonly length: number;
  readonly step: Float64Array;
  /** Index into STEP_SOURCES. */
  readonly stepSource: Uint8Array;
  /** Index into POINT_KINDS. */
  readonly kind: Uint8Array;
  /** Index into LOG_FORMATS. */
  readonly format: Uint8Array;
  readonly line: Float64Array;
  /** -1 when the line had no rank prefix. */
  readonly rank: Int32Array;
  /** NaN when unknown. */
  readonly time: Float64Array;
}

/** One metric: `value[i]` belongs to point `point[i]` (ascending). */
export interface MetricSeries {
  readonly name: string;
  readonly length: number;
  /** Built on first access when `firstPoint` ≥ 0. */
  readonly point: Uint32Array;
  readonly value: Float64Array;
  /** When ≥ 0, the series has a value at every point from this one on: value i belongs to point
   * firstPoint + i (most series do; pointOf() reads either form without building `point`). */
  readonly firstPoint: number;
}

export const FAILURE_KINDS = [
  'cuda-oom',
  'npu-oom',
  'hccl-timeout',
  'hccl-error',
  'npu-stream-timeout',
  'npu-error',
  'nccl-timeout',
  'rendezvous-timeout',
  'master-port-in-use',
  'nccl-on-npu',
  'deepspeed-prefetch-bucket-size',
  'loss-scale-minimum',
  'simsun-download',
  'killed',
  'segfault',
  'worker-failed',
  'python-error',
  'traceback',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  line: number;
  kind: FailureKind;
  /** The line, trimmed, without ANSI codes, rank prefix or the tqdm bar it was glued to. */
  text: string;
  rank?: number;
}

/** A training step that went back (a resumed run appended to the same log). */
export interface Resume {
  line: number;
  step: number;
  previousStep: number;
}

/** DeepSpeed fp16 `OVERFLOW! Rank 0 Skipping step` lines. */
export interface OverflowStats {
  count: number;
  firstLine: number;
  lastLine: number;
  /** The loss scale after the last overflow. */
  lossScale: number | null;
}

/** What the log looked like, for explaining a log without loss values. */
export interface LogEvidence {
  /** The first 64 KiB look like binary data (NUL bytes, control or malformed UTF-8 bytes). */
  binary: boolean;
  /** tqdm progress bars were seen. */
  tqdmBars: boolean;
  /** DeepSpeed said `Setting ds_accelerator to npu`. */
  npuAccelerator: boolean;
  /** Records cut off before their end (a `{'loss': …` without `}`), not turned into points. */
  truncatedRecords: number;
}

export interface ParsedLog {
  /** The format that produced most points. */
  format: LogFormat;
  /** How most training points got their step; null without training points. */
  stepSource: StepSource | null;
  bytes: number;
  lines: number;
  points: PointTable;
  /** Insertion order = order of first appearance. */
  series: ReadonlyMap<string, MetricSeries>;
  /** At most a few per kind (see failureCounts for the totals), in log order. */
  failures: readonly Failure[];
  failureCounts: Readonly<Partial<Record<FailureKind, number>>>;
  overflow: OverflowStats | null;
  resumes: readonly Resume[];
  evidence: LogEvidence;
}

export const VERDICT_STATES = [
  'invalid',
  'diverging',
  'spiky',
  'not-decreasing',
  'still-decreasing',
  'converged',
  'too-few-points',
  'no-loss',
] as const;
export type VerdictState = (typeof VERDICT_STATES)[number];

/** The numbers behind a verdict (null when not computed for this state). */
export interface VerdictNumbers {
  points: number;
  firstStep: number | null;
  lastStep: number | null;
  /** Median of the first / last 10 % of finite losses. */
  startLoss: number | null;
  endLoss: number | null;
  /** 1 − endLoss / startLoss, as a fraction. */
  drop: number | null;
  /** Relative change over the last quarter (Theil–Sen), as a fraction. */
  tailChange: number | null;
  /** Mann–Kendall z of block medians over the whole run (negative = falling). */
  trendZ: number | null;
  spikes: number;
  nonFinite: number;
  /** Step / line of the first point that made the run invalid. */
  badStep: number | null;
  badLine: number | null;
}

export interface Verdict {
  state: VerdictState;
  reason: LocalizedText;
  numbers: VerdictNumbers;
}

export interface SeriesSummary {
  count: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  nan: number;
}

/** What `qvl logs` prints (the CLI adds "file"). Series and points are those of the dominant format
 * (and, when several ranks printed losses, of the rank with the most of them). */
export interface LogSummary {
  format: LogFormat;
  points: number;
  stepSource: StepSource | null;
  series: Record<string, SeriesSummary>;
  verdict: { state: VerdictState; reason: LocalizedText };
  failures: Failure[];
}
