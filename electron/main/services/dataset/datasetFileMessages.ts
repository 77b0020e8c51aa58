// What DatasetFileThread and its worker (datasetFileWorker.ts) say to each other. Every request
// carries an id its answer repeats.

import type { OpenedDatasetFile, TextCheck, WrittenFile } from './datasetFileTasks';

export type DatasetFileRequest =
  | { id: number; type: 'open'; file: string }
  /** A piece of the text to save, after those before it (no answer). */
  | { id: number; type: 'append'; piece: string }
  /** Checks and hashes the text the pieces make, and holds it for the `write` that follows. */
  | { id: number; type: 'check'; count: number }
  /** Writes the text held by the last check (and lets go of it). */
  | { id: number; type: 'write'; file: string; mode: number | null }
  /** Lets go of the pieces and of a checked text. */
  | { id: number; type: 'drop' };

export type DatasetFileAnswer =
  | { id: number; type: 'opened'; opened: OpenedDatasetFile }
  | { id: number; type: 'checked'; check: TextCheck }
  | { id: number; type: 'written'; written: WrittenFile }
  | { id: number; type: 'dropped' }
  | { id: number; type: 'failed'; message: string; code: string | undefined };
