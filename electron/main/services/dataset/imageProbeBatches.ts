// What the image probe pool and its worker say to each other (see imageProbePool.ts).

import type { ImageFacts } from '../../../../shared/dataset/imageFacts';

export interface ImageProbeWorkerData {
  /** One Int32: the next batch to probe, taken with Atomics by whichever thread is free. */
  cursor: SharedArrayBuffer;
}

/** Batches arrive in order: the n-th message is batch n. */
export interface ImageProbeBatch {
  paths: string[];
}

export interface ImageProbeResult {
  batch: number;
  facts: ImageFacts[];
}
