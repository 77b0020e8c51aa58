/**
 * Probes many image files on two threads. Checking 100,000 distinct images is a few hundred
 * thousand system calls (open, stat, read, close): one thread spends more time on them than on
 * reading the dataset itself. Paths are handed over in batches while the caller is still reading
 * the dataset, so a worker thread probes them in parallel with the scan; once the caller is done,
 * it probes too, each thread taking the next batch from a shared cursor. A failed or missing
 * worker costs only speed: the calling thread probes whatever has no facts yet.
 */

import type { Worker } from 'node:worker_threads';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import { startModuleWorker } from '../workers/moduleWorker';
import type { ImageProbeBatch, ImageProbeResult, ImageProbeWorkerData } from './imageProbeBatches';
import { probeImageSync } from './imageProbe';

/** Small enough that the two threads finish together, large enough that messages cost little;
 * fewer paths than this are probed on the calling thread only (no worker is started). */
const BATCH = 256;

export class ImageProbePool {
  private readonly cursor = new Int32Array(new SharedArrayBuffer(4));
  private readonly posted: string[][] = [];
  private readonly results: (ImageFacts[] | undefined)[] = [];
  private answered = 0;
  private current: string[] = [];
  private worker: Worker | null = null;
  private workerGone = false;
  private settled: (() => void) | null = null;

  /** Queues a path (each path once). */
  add(path: string): void {
    this.current.push(path);
    if (this.current.length < BATCH) return;
    this.worker ??= this.startWorker();
    this.posted.push(this.current);
    if (this.worker && !this.workerGone) this.worker.postMessage({ paths: this.current } satisfies ImageProbeBatch);
    this.current = [];
  }

  /** The facts of every path added. */
  async finish(): Promise<Map<string, ImageFacts>> {
    for (let next = Atomics.add(this.cursor, 0, 1); next < this.posted.length; next = Atomics.add(this.cursor, 0, 1)) {
      this.results[next] = this.probe(next);
      this.answered++;
    }
    const facts = new Map<string, ImageFacts>();
    for (const path of this.current) facts.set(path, probeImageSync(path));
    await this.workerDone();
    this.posted.forEach((paths, batch) => {
      const found = this.results[batch] ?? this.probe(batch);
      paths.forEach((path, k) => facts.set(path, found[k] as ImageFacts));
    });
    return facts;
  }

  /** Stops probing: the facts are not wanted. */
  cancel(): void {
    this.workerGone = true;
    this.worker?.removeAllListeners();
    void this.worker?.terminate();
  }

  private probe(batch: number): ImageFacts[] {
    return (this.posted[batch] ?? []).map(probeImageSync);
  }

  private startWorker(): Worker | null {
    const worker = startModuleWorker(import.meta.url, 'imageProbeWorker', { workerData: { cursor: this.cursor.buffer as SharedArrayBuffer } satisfies ImageProbeWorkerData });
    if (!worker) return null;
    worker.on('message', ({ batch, facts }: ImageProbeResult) => {
      this.results[batch] = facts;
      this.answered++;
      this.checkSettled();
    });
    const gone = (): void => {
      this.workerGone = true;
      this.checkSettled();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    return worker;
  }

  /** Resolves when every batch has facts or the worker has gone (its batches are then probed here). */
  private workerDone(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.settled = resolve;
      this.checkSettled();
    }).finally(() => {
      worker.removeAllListeners();
      void worker.terminate();
    });
  }

  private checkSettled(): void {
    if (!this.settled) return;
    if (this.workerGone || this.answered === this.posted.length) this.settled();
  }
}
