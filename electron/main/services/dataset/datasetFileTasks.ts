/**
 * The heavy steps of opening and saving a dataset file, which run in a worker thread
 * (datasetFileWorker.ts) so the main process stays responsive on a 100,000-sample file: reading,
 * decoding, hashing and parsing it; checking that the text to save parses as the list it should
 * be and hashing it; writing it atomically.
 */

import type { DatasetOutline } from '../../../../shared/dataset/datasetDocument';
import { openDataset, outlineOf } from '../../../../shared/dataset/datasetDocument';
import type { DatasetFileRead, DiskStamp } from './workspaceDisk';
import { readDatasetFile, unwritableReason, writeDatasetFile } from './workspaceDisk';
import { sha256Of } from './workspaceJournal';

export interface OpenedDatasetFile extends DatasetFileRead {
  /** What parsing found; null for a file that is absent, empty or only whitespace. */
  outline: DatasetOutline | null;
}

export async function openDatasetFile(file: string): Promise<OpenedDatasetFile> {
  const read = await readDatasetFile(file);
  return { ...read, outline: read.text.trim() === '' ? null : outlineOf(openDataset(read.text)) };
}

/** The hash of a text that may be written as `count` samples, or why it may not. */
export type TextCheck = { sha256: string } | { unwritable: string };

export function checkDatasetText(text: string, count: number): TextCheck {
  const unwritable = unwritableReason(text, count);
  return unwritable === null ? { sha256: sha256Of(text) } : { unwritable };
}

export type WrittenFile = { stamp: DiskStamp; mode: number };

export function writeCheckedText(file: string, text: string, mode: number | null): Promise<WrittenFile> {
  return writeDatasetFile(file, text, mode);
}
