// The `logs` domain of the API: following a training log on a DevServer as it grows, or reading a
// remote log once. The main process parses the bytes; the renderer receives points in columnar
// batches numbered by their place in the run's point sequence, so it can tell a lost or repeated
// batch (a dropped browser link) from the next one and ask for exactly what it is missing.

import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';
import { FAILURE_KINDS, LOG_FORMATS, POINT_KINDS, STEP_SOURCES, VERDICT_STATES } from '../trainingLog/types';
import type { Point } from '../trainingLog/types';

export const LogStreamId = z.string().regex(/^log-[0-9a-z]{1,24}$/);
export type LogStreamId = z.infer<typeof LogStreamId>;

/** A path on the server: absolute, relative to the login directory, or starting with `~/`. */
export const RemoteLogPath = z
  .string()
  .trim()
  .min(1, 'Enter the path of the log on the server.')
  .max(4096)
  .refine((path) => !path.includes('\0'), 'A path cannot contain a NUL byte.');

export const LogStreamRequest = z.object({ hostId: HostId, path: RemoteLogPath });
export type LogStreamRequest = z.input<typeof LogStreamRequest>;

/** follow: read from the start, then keep reading what is appended. review: read once to the end. */
export const LogStreamMode = z.enum(['follow', 'review']);
export type LogStreamMode = z.infer<typeof LogStreamMode>;

export const LogStreamState = z.enum(['connecting', 'following', 'reconnecting', 'ended', 'error']);
export type LogStreamState = z.infer<typeof LogStreamState>;

/**
 * Why a stream is not simply following. The renderer words them; `detail` carries the server's own
 * text (an SSH error, tail's message) when there is one.
 */
export const LogStreamProblem = z.object({
  code: z.enum([
    /** The link dropped; the connection manager is reconnecting. */
    'link-lost',
    /** The host was disconnected or its reconnect failed: reading resumes once it is connected. */
    'host-offline',
    /** The file does not exist (yet): following waits for it, a review ends. */
    'missing',
    /** The file went away while followed; following resumes if it comes back. */
    'gone',
    /** The file is now shorter than what was read: it was truncated or rewritten. */
    'truncated',
    /** Another file now has the name (a new run writing to the same path). */
    'replaced',
    /** The server could not read it (permissions, a directory, no GNU tail…). */
    'unreadable',
  ]),
  detail: z.string().max(2000).nullable(),
});
export type LogStreamProblem = z.infer<typeof LogStreamProblem>;

const Count = z.number().int().nonnegative();
const FiniteOrNull = z.number().nullable();

export const SeriesSummarySchema = z.object({ count: Count, first: FiniteOrNull, last: FiniteOrNull, min: FiniteOrNull, max: FiniteOrNull, nan: Count });

/** LogSummary (shared/trainingLog) as it crosses the API. */
export const LogSummarySchema = z.object({
  format: z.enum(LOG_FORMATS),
  points: Count,
  stepSource: z.enum(STEP_SOURCES).nullable(),
  series: z.record(z.string(), SeriesSummarySchema),
  verdict: z.object({ state: z.enum(VERDICT_STATES), reason: z.object({ en: z.string(), zh: z.string() }) }),
  failures: z.array(z.object({ line: Count, kind: z.enum(FAILURE_KINDS), text: z.string(), rank: z.number().int().optional() })),
});

export const LogStreamInfo = z.object({
  id: LogStreamId,
  hostId: HostId,
  path: z.string(),
  mode: LogStreamMode,
  state: LogStreamState,
  problem: LogStreamProblem.nullable(),
  /** Bytes of the file read and parsed (always whole lines): where a reconnect resumes. */
  bytesRead: Count,
  /** The file's size when reading last (re)started; null while it is unknown or missing. */
  bytesTotal: Count.nullable(),
  /** Points parsed so far: the length of the point sequence the batches number into. */
  points: Count,
  /** Summary and verdict of everything read so far (refreshed at most about once a second). */
  summary: LogSummarySchema.nullable(),
});
export type LogStreamInfo = z.infer<typeof LogStreamInfo>;

// --- point batches -----------------------------------------------------------------------------

/** JSON has no NaN or Infinity, and those values are findings: they cross as words. null = absent. */
export const WireNumber = z.union([z.number(), z.literal('NaN'), z.literal('Infinity'), z.literal('-Infinity'), z.null()]);
export type WireNumber = z.infer<typeof WireNumber>;

export function toWire(value: number | undefined): WireNumber {
  if (value === undefined) return null;
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** NaN for absent as well: callers that must tell the two apart check for null first. */
export function fromWire(value: WireNumber): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN;
}

/**
 * The metrics a batch carries: what the loss panel charts, and what it derives throughput from
 * (LLaMA-Factory's tokens/s, Megatron-DeepSpeed's samples/s, ms-swift's it/s, Megatron's time per
 * iteration with its global batch size). A log's other metrics stay in the main process.
 */
export const THROUGHPUT_SOURCES = ['throughput', 'tokens_per_second', 'samples_per_second', 'samples_sec', 'train_speed_iter_s', 'elapsed_time_per_iteration_ms'] as const;
export const STREAMED_METRICS: readonly string[] = ['loss', 'learning_rate', 'grad_norm', 'eval_loss', 'epoch', 'global_batch_size', ...THROUGHPUT_SOURCES];

/** At most this many points per batch, so that one event stays a few hundred kilobytes. */
export const MAX_BATCH_POINTS = 5000;

const isWireNumber = (value: unknown): boolean => value === null || (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
// The same rules as z.array(WireNumber), checked in one plain loop: batches carry hundreds of
// thousands of values a second while a log is read, and a union per value costs more than the parse.
const WireColumn = z.custom<WireNumber[]>((value) => Array.isArray(value) && value.length <= MAX_BATCH_POINTS && value.every(isWireNumber), 'Expected numbers, "NaN", "Infinity", "-Infinity" or null.');
const IntColumn = z.custom<number[]>((value) => Array.isArray(value) && value.length <= MAX_BATCH_POINTS && value.every((item) => Number.isInteger(item)), 'Expected integers.');

/** Points `from` … `from + step.length - 1` of a stream, one array per field. */
export const LogPointBatch = z
  .object({
    id: LogStreamId,
    from: Count,
    step: WireColumn,
    /** Index into POINT_KINDS. */
    kind: IntColumn,
    /** Index into LOG_FORMATS. */
    format: IntColumn,
    /** -1 when the line had no rank prefix. */
    rank: IntColumn,
    /** Seconds since the run started, when the log says. */
    time: WireColumn,
    /** When the main process read the point (ms since 1970); null for points that were already in
     * the file when reading (re)started, whose time of writing is unknown. */
    arrival: WireColumn,
    metrics: z.record(z.string(), WireColumn),
  })
  .refine((batch) => [batch.kind, batch.format, batch.rank, batch.time, batch.arrival, ...Object.values(batch.metrics)].every((column) => column.length === batch.step.length), 'Every column of a batch has one value per point.');
export type LogPointBatch = z.infer<typeof LogPointBatch>;

/** Encodes parsed points (Point.kind/format are names; the batch carries their indexes). */
export function encodeBatch(id: LogStreamId, from: number, points: readonly Point[], arrivals: readonly (number | null)[]): LogPointBatch {
  const metrics: Record<string, WireNumber[]> = {};
  for (const name of STREAMED_METRICS) if (points.some((point) => name in point.metrics)) metrics[name] = points.map((point) => toWire(point.metrics[name]));
  return {
    id,
    from,
    step: points.map((point) => toWire(point.step)),
    kind: points.map((point) => POINT_KINDS.indexOf(point.kind)),
    format: points.map((point) => LOG_FORMATS.indexOf(point.format)),
    rank: points.map((point) => point.rank ?? -1),
    time: points.map((point) => toWire(point.time)),
    arrival: [...arrivals],
    metrics,
  };
}

export const LogPointsRequest = z.object({ id: LogStreamId, from: Count });
export type LogPointsRequest = z.infer<typeof LogPointsRequest>;
