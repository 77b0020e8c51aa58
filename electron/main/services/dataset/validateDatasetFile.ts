/**
 * Validates a dataset file on disk: reads it strictly as UTF-8 (as Python does), checks it one
 * sample at a time without keeping the samples (a 100,000-sample file stays cheap for the
 * collector), probes every distinct local image once (on two threads, starting while the file is
 * still being read: see imageProbePool.ts), then judges the images. What the CLI calls.
 */

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { scanDataset } from '../../../../shared/dataset/datasetDocument';
import type { DatasetProblem } from '../../../../shared/dataset/datasetProblems';
import { compareProblems, countProblems, problem } from '../../../../shared/dataset/datasetProblems';
import { invalidUtf8Offset } from '../../../../shared/dataset/utf8';
import type { ImageReference, ValidationOptions } from '../../../../shared/dataset/validateDataset';
import { DuplicateIds, imageProblems, inspectSample } from '../../../../shared/dataset/validateDataset';
import { ImageProbePool } from './imageProbePool';

export interface ValidateFileOptions extends ValidationOptions {
  /** Where relative image paths resolve (training resolves them against its working folder);
   * default: the dataset file's folder. */
  root?: string;
}

export interface DatasetFileReport {
  samples: number;
  errors: number;
  warnings: number;
  /** Sorted: the file's own first, then by sample, turn and offset. */
  problems: DatasetProblem[];
}

/** Decodes like Python's open(…, encoding="utf-8"): an invalid byte is a problem (reported at
 * its line and column), and the rest is still read with U+FFFD in its place. */
export function decodeDatasetBytes(bytes: Uint8Array): { text: string; problem: DatasetProblem | null } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), problem: null };
  } catch {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
    const at = Math.max(0, invalidUtf8Offset(bytes));
    const before = lenient.decode(bytes.subarray(0, at));
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    const column = [...before.slice(lineStart)].length + 1;
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    const message = `The file is not UTF-8: byte 0x${byte} at line ${line}, column ${column} (byte ${at}) does not decode. finetune.py reads the file as UTF-8; save it as UTF-8.`;
    return { text: lenient.decode(bytes), problem: problem('file-not-utf8', { sample: null, id: null, turn: null, offset: before.length, length: 1 }, message, { line, column, byte: at }) };
  }
}

/** Checks a dataset's text; image paths resolve against `root`. */
export async function validateDatasetText(text: string, root: string, options: ValidateFileOptions = {}): Promise<DatasetFileReport> {
  const sampleProblems: DatasetProblem[] = [];
  const references: ImageReference[] = [];
  const duplicates = new DuplicateIds();
  /** Written path → the file it names. */
  const resolved = new Map<string, string>();
  const files = new Set<string>();
  const probes = new ImageProbePool();
  const scan = scanDataset(text, (sample, index) => {
    const duplicate = duplicates.check(sample, index);
    if (duplicate) sampleProblems.push(duplicate);
    const { problems, images } = inspectSample(sample, index, options);
    for (const entry of problems) sampleProblems.push(entry);
    for (const reference of images) {
      references.push(reference);
      if (resolved.has(reference.path)) continue;
      const file = isAbsolute(reference.path) ? reference.path : join(root, reference.path);
      // Two spellings of one file ("a.jpg", "./a.jpg") are probed once.
      if (!files.has(file)) probes.add(file);
      files.add(file);
      resolved.set(reference.path, file);
    }
  });
  // finetune.py reads nothing of a file that is not a JSON list.
  const problems = scan.readable ? scan.problems.concat(sampleProblems) : scan.problems;
  if (!scan.readable) probes.cancel();
  else {
    const facts = await probes.finish();
    for (const reference of references) {
      const found = facts.get(resolved.get(reference.path) ?? '');
      if (found) for (const entry of imageProblems(reference, found)) problems.push(entry);
    }
  }
  problems.sort(compareProblems);
  return { samples: scan.readable ? scan.samples : 0, ...countProblems(problems), problems };
}

/** Throws only when the file itself cannot be read (missing, a folder, no permission). */
export async function validateDatasetFile(file: string, options: ValidateFileOptions = {}): Promise<DatasetFileReport> {
  const decoded = decodeDatasetBytes(await readFile(file));
  const report = await validateDatasetText(decoded.text, options.root ?? dirname(file), options);
  if (!decoded.problem) return report;
  return { ...report, errors: report.errors + 1, problems: [decoded.problem, ...report.problems] };
}
