// Parsing one file in parallel: the parser of a later segment starts at a line break with none of
// the state the parser of the part before it would have there, so it records what that state could
// change — the tqdm counter behind each step, the first record's look-behind into the bytes before
// the segment, lines whose classification depends on the accelerator DeepSpeed chose — and the
// parser of the part before replays those with its own state when it takes the segment over (see
// TrainingLogParser.absorbSegment). The result is the one a single parser reading the whole stream
// gives, or, when a record runs across the boundary, no result (then read on sequentially).

import type { PointData, SeriesData } from './columns';
import type { Failure, FailureKind, LogEvidence, OverflowStats, Resume } from './types';

/** The bytes before a segment its parser is fed too, for looking back: more than the tqdm
 * look-behind plus the longest counter it reads. */
export const SEGMENT_PRELUDE = 4096;

/** The first record's tqdm look-behind, when it reached into the prelude. Offsets are in the
 * segment parser's stream (0 = the start of the prelude). */
export interface PreludeLookup {
  point: number;
  anchor: number;
  /** Where the counter it found starts (its `[`), or -1. */
  bracket: number;
}

/** What a segment's parser hands over: plain data and typed arrays, so it can cross between threads. */
export interface SegmentResult {
  /** The prelude's length (where the segment starts in the segment parser's stream). */
  prelude: number;
  /** The segment's length, without the prelude. */
  bytes: number;
  lines: number;
  points: PointData;
  series: SeriesData[];
  failures: Failure[];
  failureCounts: Partial<Record<FailureKind, number>>;
  overflow: OverflowStats | null;
  resumes: Resume[];
  /** The point of each resume. */
  resumePoints: number[];
  /** The evidence, with tqdmBars not counting the prelude look-behind (see firstLookup). */
  evidence: LogEvidence;
  firstLookup: PreludeLookup | null;
  /** A line was classified without knowing that DeepSpeed had picked the NPU, and it would have
   * been classified differently with it. */
  acceleratorDependent: boolean;
  /** Points per format code, the codes in order of first appearance, training points per (format,
   * step source). */
  formatCounts: Float64Array;
  formatOrder: number[];
  sourceCounts: Float64Array;
}

/** The buffers a SegmentResult can transfer rather than copy. */
export function segmentTransferables(segment: SegmentResult): ArrayBuffer[] {
  const { points } = segment;
  const arrays: (ArrayBufferView | null)[] = [points.step, points.stepSource, points.kind, points.format, points.line, points.rank, points.time, points.tqdm, segment.formatCounts, segment.sourceCounts];
  for (const series of segment.series) arrays.push(series.value, series.point);
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  return [...buffers];
}
