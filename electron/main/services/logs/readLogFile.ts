import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { TrainingLogParser } from '../../../../shared/trainingLog';
import type { LogParserOptions, ParsedLog, SegmentResult } from '../../../../shared/trainingLog';
import { CHUNK_BYTES, feedRange, nodeByteSearch } from './logChunks';
import type { SegmentJob, SegmentMessage } from './segmentJob';
import { startModuleWorker } from '../workers/moduleWorker';

export { nodeByteSearch } from './logChunks';

/** Below this a second thread costs more (starting it, merging) than it saves. */
const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
/** The share of the file the calling thread parses: a little under half, so that it is done first
 * and spends the wait making room for the worker's points (TrainingLogParser.prepareToAbsorb). */
const LEAD_SHARE = 0.47;
/** How far past the middle a line break is looked for; a file without one there is read by one thread. */
const BOUNDARY_SEARCH_BYTES = 1024 * 1024;

export interface ParseLogFileOptions extends Omit<LogParserOptions, 'search' | 'expectedBytes'> {
  /** Parse a large file's second part in a worker thread (default true); the result is the same. */
  parallel?: boolean;
}

/**
 * Parses a log file of any size in fixed chunks read straight into the parser's buffer: a
 * 100 MB tqdm line or a 2 GB file never becomes one string, and memory stays bounded. A large
 * file is parsed by two threads — this one reads up to a line break near the middle, a worker
 * the rest — and the result is what one parser reading it all gives (see
 * shared/trainingLog/segment.ts); when the worker's part cannot be joined to this one's, this
 * thread reads it too.
 */
export async function parseLogFile(path: string, options: ParseLogFileOptions = {}, onProgress?: (bytes: number) => void): Promise<ParsedLog> {
  const { parallel = true, ...parserOptions } = options;
  const fd = openSync(path, 'r');
  let worker: SegmentWorker | null = null;
  try {
    const stat = fstatSync(fd);
    const parser = new TrainingLogParser({ ...parserOptions, search: nodeByteSearch, expectedBytes: stat.size });
    const split = parallel && stat.isFile() && !parserOptions.lossTag && stat.size >= PARALLEL_MIN_BYTES ? lineStartAfter(fd, Math.floor(stat.size * LEAD_SHARE)) : -1;
    worker = split > 0 ? startSegmentWorker({ path, start: split, end: stat.size }) : null;
    let ownBytes = 0;
    let workerBytes = 0;
    const report = (): void => onProgress?.(ownBytes + workerBytes);
    if (worker !== null) {
      worker.onProgress = (bytes) => {
        workerBytes = bytes;
        report();
      };
      feedRange(parser, fd, 0, split, (fed) => {
        ownBytes = fed;
        report();
      });
      parser.prepareToAbsorb(stat.size - split);
      const segment = await worker.result;
      if (segment !== null && parser.absorbSegment(segment)) return parser.end();
      workerBytes = 0;
    }
    // One thread from here to the end of the file (the part the worker read if it could not be joined).
    for (let position = ownBytes; ; ) {
      const into = parser.reserve(CHUNK_BYTES);
      const read = readSync(fd, into, 0, into.length, position);
      if (read === 0) break;
      parser.commit(read);
      position += read;
      ownBytes = position;
      report();
    }
    return parser.end();
  } finally {
    worker?.stop();
    closeSync(fd);
  }
}

/** The start of the first line that begins at or after `target`, or -1 if none does close by. */
function lineStartAfter(fd: number, target: number): number {
  const window = Buffer.allocUnsafe(BOUNDARY_SEARCH_BYTES);
  const read = readSync(fd, window, 0, window.length, target);
  const newline = window.subarray(0, read).indexOf(0x0a);
  return newline < 0 ? -1 : target + newline + 1;
}

interface SegmentWorker {
  /** The worker's segment, or null if it failed. */
  result: Promise<SegmentResult | null>;
  onProgress: (bytes: number) => void;
  /** Frees the worker: kept for the next file if its job went well, else ended. */
  stop(): void;
}

/** A worker between jobs, kept for a while so that the next large file does not pay for starting
 * one (and finds its code already optimised); unreferenced, so it never keeps the process alive, and
 * ended after IDLE_MS, which frees what its last job left for the garbage collector. */
let idle: Worker | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
const IDLE_MS = 30_000;

/** Starts the worker that parses bytes [job.start, job.end), or returns null when its script is
 * missing (a build without it: the file is then read by one thread). */
function startSegmentWorker(job: SegmentJob): SegmentWorker | null {
  const worker = idle ?? startModuleWorker(import.meta.url, 'logSegmentWorker') ?? null;
  idle = null;
  clearTimeout(idleTimer);
  if (worker === null) return null;
  worker.ref();
  let healthy = false;
  const listeners: (() => void)[] = [];
  const segment: SegmentWorker = {
    result: new Promise((resolve) => {
      const onMessage = (message: SegmentMessage): void => {
        if (message.type === 'progress') segment.onProgress(message.bytes);
        else {
          healthy = message.type === 'done';
          resolve(message.type === 'done' ? message.result : null);
        }
      };
      const onFailure = (): void => resolve(null);
      worker.on('message', onMessage);
      worker.on('error', onFailure);
      worker.on('exit', onFailure);
      listeners.push(() => {
        worker.off('message', onMessage);
        worker.off('error', onFailure);
        worker.off('exit', onFailure);
      });
    }),
    onProgress: () => undefined,
    stop: () => {
      for (const remove of listeners) remove();
      if (healthy && idle === null) {
        worker.unref();
        idle = worker;
        idleTimer = setTimeout(() => {
          idle = null;
          void worker.terminate();
        }, IDLE_MS);
        idleTimer.unref();
      } else void worker.terminate();
    },
  };
  worker.postMessage(job);
  return segment;
}
