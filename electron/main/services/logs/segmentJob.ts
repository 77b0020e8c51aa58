// What parseLogFile and its segment worker say to each other.

import type { SegmentResult } from '../../../../shared/trainingLog';

export interface SegmentJob {
  path: string;
  /** The segment: bytes [start, end) of the file; start follows a line break. */
  start: number;
  end: number;
}

/** A failed job is read by the calling thread instead. */
export type SegmentMessage = { type: 'progress'; bytes: number } | { type: 'done'; result: SegmentResult } | { type: 'failed' };
