/**
 * The dataset file on disk: read once on opening (with what identifies that content: its hash for
 * the journal, its size, mtime and inode to notice someone else writing it later), and written
 * atomically, only with text that parses as the list of samples it should hold.
 */

import type { Stats } from 'node:fs';
import { chmod, open, stat } from 'node:fs/promises';
import type { DatasetProblem } from '../../../../shared/dataset/datasetProblems';
import { writeFileAtomic } from '../fs/atomicWrite';
import { sha256Of } from './workspaceJournal';
import { decodeDatasetBytes } from './validateDatasetFile';

/** What changes when anyone writes the file (an atomic rename makes a new inode). */
export interface DiskStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface DatasetFileRead {
  /** '' when the file does not exist. */
  text: string;
  /** Of the bytes; null when the file does not exist. */
  sha256: string | null;
  stamp: DiskStamp | null;
  /** Permission bits to keep when rewriting it. */
  mode: number | null;
  /** Set when the bytes are not UTF-8 (the text then has U+FFFD in their place). */
  notUtf8: DatasetProblem | null;
}

/** Permissions of a dataset this app creates (atomic writes make 0600 files). */
const NEW_FILE_MODE = 0o644;

const stampOf = (stats: Stats): DiskStamp => ({ size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino });

export function sameStamp(a: DiskStamp | null, b: DiskStamp | null): boolean {
  return a === b || (a !== null && b !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino);
}

/** Reads the file through one handle, so the stamp is that of the bytes read. */
export async function readDatasetFile(file: string): Promise<DatasetFileRead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', sha256: null, stamp: null, mode: null, notUtf8: null };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`${file} is not a file`);
    const bytes = await handle.readFile();
    const decoded = decodeDatasetBytes(bytes);
    return { text: decoded.text, sha256: sha256Of(bytes), stamp: stampOf(stats), mode: stats.mode & 0o7777, notUtf8: decoded.problem };
  } finally {
    await handle.close();
  }
}

export async function currentStamp(file: string): Promise<DiskStamp | null> {
  try {
    return stampOf(await stat(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Why `text` must not be written as a dataset of `count` samples, or null when it may: the last
 * guard against ever replacing a user's file with something finetune.py cannot load.
 */
export function unwritableReason(text: string, count: number): string | null {
  let parsed: unknown;
  try {
    // A byte-order mark the file already had is kept (and reported as a problem of the file).
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return `the text to save is not valid JSON (${(error as Error).message})`;
  }
  if (!Array.isArray(parsed)) return 'the text to save is not a JSON list';
  if (parsed.length !== count) return `the text to save holds ${parsed.length} samples instead of ${count}`;
  return null;
}

/** Writes atomically, keeping the file's permissions (or giving a new file the usual ones). */
export async function writeDatasetFile(file: string, text: string, mode: number | null): Promise<{ stamp: DiskStamp; mode: number }> {
  await writeFileAtomic(file, text);
  // Some file systems have no permissions to set; the content is written either way.
  await chmod(file, mode ?? NEW_FILE_MODE).catch(() => undefined);
  const stats = await stat(file);
  return { stamp: stampOf(stats), mode: stats.mode & 0o7777 };
}
