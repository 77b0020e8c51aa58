/**
 * The user's answer to "this image has an EXIF rotation that training ignores": keep it as
 * training sees it. Kept per dataset in the app's data folder beside the crash journals (the
 * dataset file has no place for it that finetune.py would not read as a sample), and only for the
 * orientation it was given for: a file replaced by one with another tag is flagged again.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomicWrite';
import { sha256Of } from './workspaceJournal';

const DecisionsFile = z.object({
  version: z.literal(1),
  file: z.string(),
  /** Absolute image path → the EXIF orientation the user chose to leave as it is. */
  keptExif: z.record(z.string(), z.number().int().min(2).max(8)),
});
type DecisionsFile = z.infer<typeof DecisionsFile>;

export function decisionsPathFor(dataDir: string, datasetFile: string): string {
  return join(dataDir, 'dataset-decisions', `${sha256Of(datasetFile).slice(0, 32)}.json`);
}

export class ExifDecisions {
  private constructor(
    private readonly path: string,
    private readonly content: DecisionsFile,
  ) {}

  /** The answers given for `datasetFile`; none when there are none yet (or the file is unreadable). */
  static async load(dataDir: string, datasetFile: string): Promise<ExifDecisions> {
    const path = decisionsPathFor(dataDir, datasetFile);
    const empty: DecisionsFile = { version: 1, file: datasetFile, keptExif: {} };
    const text = await readFile(path, 'utf8').catch(() => null);
    let parsed: unknown = null;
    try {
      parsed = text === null ? null : JSON.parse(text);
    } catch {
      // A damaged file asks the questions again rather than stopping the dataset from opening.
    }
    const read = DecisionsFile.safeParse(parsed);
    return new ExifDecisions(path, read.success ? read.data : empty);
  }

  isKept(absolute: string, orientation: number | null): boolean {
    return orientation !== null && this.content.keptExif[absolute] === orientation;
  }

  /** Resolves once the answer is on disk. */
  async keep(absolute: string, orientation: number): Promise<void> {
    this.content.keptExif[absolute] = orientation;
    await writeFileAtomic(this.path, `${JSON.stringify(this.content, null, 2)}\n`);
  }
}
