import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

export interface FileHashes {
  /** sha256 of the whole file. */
  whole: string;
  /** sha256 of each `segmentBytes` piece in order (the last may be shorter); empty without segments. */
  segments: string[];
}

/** Below this a file is hashed on the calling thread: starting a worker would cost more. */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;
const READ_BLOCK = 4 * 1024 * 1024;

/**
 * Plain JavaScript with only Node built-ins, so it runs as it is from the sources, the bundles and
 * the packaged app alike (no build step emits a separate worker file). One buffer is reused for
 * the whole file: nothing for the garbage collector, and the hashing of a 20 GB shard competes
 * with neither the SSH crypto nor the UI on the main thread.
 */
const WORKER_SOURCE = `
const { closeSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { path, segmentBytes, blockBytes } = workerData;
const fd = openSync(path, 'r');
const block = Buffer.allocUnsafe(blockBytes);
const whole = createHash('sha256');
const segments = [];
let segment = createHash('sha256');
let inSegment = 0;
try {
  for (let position = 0, filled = -1; filled !== 0; ) {
    // A block stops at the end of its segment, and is filled completely unless the file ends.
    const want = segmentBytes ? Math.min(blockBytes, segmentBytes - inSegment) : blockBytes;
    filled = 0;
    for (let got = -1; got !== 0 && filled < want; filled += got) got = readSync(fd, block, filled, want - filled, position + filled);
    position += filled;
    const data = block.subarray(0, filled);
    whole.update(data);
    if (!segmentBytes) continue;
    segment.update(data);
    inSegment += filled;
    if (inSegment === segmentBytes) {
      segments.push(segment.digest('hex'));
      segment = createHash('sha256');
      inSegment = 0;
    }
  }
} finally {
  closeSync(fd);
}
if (segmentBytes && (inSegment > 0 || segments.length === 0)) segments.push(segment.digest('hex'));
parentPort.postMessage({ whole: whole.digest('hex'), segments });
`;

/** Hashes a file on a worker thread: the whole file, and its segments if `segmentBytes` is set. */
export function hashFileInWorker(path: string, options: { segmentBytes?: number; signal?: AbortSignal | undefined } = {}): Promise<FileHashes> {
  const { segmentBytes = 0, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, segmentBytes, blockBytes: READ_BLOCK } });
    const onAbort = () => {
      void worker.terminate();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (hashes: FileHashes) => resolve(hashes));
    worker.once('error', reject);
    // After a message or an error this changes nothing; a worker that died silently must not leave the promise hanging.
    worker.once('exit', () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`Hashing ${path} stopped unexpectedly.`));
    });
  });
}

/** sha256 of a local file, streamed in large blocks so a 20 GB shard never sits in memory. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  if ((await stat(path)).size >= WORKER_MIN_BYTES) return (await hashFileInWorker(path, { signal })).whole;
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: READ_BLOCK, signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
