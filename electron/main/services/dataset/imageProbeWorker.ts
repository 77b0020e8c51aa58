// The worker thread of ImageProbePool: probes the batches of paths it is sent, each one it wins
// from the shared cursor, and posts their facts.

import { parentPort, workerData } from 'node:worker_threads';
import type { ImageProbeBatch, ImageProbeResult, ImageProbeWorkerData } from './imageProbeBatches';
import { probeImageSync } from './imageProbe';

const cursor = new Int32Array((workerData as ImageProbeWorkerData).cursor);
const received: string[][] = [];

/** Takes batches until the cursor passes what has arrived (the rest is claimed by the pool's
 * thread, or arrives in a later message). */
function drain(): void {
  for (let next = Atomics.load(cursor, 0); next < received.length; next = Atomics.load(cursor, 0)) {
    if (Atomics.compareExchange(cursor, 0, next, next + 1) !== next) continue;
    const paths = received[next] ?? [];
    received[next] = [];
    parentPort?.postMessage({ batch: next, facts: paths.map(probeImageSync) } satisfies ImageProbeResult);
  }
}

parentPort?.on('message', ({ paths }: ImageProbeBatch) => {
  received.push(paths);
  drain();
});
