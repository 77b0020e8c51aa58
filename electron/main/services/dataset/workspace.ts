/**
 * One open dataset: the file's document, the samples as edited, the index the list reads, the
 * crash journal and the autosave. Every edit is applied in memory, appended to the journal (and
 * acknowledged once fsync'd), then written to the file by the autosave: the whole text is rebuilt
 * by saveDataset (only changed samples are spliced), checked to parse, and written atomically, but
 * never over a file that someone else changed since it was read.
 */

import { dirname, isAbsolute, resolve } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { ApiError } from '../../../../shared/api/apiError';
import type { DatasetDocument } from '../../../../shared/dataset/datasetDocument';
import { reopenDataset, saveDataset, savedPieces } from '../../../../shared/dataset/datasetDocument';
import type { DatasetProblem } from '../../../../shared/dataset/datasetProblems';
import { compareProblems, countProblems } from '../../../../shared/dataset/datasetProblems';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import { DEFAULT_JSON_STYLE } from '../../../../shared/dataset/jsonStyle';
import { mergeWireSample } from '../../../../shared/dataset/sampleMerge';
import { sampleRecordSource } from '../../../../shared/dataset/sampleRecord';
import type { EditableSample } from '../../../../shared/dataset/sampleModel';
import type { DatasetProgress, EditResult, SampleFilter, SampleImageInfo, SampleResult, SampleRow, SaveState, ValidationReport, WireSample, WorkspaceInfo } from '../../../../shared/dataset/workspaceApi';
import { DatasetFileThread } from './datasetFileThread';
import type { TextCheck } from './datasetFileTasks';
import { probeImageSync } from './imageProbe';
import { AutosaveScheduler } from './workspaceAutosave';
import { ExifDecisions } from './workspaceExifDecisions';
import type { DiskStamp } from './workspaceDisk';
import { currentStamp, sameStamp, unwritableReason, writeDatasetFile } from './workspaceDisk';
import { samplesForImages, scanImageFolder } from './workspaceImageFolder';
import type { SampleSummary } from './workspaceIndex';
import { SampleIndex, inspect, judgeImages, summarise } from './workspaceIndex';
import type { JournalRecord } from './workspaceJournal';
import { DatasetJournal, journalPathFor, keepJournalAside, readJournal, recordsToReplay, sha256Of } from './workspaceJournal';
import { isInside, resolveImagePath, rewriteImagePaths, writtenImagePath } from './workspacePaths';
import { toWireSample } from './workspaceWire';

/** Inserted samples up to this many are checked at once; more (an images folder) in the background. */
const INSPECT_AT_ONCE = 100;
/** Background work yields to other requests this often. */
const SLICE_MS = 12;
/** Samples parsed or written between two looks at the clock. */
const SAMPLES_PER_STEP = 200;

export interface WorkspaceHooks {
  /** The workspace's state changed (coalesced: at most one call per few tens of milliseconds). */
  changed(info: WorkspaceInfo): void;
  progress(progress: DatasetProgress): void;
}

export interface WorkspaceOpenOptions {
  id: string;
  /** Absolute. */
  file: string;
  /** Absolute, or null. */
  images: string | null;
  dataDir: string;
  autosave: boolean;
  autosaveDelayMs?: number;
  hooks: WorkspaceHooks;
}

/** A dataset that does not exist yet (or an empty file): nothing to keep, so no original text. */
function newDocument(): DatasetDocument {
  return { text: '', root: null, style: DEFAULT_JSON_STYLE, samples: [], problems: [] };
}

/** Runs `work(k)` for k in [0, count), yielding to the event loop every SLICE_MS. */
async function sliced(count: number, work: (k: number) => void, onSlice: (done: number) => void, cancelled: () => boolean): Promise<boolean> {
  let sliceStart = performance.now();
  for (let k = 0; k < count; k++) {
    work(k);
    if (performance.now() - sliceStart > SLICE_MS) {
      onSlice(k + 1);
      await yieldToEvents();
      if (cancelled()) return false;
      sliceStart = performance.now();
    }
  }
  onSlice(count);
  return true;
}

/** Runs `steps` to the end, handing each value yielded to `each`, yielding to the event loop every SLICE_MS. */
async function stepped<T, R>(steps: Generator<T, R>, each: (value: T) => void): Promise<R> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    each(step.value);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEvents();
      sliceStart = performance.now();
    }
  }
}

export class DatasetWorkspace {
  file: string;
  imagesFolder: string | null = null;
  private samples: EditableSample[] = [];
  private readonly index: SampleIndex;
  private readonly facts = new Map<string, ImageFacts>();
  private readonly autosave: AutosaveScheduler;
  private journal: DatasetJournal | null = null;
  private exifDecisions: ExifDecisions | null = null;
  private stamp: DiskStamp | null = null;
  private mode: number | null = null;
  private fileProblems: DatasetProblem[] = [];
  private readOnly = false;
  private recovered = 0;
  private keptJournal: string | null = null;
  /** Edits since the file last held everything. */
  private unsavedEdits = 0;
  private saveState: SaveState = 'saved';
  private saveError: string | null = null;
  private savedAt: number | null = null;
  private writes: Promise<void> = Promise.resolve();
  private checking: Promise<void> | null = null;
  private checked = false;
  private closed = false;
  private emitTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly id: string,
    file: string,
    private readonly document: DatasetDocument,
    private readonly options: WorkspaceOpenOptions,
    private readonly files: DatasetFileThread,
  ) {
    this.file = file;
    this.index = new SampleIndex(() => this.folder);
    this.autosave = new AutosaveScheduler(() => void this.writeNow({ explicit: false }), options.autosaveDelayMs);
  }

  get folder(): string {
    return dirname(this.file);
  }

  /** Reads the file, replays a journal a crash left, adds the images folder, starts checking.
   * The file is read and parsed in the workspace's worker; this thread rebuilds the samples from
   * its outline and summarises them in slices, so other requests are served meanwhile. */
  static async open(options: WorkspaceOpenOptions): Promise<DatasetWorkspace> {
    const files = await DatasetFileThread.forFile(options.file);
    let workspace: DatasetWorkspace;
    let read;
    try {
      read = await files.open(options.file);
      const document = read.outline ? await stepped(reopenDataset(read.text, read.outline, SAMPLES_PER_STEP), () => undefined) : newDocument();
      workspace = new DatasetWorkspace(options.id, options.file, document, options, files);
      // One sample at a time: indexing resolves every image path, a second on 100,000 samples.
      const { index } = workspace;
      await sliced(document.samples.length, (k) => index.insert(k, [summarise(document.samples[k] as EditableSample)]), () => undefined, () => false);
      workspace.samples = document.samples.slice();
    } catch (error) {
      files.close();
      throw error;
    }
    const { document } = workspace;
    workspace.stamp = read.stamp;
    workspace.mode = read.mode;
    workspace.fileProblems = [...(read.notUtf8 ? [read.notUtf8] : []), ...document.problems];
    // Writing back a file that is not UTF-8 or not a list would destroy what could not be read.
    workspace.readOnly = read.notUtf8 !== null || (read.outline !== null && document.root === null);
    const pending = await workspace.recover(read.sha256);
    if (!workspace.readOnly) workspace.journal = await DatasetJournal.start(journalPathFor(options.dataDir, options.file), options.file, read.sha256, pending);
    workspace.exifDecisions = await ExifDecisions.load(options.dataDir, options.file);
    if (options.images !== null) await workspace.addImagesFolder(options.images);
    if (workspace.unsavedEdits > 0) workspace.scheduleAutosave();
    workspace.startChecking();
    return workspace;
  }

  /** Replays what the journal holds that the file lacks; returns those records (the new journal's start). */
  private async recover(fileSha: string | null): Promise<JournalRecord[]> {
    const path = journalPathFor(this.options.dataDir, this.file);
    const contents = await readJournal(path);
    if (!contents) return [];
    const records = this.readOnly ? null : recordsToReplay(contents, fileSha);
    const replayed: JournalRecord[] = [];
    let complete = records !== null && contents.damagedLine === null;
    for (const record of records ?? []) {
      try {
        this.apply(record);
      } catch {
        complete = false;
        break;
      }
      replayed.push(record);
    }
    this.recovered = replayed.length;
    this.unsavedEdits = replayed.length;
    const hadEdits = contents.entries.some((entry) => entry.kind !== 'saved');
    if (!complete && hadEdits) this.keptJournal = await keepJournalAside(path);
    return replayed;
  }

  /** Adds a sample for each image in `folder` that no sample uses yet (one journal record). */
  async addImagesFolder(folder: string): Promise<void> {
    this.imagesFolder = folder;
    if (this.readOnly) return;
    const images = await scanImageFolder(folder);
    const used = new Set(images.filter((image) => this.index.usesFile(image)));
    const ids = new Set<string>();
    for (const summary of this.index.all()) if (summary.id !== null) ids.add(summary.id);
    const samples = samplesForImages(images, this.folder, used, ids);
    if (samples.length === 0) return;
    await this.edit({ kind: 'insert', index: this.samples.length, samples });
    this.startChecking();
  }

  info(): WorkspaceInfo {
    const totals = this.index.totals();
    return {
      id: this.id,
      file: this.file,
      folder: this.folder,
      imagesFolder: this.imagesFolder,
      sampleCount: this.samples.length,
      labels: this.index.labels(),
      fileProblems: this.fileProblems,
      errors: totals.errors,
      warnings: totals.warnings,
      checked: this.checked,
      readOnly: this.readOnly,
      recovered: this.recovered,
      keptJournal: this.keptJournal,
      dirty: this.unsavedEdits > 0,
      saveState: this.saveState,
      saveError: this.saveError,
      savedAt: this.savedAt,
      autosave: this.options.autosave,
      autosaveAt: this.autosave.dueAt,
    };
  }

  list(filter: SampleFilter): number[] {
    return this.index.filter(filter, (index) => this.samples[index]);
  }

  rows(from: number, count: number): SampleRow[] {
    const rows: SampleRow[] = [];
    for (let index = from; index < Math.min(from + count, this.samples.length); index++) {
      const row = this.index.row(index);
      if (row) rows.push(row);
    }
    return rows;
  }

  get size(): number {
    return this.samples.length;
  }

  /** A sample with fresh facts about its images (a file may have been fixed meanwhile). */
  sample(index: number): SampleResult {
    const sample = this.sampleAt(index);
    const summary = this.summaryAt(index);
    const images: SampleImageInfo[] = summary.images.map((path) => {
      const resolved = resolveImagePath(this.folder, path);
      if (resolved === null) return { path, resolved, exists: false, width: null, height: null, exifOrientation: null, exifKept: false, decodes: null, format: null, reason: 'a URL: training downloads it; it is not fetched here' };
      const facts = probeImageSync(resolved);
      this.facts.set(resolved, facts);
      const exifKept = this.exifDecisions?.isKept(resolved, facts.exifOrientation) ?? false;
      return { path, resolved, exists: facts.exists, width: facts.width, height: facts.height, exifOrientation: facts.exifOrientation, exifKept, decodes: facts.decodes, format: facts.format, reason: facts.reason };
    });
    return { index, sample: toWireSample(sample), images, problems: this.problemsOf(index), record: sampleRecordSource(this.document, sample) };
  }

  /** Whether the image server may read the file a sample names as `written`: only images the
   * dataset uses or its images folder holds. */
  servableImage(written: string): string | null {
    const absolute = resolveImagePath(this.folder, written);
    if (absolute === null) return null;
    if (this.index.usesFile(absolute) || (this.imagesFolder !== null && isInside(this.imagesFolder, absolute))) return absolute;
    return null;
  }

  async update(index: number, sample: WireSample): Promise<EditResult> {
    this.sampleAt(index);
    await this.edit({ kind: 'update', index, sample });
    return this.editResult(index);
  }

  async insert(index: number, sample: WireSample): Promise<EditResult> {
    if (index > this.samples.length) throw new ApiError('not-found', `Cannot insert at ${index}: the dataset has ${this.samples.length} samples.`);
    await this.edit({ kind: 'insert', index, samples: [sample] });
    return this.editResult(index);
  }

  /** Several samples replaced as one edit: one journal record, acknowledged once it is on disk.
   * A read-only dataset refuses it even when nothing is to change. */
  async updateMany(replacements: ReadonlyArray<{ index: number; sample: WireSample }>): Promise<void> {
    this.refuseReadOnly();
    for (const { index } of replacements) this.sampleAt(index);
    if (replacements.length > 0) await this.edit({ kind: 'updates', samples: [...replacements] });
  }

  /**
   * The user keeps the image `written` (of sample `index`) as training sees it, ignoring its EXIF
   * rotation: no sample that uses it is warned about that any more.
   */
  async keepExifRotation(index: number, written: string): Promise<EditResult> {
    this.sampleAt(index);
    const absolute = resolveImagePath(this.folder, written);
    if (absolute === null || !this.index.usesFile(absolute)) throw new ApiError('forbidden', `${written} is not an image this dataset uses.`);
    const facts = probeImageSync(absolute);
    this.facts.set(absolute, facts);
    if (facts.exifOrientation === null || facts.exifOrientation === 1) throw new ApiError('invalid-input', `${written} has no EXIF rotation.`);
    await this.exifDecisions?.keep(absolute, facts.exifOrientation);
    this.index.all().forEach((summary, k) => judgeImages(summary, this.folder, this.factsByPath, k));
    this.index.changedMany();
    this.scheduleEmit();
    return this.editResult(index);
  }

  async remove(index: number): Promise<number> {
    this.sampleAt(index);
    await this.edit({ kind: 'remove', index });
    return this.samples.length;
  }

  /** Writes now (waiting for a write under way); a conflict or failure shows in the info. */
  async save(options: { overwrite?: boolean } = {}): Promise<void> {
    this.refuseReadOnly();
    await this.writeNow({ explicit: true, overwrite: options.overwrite === true });
  }

  /**
   * Writes everything to `file` and continues there (the old file stays as it was). Relative image
   * paths are rewritten for the new folder, so they still name the same files.
   */
  async saveAs(file: string): Promise<void> {
    this.refuseReadOnly();
    const run = this.writes.then(() => this.moveTo(file));
    this.writes = run.catch(() => undefined);
    await run;
  }

  /** Every problem, with every image probed afresh (progress as phase `validate`). */
  async validate(): Promise<ValidationReport> {
    const files = this.index.files();
    const total = files.length + this.samples.length;
    const report = (done: number): void => this.options.hooks.progress({ id: this.id, phase: 'validate', done, total });
    await sliced(
      files.length,
      (k) => {
        const file = files[k];
        if (file !== undefined) this.facts.set(file, probeImageSync(file));
      },
      report,
      () => this.closed,
    );
    const problems = [...this.fileProblems];
    await sliced(
      this.samples.length,
      (k) => {
        // Samples removed while this runs are simply not reported.
        if (k < this.samples.length) for (const entry of this.problemsOf(k)) problems.push(entry);
      },
      (done) => report(files.length + done),
      () => this.closed,
    );
    if (this.closed) throw new ApiError('not-found', 'The dataset was closed while it was being checked.');
    problems.sort(compareProblems);
    this.scheduleEmit();
    return { samples: this.samples.length, ...countProblems(problems), problems };
  }

  /** What export and upload read: the samples as they are now, with the document they splice into. */
  snapshot(): { document: DatasetDocument; samples: readonly EditableSample[]; facts: (absolute: string) => ImageFacts } {
    return {
      document: this.document,
      samples: this.samples,
      facts: (absolute) => {
        const known = this.facts.get(absolute) ?? probeImageSync(absolute);
        this.facts.set(absolute, known);
        return known;
      },
    };
  }

  /** Stops the background work, writes what is pending (unless in conflict), and lets go of the journal:
   * deleted when the file holds every edit, kept (and replayed on the next open) otherwise. */
  async close(): Promise<void> {
    this.closed = true;
    this.autosave.cancel();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    if (this.unsavedEdits > 0 && this.saveState !== 'conflict' && !this.readOnly) await this.writeNow({ explicit: false });
    await this.writes;
    this.files.close();
    if (this.unsavedEdits === 0) await this.journal?.remove();
    else await this.journal?.close();
  }

  private refuseReadOnly(): void {
    if (this.readOnly) throw new ApiError('read-only', `${this.file} could not be read as a JSON list of samples in UTF-8, so it is never written over. Fix it in a text editor (see its problems) and open it again.`);
  }

  private sampleAt(index: number): EditableSample {
    const sample = this.samples[index];
    if (!sample) throw new ApiError('not-found', `There is no sample ${index}: the dataset has ${this.samples.length}.`);
    return sample;
  }

  private summaryAt(index: number): SampleSummary {
    const summary = this.index.at(index);
    if (!summary) throw new ApiError('not-found', `There is no sample ${index}: the dataset has ${this.samples.length}.`);
    return summary;
  }

  /** Facts as problems are judged by: an EXIF rotation the user chose to keep is not one. */
  private factsByPath = (absolute: string): ImageFacts | undefined => {
    const facts = this.facts.get(absolute);
    return facts && this.exifDecisions?.isKept(absolute, facts.exifOrientation) ? { ...facts, exifOrientation: null } : facts;
  };

  /** The sample's problems, as validateDataset reports them: the validator's rules (refreshing its
   * summary), its image files' problems, a duplicate id. */
  private problemsOf(index: number): DatasetProblem[] {
    const sample = this.sampleAt(index);
    let problems: DatasetProblem[] = [];
    this.index.change(index, (summary) => {
      problems = inspect(summary, sample, index);
      for (const entry of judgeImages(summary, this.folder, this.factsByPath, index)) problems.push(entry);
    });
    const duplicate = this.index.duplicateProblem(index, sample);
    if (duplicate) problems.push(duplicate);
    return problems.sort(compareProblems);
  }

  private editResult(index: number): EditResult {
    const row = this.index.row(index);
    if (!row) throw new ApiError('not-found', `There is no sample ${index}.`);
    return { index, row, problems: this.problemsOf(index) };
  }

  /** Applies an edit in memory, then resolves once the journal holds it. */
  private async edit(record: JournalRecord): Promise<void> {
    this.refuseReadOnly();
    if (this.closed) throw new ApiError('not-found', 'The dataset is closed.');
    this.apply(record);
    this.unsavedEdits++;
    if (this.saveState === 'saved') this.saveState = 'pending';
    this.scheduleAutosave();
    try {
      await this.journal?.append(record);
    } catch (error) {
      // The edit is in memory and will be saved, but is not safe from a crash until then: write now.
      this.saveError = `The journal cannot be written (${(error as Error).message}); saving the file instead.`;
      void this.writeNow({ explicit: false });
      throw new ApiError('journal-failed', this.saveError);
    }
  }

  /** An edit in memory, with the index brought up to date. Throws on an index out of range. */
  private apply(record: JournalRecord): void {
    switch (record.kind) {
      case 'update':
        this.replace(record.index, record.sample);
        return;
      case 'updates':
        for (const { index, sample } of record.samples) this.replace(index, sample);
        this.scheduleEmit();
        return;
      case 'insert': {
        if (record.index > this.samples.length) throw new RangeError(`insert at ${record.index} past ${this.samples.length} samples`);
        const merged = record.samples.map((wire) => mergeWireSample(wire, undefined));
        this.samples.splice(record.index, 0, ...merged);
        const inspectNow = merged.length <= INSPECT_AT_ONCE;
        this.index.insert(
          record.index,
          merged.map((sample, k) => (inspectNow ? this.summaryOf(sample, record.index + k) : summarise(sample))),
        );
        if (!inspectNow) this.checked = false;
        this.scheduleEmit();
        return;
      }
      case 'remove':
        this.sampleAt(record.index);
        this.samples.splice(record.index, 1);
        this.index.remove(record.index);
        this.scheduleEmit();
        return;
    }
  }

  private replace(index: number, wire: WireSample): void {
    const merged = mergeWireSample(wire, this.sampleAt(index));
    this.samples[index] = merged;
    this.index.set(index, this.summaryOf(merged, index));
  }

  /** A full summary: parsed, checked, its image files probed (a few files: microseconds each). */
  private summaryOf(sample: EditableSample, index: number): SampleSummary {
    const summary = summarise(sample);
    inspect(summary, sample, index);
    for (const reference of summary.inspected?.references ?? []) {
      const absolute = resolveImagePath(this.folder, reference.path);
      if (absolute !== null && !this.facts.has(absolute)) this.facts.set(absolute, probeImageSync(absolute));
    }
    judgeImages(summary, this.folder, this.factsByPath, index);
    return summary;
  }

  private scheduleAutosave(): void {
    if (this.options.autosave && this.saveState !== 'conflict') this.autosave.touch();
    this.scheduleEmit();
  }

  /** Coalesces change events: a drag sends many edits, the screen needs one state after them. */
  private scheduleEmit(): void {
    if (this.emitTimer || this.closed) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      if (!this.closed) this.options.hooks.changed(this.info());
    }, 30);
  }

  /** Queues a write after any under way. Never rejects: a failure shows in the info. */
  private writeNow(options: { explicit: boolean; overwrite?: boolean }): Promise<void> {
    const run = this.writes
      .then(() => this.writeOnce(options))
      .catch((error: unknown) => {
        this.saveState = 'failed';
        this.saveError = `Saving ${this.file} failed (${error instanceof Error ? error.message : String(error)}). Your edits are kept in the journal.`;
        this.scheduleEmit();
      });
    this.writes = run;
    return run;
  }

  private async writeOnce({ explicit, overwrite = false }: { explicit: boolean; overwrite?: boolean }): Promise<void> {
    if (this.readOnly || !this.journal) return;
    // An autosave with nothing to write does nothing; a save on request also creates a new file.
    if (this.unsavedEdits === 0 && !(explicit && (this.stamp === null || overwrite))) return;
    const onDisk = await currentStamp(this.file);
    if (!overwrite && !sameStamp(onDisk, this.stamp)) {
      this.autosave.cancel();
      this.saveState = 'conflict';
      this.saveError = `${this.file} was ${onDisk ? 'changed' : 'deleted'} on disk by another program since it was opened. Your edits are kept in the journal and nothing was written: save as another file, or save again to overwrite it.`;
      this.scheduleEmit();
      return;
    }
    // The text is built from the samples as they are now (in slices, then checked and hashed in
    // the worker), and its mark takes its place in the journal now, before the record of any
    // later edit: the mark's line is written once the hash is known, and the edits made meanwhile
    // are acknowledged after it.
    const covered = this.unsavedEdits;
    const checking = this.checkedText(this.samples.slice());
    const mark = this.journal.mark(checking.then((check) => ('sha256' in check ? check.sha256 : Promise.reject(new Error(check.unwritable)))));
    this.saveState = 'saving';
    this.autosave.cancel();
    this.scheduleEmit();
    const check = await checking.catch((error: unknown) => ({ unwritable: `the text to save could not be built (${error instanceof Error ? error.message : String(error)})` }));
    // A journal that cannot take the mark must not stop the file from getting the edits.
    await mark.done.catch(() => undefined);
    if ('unwritable' in check) {
      this.journal.unmark(mark.covered);
      await this.files.drop().catch(() => undefined);
      this.saveState = 'failed';
      this.saveError = `Not saved: ${check.unwritable}. Your edits are kept in the journal.`;
      this.scheduleEmit();
      return;
    }
    const { sha256 } = check;
    try {
      const written = await this.files.write(this.file, this.mode);
      this.stamp = written.stamp;
      this.mode = written.mode;
    } catch (error) {
      this.journal.unmark(mark.covered);
      this.saveState = 'failed';
      this.saveError = `Saving ${this.file} failed (${(error as Error).message}). Your edits are kept in the journal.`;
      this.scheduleEmit();
      return;
    }
    this.savedAt = Date.now();
    this.unsavedEdits -= covered;
    this.saveError = null;
    // A journal that cannot start over keeps its failure: the next edit reports it and saves at once.
    await this.journal.rebase(sha256).catch(() => undefined);
    this.saveState = this.unsavedEdits > 0 ? 'pending' : 'saved';
    if (this.unsavedEdits > 0) this.scheduleAutosave();
    this.scheduleEmit();
  }

  /** The file's text with `samples`, built in slices and sent to the worker piece by piece, where
   * it is checked and hashed (and held for the write). */
  private async checkedText(samples: readonly EditableSample[]): Promise<TextCheck> {
    await stepped(savedPieces(this.document, samples, SAMPLES_PER_STEP), (piece) => this.files.append(piece));
    return this.files.check(samples.length);
  }

  private async moveTo(target: string): Promise<void> {
    const file = resolve(target);
    const folder = dirname(file);
    const oldFolder = this.folder;
    // Relative image paths, seen from the new folder, still name the same files.
    const rebased = (written: string): string | null => {
      const absolute = resolveImagePath(oldFolder, written);
      return absolute === null || isAbsolute(written) ? null : writtenImagePath(folder, absolute);
    };
    const moved = (samples: readonly EditableSample[]): EditableSample[] => (folder === oldFolder ? samples.slice() : samples.map((sample) => rewriteImagePaths(sample, rebased)));
    const samples = moved(this.samples);
    const text = saveDataset(this.document, samples);
    const unwritable = unwritableReason(text, samples.length);
    if (unwritable) throw new ApiError('not-saved', `Not saved: ${unwritable}.`);
    const sha256 = sha256Of(text);
    const covered = this.unsavedEdits;
    const mark = this.journal?.mark(sha256);
    await mark?.done.catch(() => undefined);
    let written;
    try {
      written = await writeDatasetFile(file, text, this.mode);
    } catch (error) {
      if (mark) this.journal?.unmark(mark.covered);
      throw new ApiError('not-saved', `Saving as ${file} failed: ${(error as Error).message}.`);
    }
    // Edits made while writing are in memory only as the old folder saw them: move them too.
    const current = moved(this.samples);
    this.file = file;
    current.forEach((sample, index) => {
      if (sample !== this.samples[index]) this.index.set(index, this.summaryOf(sample, index));
    });
    this.samples = current;
    this.index.rebuildFileUses();
    this.stamp = written.stamp;
    this.mode = written.mode;
    this.savedAt = Date.now();
    this.unsavedEdits -= covered;
    this.saveState = this.unsavedEdits > 0 ? 'pending' : 'saved';
    this.saveError = null;
    await this.journal?.rebase(sha256, file, journalPathFor(this.options.dataDir, file)).catch(() => undefined);
    this.scheduleEmit();
  }

  /** Checks every sample not checked yet, then probes every image not probed yet, in the background. */
  private startChecking(): void {
    if (this.checking) return;
    this.checked = false;
    this.checking = this.check().finally(() => {
      this.checking = null;
    });
  }

  private async check(): Promise<void> {
    for (;;) {
      const pending: number[] = [];
      this.index.all().forEach((summary, index) => {
        if (!summary.inspected) pending.push(index);
      });
      const files = this.index.files().filter((file) => !this.facts.has(file));
      if (pending.length === 0 && files.length === 0) break;
      const progress = (phase: DatasetProgress['phase'], total: number) => (done: number) => this.options.hooks.progress({ id: this.id, phase, done, total });
      // Indices shift when samples are inserted or removed meanwhile: look each one up again.
      const samplesBefore = this.samples.length;
      const inspected = await sliced(
        pending.length,
        (k) => {
          const index = pending[k] ?? -1;
          const summary = this.index.at(index);
          const sample = this.samples[index];
          if (summary && sample && !summary.inspected && this.samples.length === samplesBefore) inspect(summary, sample, index);
        },
        progress('check', pending.length),
        () => this.closed,
      );
      this.index.changedMany();
      if (!inspected) return;
      const probed = await sliced(
        files.length,
        (k) => {
          const file = files[k];
          if (file !== undefined) this.facts.set(file, probeImageSync(file));
        },
        progress('images', files.length),
        () => this.closed,
      );
      if (!probed) return;
      // Each summary as it is now (the index only sets its counts; a sample added meanwhile was judged when added).
      const summaries = this.index.all().slice();
      const judged = await sliced(summaries.length, (k) => judgeImages(summaries[k] as SampleSummary, this.folder, this.factsByPath, k), () => undefined, () => this.closed);
      if (!judged) return;
      this.index.changedMany();
    }
    this.checked = true;
    this.scheduleEmit();
  }
}
