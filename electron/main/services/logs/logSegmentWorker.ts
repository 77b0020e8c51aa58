// The worker thread of parseLogFile: parses segments of files (see shared/trainingLog/segment.ts),
// one job at a time, and posts each result with its typed arrays transferred rather than copied.

import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { SEGMENT_PRELUDE, TrainingLogParser, segmentTransferables } from '../../../../shared/trainingLog';
import { feedRange, nodeByteSearch } from './logChunks';
import type { SegmentJob, SegmentMessage } from './segmentJob';

function post(message: SegmentMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function parseSegment({ path, start, end }: SegmentJob): void {
  const prelude = Math.min(SEGMENT_PRELUDE, start);
  const parser = TrainingLogParser.forSegment({ search: nodeByteSearch, expectedBytes: end - start + prelude }, prelude);
  const fd = openSync(path, 'r');
  try {
    feedRange(parser, fd, start - prelude, end, (fed) => post({ type: 'progress', bytes: Math.max(0, fed - prelude) }));
  } finally {
    closeSync(fd);
  }
  const result = parser.segmentResult();
  post({ type: 'done', result }, segmentTransferables(result));
}

parentPort?.on('message', (job: SegmentJob) => {
  try {
    parseSegment(job);
  } catch {
    post({ type: 'failed' });
  }
});
