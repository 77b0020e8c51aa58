/**
 * What the list needs about every sample, kept beside the samples so that filtering 100,000 of them
 * and drawing the visible rows never parses a conversation: the id, the first image, the labels,
 * box and problem counts. A summary is made in two steps: `summarise` when the sample is read or
 * edited (one parse), and `inspect` (the validator's rules), which the workspace runs in the
 * background after opening and at once after an edit. Image problems are added when the image
 * facts are known; duplicate ids are judged across the index.
 */

import { parseConversation } from '../../../../shared/dataset/conversationCodec';
import type { DatasetProblem } from '../../../../shared/dataset/datasetProblems';
import { problem } from '../../../../shared/dataset/datasetProblems';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import type { EditableSample } from '../../../../shared/dataset/sampleModel';
import { sampleIdText } from '../../../../shared/dataset/sampleModel';
import type { ImageReference } from '../../../../shared/dataset/validateDataset';
import { imageProblems, inspectSample } from '../../../../shared/dataset/validateDataset';
import type { SampleFilter, SampleRow } from '../../../../shared/dataset/workspaceApi';
import { resolveImagePath } from './workspacePaths';

export interface SampleSummary {
  /** The id as text (the JSON of a non-string id). */
  id: string | null;
  /** The id when it is a string: only those are compared for duplicates, as the validator does. */
  stringId: string | null;
  reviewed: boolean;
  /** Distinct image paths as written, in order of first use (URLs included). */
  images: string[];
  /** Every `<ref>` label, once per ref. */
  refLabels: string[];
  boxCount: number;
  /** Set by inspect: the validator's problems that need no file, and the local images to judge. */
  inspected: { errors: number; warnings: number; references: ImageReference[] } | null;
  /** Problems of the sample's image files, once probed. */
  imageErrors: number;
  imageWarnings: number;
}

export function summarise(sample: EditableSample): SampleSummary {
  const parsed = parseConversation(sample.turns.map((turn) => turn.value));
  const images: string[] = [];
  for (const { segment } of parsed.pictures) if (!images.includes(segment.path)) images.push(segment.path);
  const refLabels: string[] = [];
  let boxCount = 0;
  for (const turn of parsed.turns) {
    for (const segment of turn.segments) {
      if (segment.kind === 'ref') refLabels.push(segment.label);
      else if (segment.kind === 'box') boxCount++;
    }
  }
  return { id: sampleIdText(sample), stringId: typeof sample.id === 'string' ? sample.id : null, reviewed: sample.reviewed, images, refLabels, boxCount, inspected: null, imageErrors: 0, imageWarnings: 0 };
}

/** Runs the validator's rules that need no file on the sample, keeps the counts, returns the problems. */
export function inspect(summary: SampleSummary, sample: EditableSample, index: number): DatasetProblem[] {
  const { problems, images } = inspectSample(sample, index);
  let errors = 0;
  for (const entry of problems) if (entry.severity === 'error') errors++;
  summary.inspected = { errors, warnings: problems.length - errors, references: images };
  return problems;
}

/** Looks up facts by absolute path. */
export type FactsByPath = (absolute: string) => ImageFacts | undefined;

/** Judges the sample's image files with what is known about them (a file not probed yet is not judged). */
export function judgeImages(summary: SampleSummary, datasetFolder: string, facts: FactsByPath, index: number): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  for (const reference of summary.inspected?.references ?? []) {
    const absolute = resolveImagePath(datasetFolder, reference.path);
    const found = absolute === null ? undefined : facts(absolute);
    if (found) for (const entry of imageProblems({ ...reference, sample: index }, found)) problems.push(entry);
  }
  let errors = 0;
  for (const entry of problems) if (entry.severity === 'error') errors++;
  summary.imageErrors = errors;
  summary.imageWarnings = problems.length - errors;
  return problems;
}

/**
 * The index of all samples: summaries in file order, how often each label is used, which local
 * files the samples use (what the image server may read), and where each id first occurs.
 */
export class SampleIndex {
  private summaries: SampleSummary[] = [];
  private readonly labelCounts = new Map<string, number>();
  private readonly fileUses = new Map<string, number>();
  private firstById: Map<string, number> | null = null;
  /** Samples with an error / a warning; null when it must be counted again (after a change that
   * can move duplicate ids or touches many samples). Kept up to date through single-sample edits,
   * which a drag sends many times a second. */
  private counted: { errors: number; warnings: number } | null = null;

  constructor(private readonly datasetFolder: () => string) {}

  get size(): number {
    return this.summaries.length;
  }

  at(index: number): SampleSummary | undefined {
    return this.summaries[index];
  }

  all(): readonly SampleSummary[] {
    return this.summaries;
  }

  /** Replaces everything (after opening). */
  reset(summaries: SampleSummary[]): void {
    for (const summary of this.summaries) this.count(summary, -1);
    this.summaries = summaries;
    for (const summary of summaries) this.count(summary, 1);
    this.firstById = null;
    this.counted = null;
  }

  set(index: number, summary: SampleSummary): void {
    const old = this.summaries[index];
    if (old) this.count(old, -1);
    if (old?.stringId !== summary.stringId) {
      this.firstById = null;
      this.counted = null;
    }
    this.tally(index, old, -1);
    this.summaries[index] = summary;
    this.tally(index, summary, 1);
    this.count(summary, 1);
  }

  /** Changes a summary in place (new problems, new image facts), keeping the totals right. */
  change(index: number, mutate: (summary: SampleSummary) => void): void {
    const summary = this.summaries[index];
    if (!summary) return;
    this.tally(index, summary, -1);
    mutate(summary);
    this.tally(index, summary, 1);
  }

  /** Many summaries changed in place (the background check): count the totals again when asked. */
  changedMany(): void {
    this.counted = null;
  }

  insert(index: number, summaries: readonly SampleSummary[]): void {
    this.summaries.splice(index, 0, ...summaries);
    for (const summary of summaries) this.count(summary, 1);
    this.firstById = null;
    this.counted = null;
  }

  remove(index: number): void {
    const [old] = this.summaries.splice(index, 1);
    if (old) this.count(old, -1);
    this.firstById = null;
    this.counted = null;
  }

  /** Re-resolves every path (after the dataset moved to another folder). */
  rebuildFileUses(): void {
    this.fileUses.clear();
    for (const summary of this.summaries) this.countFiles(summary, 1);
  }

  /** Labels by use, most used first (ties in name order). */
  labels(): Array<{ label: string; count: number }> {
    return [...this.labelCounts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  /** Whether some sample uses the local file at `absolute`. */
  usesFile(absolute: string): boolean {
    return this.fileUses.has(absolute);
  }

  /** Every local file some sample uses, absolute. */
  files(): string[] {
    return [...this.fileUses.keys()];
  }

  /** Where an id first occurs, for the duplicate-id problem (the validator's rule: every later one is an error). */
  firstIndexOf(id: string): number | undefined {
    if (!this.firstById) {
      this.firstById = new Map();
      this.summaries.forEach((summary, index) => {
        if (summary.stringId !== null && !this.firstById?.has(summary.stringId)) this.firstById?.set(summary.stringId, index);
      });
    }
    return this.firstById.get(id);
  }

  /** The duplicate-id problem of the sample at `index`, as validateDataset reports it. */
  duplicateProblem(index: number, sample: EditableSample): DatasetProblem | null {
    if (typeof sample.id !== 'string') return null;
    const first = this.firstIndexOf(sample.id);
    if (first === undefined || first === index) return null;
    return problem('id-duplicate', { sample: index, id: sample.id, turn: null, offset: null }, `The id "${sample.id}" is already used by sample ${first}.`, { first });
  }

  row(index: number): SampleRow | undefined {
    const summary = this.summaries[index];
    if (!summary) return undefined;
    const { errors, warnings } = this.problemCounts(index, summary);
    return { index, id: summary.id, image: summary.images[0] ?? null, reviewed: summary.reviewed, errors, warnings, labels: [...new Set(summary.refLabels)], boxCount: summary.boxCount };
  }

  problemCounts(index: number, summary: SampleSummary): { errors: number; warnings: number } {
    const duplicate = summary.stringId !== null && this.isDuplicate(index, summary.stringId) ? 1 : 0;
    return { errors: (summary.inspected?.errors ?? 0) + summary.imageErrors + duplicate, warnings: (summary.inspected?.warnings ?? 0) + summary.imageWarnings };
  }

  /** Samples with at least one error, and with at least one warning. */
  totals(): { errors: number; warnings: number } {
    if (!this.counted) {
      this.counted = { errors: 0, warnings: 0 };
      this.summaries.forEach((summary, index) => this.tally(index, summary, 1));
    }
    return { ...this.counted };
  }

  private tally(index: number, summary: SampleSummary | undefined, sign: 1 | -1): void {
    if (!this.counted || !summary) return;
    const counts = this.problemCounts(index, summary);
    if (counts.errors > 0) this.counted.errors += sign;
    if (counts.warnings > 0) this.counted.warnings += sign;
  }

  /** Indices of the samples the filter keeps; `sampleAt` gives a sample for the text filter. */
  filter(filter: SampleFilter, sampleAt: (index: number) => EditableSample | undefined): number[] {
    // A case-insensitive regular expression scans the texts without copying them in lower case.
    const needle = filter.text ? new RegExp(filter.text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'), 'i') : null;
    const indices: number[] = [];
    this.summaries.forEach((summary, index) => {
      if (filter.reviewed !== undefined && summary.reviewed !== filter.reviewed) return;
      if (filter.label !== undefined && !summary.refLabels.includes(filter.label)) return;
      if (filter.problems !== undefined) {
        const { errors, warnings } = this.problemCounts(index, summary);
        if (errors + warnings > 0 !== filter.problems) return;
      }
      if (needle && !((summary.id !== null && needle.test(summary.id)) || sampleAt(index)?.turns.some((turn) => needle.test(turn.value)))) return;
      indices.push(index);
    });
    return indices;
  }

  private isDuplicate(index: number, id: string): boolean {
    const first = this.firstIndexOf(id);
    return first !== undefined && first !== index;
  }

  private count(summary: SampleSummary, sign: 1 | -1): void {
    for (const label of summary.refLabels) {
      const next = (this.labelCounts.get(label) ?? 0) + sign;
      if (next > 0) this.labelCounts.set(label, next);
      else this.labelCounts.delete(label);
    }
    this.countFiles(summary, sign);
  }

  private countFiles(summary: SampleSummary, sign: 1 | -1): void {
    for (const path of summary.images) {
      const absolute = resolveImagePath(this.datasetFolder(), path);
      if (absolute === null) continue;
      const next = (this.fileUses.get(absolute) ?? 0) + sign;
      if (next > 0) this.fileUses.set(absolute, next);
      else this.fileUses.delete(absolute);
    }
  }
}
