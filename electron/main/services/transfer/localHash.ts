import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

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
const { path, blockBytes } = workerData;
const fd = openSync(path, 'r');
const block = Buffer.allocUnsafe(blockBytes);
const hash = createHash('sha256');
try {
  for (let position = 0, read = -1; read !== 0; position += read) {
    read = readSync(fd, block, 0, blockBytes, position);
    hash.update(block.subarray(0, read));
  }
} finally {
  closeSync(fd);
}
parentPort.postMessage(hash.digest('hex'));
`;

/** sha256 of a file, hashed on a worker thread. */
export function hashFileInWorker(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, blockBytes: READ_BLOCK } });
    const onAbort = () => {
      void worker.terminate();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (hash: string) => resolve(hash));
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
  if ((await stat(path)).size >= WORKER_MIN_BYTES) return hashFileInWorker(path, signal);
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: READ_BLOCK, signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
