/**
 * The crash journal of an open dataset: every edit is appended as one JSON line and fsync'd before
 * the edit is acknowledged, so a kill loses nothing the screen was told is kept. The dataset file
 * itself is rewritten atomically now and then (the autosave); the journal says what the file
 * still lacks.
 *
 * Lines: a `base` header naming the file's content the edits apply to (sha256 of its bytes, null
 * when the file did not exist), then `update`/`insert`/`remove`/`updates` records, and a `saved` mark
 * appended just before each write of the file with the hash of the text being written. After a
 * crash the file is either the base (replay every record) or the text of some mark (replay the
 * records after it: the write landed but the journal was not reset yet); anything else means the
 * file was changed by someone else since, and the records are not replayed onto it.
 */

import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { WireSample } from '../../../../shared/dataset/workspaceApi';
import { writeFileAtomic } from '../fs/atomicWrite';

const Index = z.number().int().nonnegative();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const JournalRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('update'), index: Index, sample: WireSample }),
  /** Samples inserted at `index`, in order (an images folder adds many at once). */
  z.object({ kind: z.literal('insert'), index: Index, samples: z.array(WireSample).min(1) }),
  z.object({ kind: z.literal('remove'), index: Index }),
  /** Samples replaced in one step (a label renamed in every sample, or that undone): one line, so
   * a kill replays all of them or, the line being torn, none. */
  z.object({ kind: z.literal('updates'), samples: z.array(z.object({ index: Index, sample: WireSample })).min(1) }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;

const JournalBase = z.object({ kind: z.literal('base'), version: z.literal(1), file: z.string(), sha256: Sha256.nullable() });
type JournalBase = z.infer<typeof JournalBase>;
const SavedMark = z.object({ kind: z.literal('saved'), sha256: Sha256 });
const JournalEntry = z.union([JournalRecord, SavedMark]);
type JournalEntry = z.infer<typeof JournalEntry>;

export interface JournalContents {
  base: JournalBase;
  entries: JournalEntry[];
  /** The last line was cut short by a kill (ignored: its edit was never acknowledged). */
  torn: boolean;
  /** 1-based line number of a damaged line before the last one: entries stop before it. */
  damagedLine: number | null;
}

export function sha256Of(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The journal file of a dataset: one per dataset path, under the app's data folder. */
export function journalPathFor(dataDir: string, datasetFile: string): string {
  return join(dataDir, 'dataset-journals', `${sha256Of(datasetFile).slice(0, 32)}.jsonl`);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a journal; null when there is none or its header is unreadable (nothing to replay). */
export async function readJournal(path: string): Promise<JournalContents | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const lines = text.split('\n');
  // A complete journal ends with a newline, so the last piece is empty; anything else there is a
  // line the kill cut short.
  const last = lines.pop() ?? '';
  const base = JournalBase.safeParse(parseLine(lines[0] ?? last));
  if (!base.success) return null;
  const entries: JournalEntry[] = [];
  let damagedLine: number | null = null;
  for (let k = 1; k < lines.length; k++) {
    const entry = JournalEntry.safeParse(parseLine(lines[k] ?? ''));
    if (!entry.success) {
      damagedLine = k + 1;
      break;
    }
    entries.push(entry.data);
  }
  return { base: base.data, entries, torn: last !== '' && lines.length > 0, damagedLine };
}

/**
 * The records the file on disk (of hash `fileSha`, null when absent) still lacks, or null when
 * the file is neither the journal's base nor the text of one of its saves.
 */
export function recordsToReplay(contents: JournalContents, fileSha: string | null): JournalRecord[] | null {
  const records = (from: number): JournalRecord[] => contents.entries.slice(from).filter((entry): entry is JournalRecord => entry.kind !== 'saved');
  for (let k = contents.entries.length - 1; k >= 0; k--) {
    const entry = contents.entries[k];
    if (entry?.kind === 'saved' && entry.sha256 === fileSha) return records(k + 1);
  }
  return contents.base.sha256 === fileSha ? records(0) : null;
}

/** Moves a journal that cannot be replayed out of the way, keeping it for the user; returns where. */
export async function keepJournalAside(path: string, now = new Date()): Promise<string> {
  const kept = `${path.slice(0, -'.jsonl'.length)}.kept-${now.toISOString().replace(/[:.]/g, '-')}.jsonl`;
  await rename(path, kept);
  return kept;
}

const line = (entry: JournalBase | JournalEntry): string => `${JSON.stringify(entry)}\n`;

/**
 * Appends to a journal. Every write goes through one queue, so records land in the order the
 * edits were made, and a mark lands between the edits that the text being saved holds and those
 * that came after.
 */
export class DatasetJournal {
  private handle: FileHandle | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Lines queued since the last mark: what a rebase must carry into the fresh journal. */
  private sinceMark: string[] = [];
  /** Set when a write failed: later appends fail too, so the journal never has a gap. */
  private failure: Error | null = null;

  private constructor(
    private path: string,
    private file: string,
  ) {}

  get location(): string {
    return this.path;
  }

  /** A fresh journal on `file` whose content hashes to `sha256`, holding `pending` (edits the file lacks). */
  static async start(path: string, file: string, sha256: string | null, pending: readonly JournalRecord[]): Promise<DatasetJournal> {
    const journal = new DatasetJournal(path, file);
    journal.sinceMark = pending.map(line);
    await mkdir(dirname(path), { recursive: true });
    await journal.rewrite(sha256, journal.sinceMark);
    return journal;
  }

  /** Resolves once the record is on disk. */
  append(record: JournalRecord): Promise<void> {
    const text = line(record);
    this.sinceMark.push(text);
    return this.enqueue(async (handle) => {
      await handle.write(text);
      await handle.sync();
    });
  }

  /**
   * Marks that the text hashing to `sha256`, computed from every edit appended so far, is about to
   * be written. Call it in the same synchronous step as taking the samples the text is built from.
   * The hash may come later: the mark keeps its place, and appends made meanwhile wait behind it;
   * if the hash fails, no mark is written. Returns the lines the mark covers, for `unmark` if the
   * write fails.
   */
  mark(sha256: string | Promise<string>): { done: Promise<void>; covered: string[] } {
    const covered = this.sinceMark;
    this.sinceMark = [];
    const done = this.enqueue(async (handle) => {
      const hash = await Promise.resolve(sha256).catch(() => null);
      if (hash === null) return;
      await handle.write(line({ kind: 'saved', sha256: hash }));
      await handle.sync();
    });
    return { done, covered };
  }

  /** The write after a mark failed: its edits are still missing from the file. */
  unmark(covered: readonly string[]): void {
    this.sinceMark = [...covered, ...this.sinceMark];
  }

  /**
   * The file now holds the text of hash `sha256`: start over from it, keeping the edits since the
   * mark. After a save as, the journal moves to the new file's journal path.
   */
  rebase(sha256: string, file = this.file, path = this.path): Promise<void> {
    const pending = this.sinceMark.slice();
    return this.enqueue(async () => {
      const old = this.path;
      this.file = file;
      this.path = path;
      await this.rewrite(sha256, pending);
      if (old !== path) await rm(old, { force: true });
    }, true);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
  }

  /** Closes and deletes the journal (the file holds every edit). */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }

  private async rewrite(sha256: string | null, pending: readonly string[]): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    await writeFileAtomic(this.path, line({ kind: 'base', version: 1, file: this.file, sha256 }) + pending.join(''));
    this.handle = await open(this.path, 'a');
    this.failure = null;
  }

  /** Runs `task` after every earlier one. A rebase may run after a failure (it rewrites the whole
   * journal, which is how the journal recovers); appends may not. */
  private enqueue(task: (handle: FileHandle) => Promise<void>, recovers = false): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.failure && !recovers) throw this.failure;
      try {
        if (!this.handle && !recovers) throw new Error('the journal is closed');
        await task(this.handle as FileHandle);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw this.failure;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
