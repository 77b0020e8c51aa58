/**
 * The dataset builder's side of the `dataset` and `files` domains: open workspaces by id (one per
 * dataset file), routing the screen's requests to them, and the operations that make or write
 * other files (import, export, the upload plan, the folder listing). Plain Node: the Electron app,
 * browser mode and the tests run it the same way.
 */

import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../../../../shared/api/apiError';
import type { ExportProblem } from '../../../../shared/dataset/export/exportTurns';
import { exportMessages } from '../../../../shared/dataset/export/exportTurns';
import type { QwenSample, QwenTurn } from '../../../../shared/dataset/export/qwenJson';
import { qwenJsonText } from '../../../../shared/dataset/export/qwenJson';
import { sharegptJsonText, toSharegpt } from '../../../../shared/dataset/export/sharegpt';
import { swiftJsonlText, toSwift } from '../../../../shared/dataset/export/swift';
import { sampleIdText } from '../../../../shared/dataset/sampleModel';
import type { SampleTemplate } from '../../../../shared/dataset/templates';
import { DEFAULT_TEMPLATE_ID, customTemplate, findTemplate } from '../../../../shared/dataset/templates';
import type {
  DatasetProgress,
  EditResult,
  ExportResult,
  FolderListing,
  ImageResult,
  ImportResult,
  ListResult,
  OpenWorkspaceRequest,
  RenameLabelResult,
  RowsResult,
  SampleFilter,
  SampleResult,
  UndoRenameLabelResult,
  UploadPlan,
  ValidationReport,
  WireSample,
  WorkspaceInfo,
} from '../../../../shared/dataset/workspaceApi';
import { writeFileAtomic } from '../fs/atomicWrite';
import { ConvertInputError } from './annotationSources';
import type { SourceFormat, TargetFormat } from './convertDataset';
import { convertDataset } from './convertDataset';
import { DatasetWorkspace } from './workspace';
import { listFolder } from './workspaceFolderListing';
import { LabelRenames } from './workspaceLabelRename';
import type { UprightCopyMime } from './workspaceUprightCopy';
import { writeUprightCopy } from './workspaceUprightCopy';
import { readServedImage } from './workspaceImageServing';
import { planUpload } from './workspaceUploadPlan';

export interface DatasetServiceOptions {
  /** The app's data folder: journals live in `dataset-journals/` under it. */
  dataDir: string;
  /** Where the folder listing starts. */
  home: string;
  onChange(info: WorkspaceInfo): void;
  onProgress(progress: DatasetProgress): void;
  /** Quiet time before an autosave (tests shorten it). */
  autosaveDelayMs?: number;
}

export interface ImportOptions {
  from: SourceFormat;
  input: string;
  images?: string;
  classes?: string;
  template?: string;
  prompt?: string;
  file: string;
}

/** The template an import asks for: the user's prompt, else a named one, else the default. */
function importTemplate(template: string | undefined, prompt: string | undefined): SampleTemplate {
  if (prompt !== undefined) {
    const custom = customTemplate(prompt);
    if ('error' in custom) throw new ApiError('invalid-input', `The prompt cannot be used: ${custom.error}.`);
    return custom;
  }
  const found = findTemplate(template ?? DEFAULT_TEMPLATE_ID);
  if (!found) throw new ApiError('invalid-input', `There is no template "${template ?? ''}".`);
  return found;
}

function exportText(to: TargetFormat, samples: QwenSample[]): { text: string; written: number; problems: ExportProblem[] } {
  if (to === 'sharegpt') {
    const { records, problems } = toSharegpt(samples);
    return { text: sharegptJsonText(records), written: records.length, problems };
  }
  if (to === 'swift') {
    const { records, problems } = toSwift(samples);
    return { text: swiftJsonlText(records), written: records.length, problems };
  }
  return { text: qwenJsonText(samples), written: samples.length, problems: [] };
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

export class DatasetWorkspaceService {
  private readonly workspaces = new Map<string, DatasetWorkspace>();
  /** Opening takes a while on a big file: a second open of the same file waits for the first. */
  private readonly opening = new Map<string, Promise<DatasetWorkspace>>();
  /** A file being closed is reopened only once its last write and journal are settled. */
  private readonly closing = new Map<string, Promise<void>>();
  private counter = 0;
  private readonly labelRenames = new LabelRenames();

  constructor(private readonly options: DatasetServiceOptions) {}

  async open(request: OpenWorkspaceRequest): Promise<WorkspaceInfo> {
    const images = request.images === undefined ? null : resolve(request.images);
    if (images !== null && !(await isFolder(images))) throw new ApiError('not-found', `${images} is not a folder.`);
    if (request.file === undefined && images === null) throw new ApiError('invalid-input', 'Give a dataset file, an images folder, or both.');
    const file = request.file === undefined ? join(images as string, 'dataset.json') : resolve(request.file);
    if (await isFolder(file)) throw new ApiError('invalid-input', `${file} is a folder: name the dataset file.`);
    await this.closing.get(file);
    const existing = this.byFile(file) ?? (await this.opening.get(file));
    if (existing) {
      if (images !== null) await existing.addImagesFolder(images);
      return existing.info();
    }
    const opening = DatasetWorkspace.open({
      id: `ds-${(++this.counter).toString(36)}${randomBytes(4).toString('hex')}`,
      file,
      images,
      dataDir: this.options.dataDir,
      autosave: request.autosave ?? true,
      ...(this.options.autosaveDelayMs !== undefined && { autosaveDelayMs: this.options.autosaveDelayMs }),
      hooks: { changed: (info) => this.options.onChange(info), progress: (progress) => this.options.onProgress(progress) },
    });
    this.opening.set(file, opening);
    try {
      const workspace = await opening;
      this.workspaces.set(workspace.id, workspace);
      return workspace.info();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('cannot-open', `Cannot open ${file}: ${(error as Error).message}`);
    } finally {
      this.opening.delete(file);
    }
  }

  list(): WorkspaceInfo[] {
    return [...this.workspaces.values()].map((workspace) => workspace.info());
  }

  filter(id: string, filter: SampleFilter = {}): ListResult {
    const workspace = this.get(id);
    return { indices: workspace.list(filter), total: workspace.size };
  }

  rows(id: string, from: number, count: number): RowsResult {
    const workspace = this.get(id);
    return { rows: workspace.rows(from, count), total: workspace.size };
  }

  sample(id: string, index: number): SampleResult {
    return this.get(id).sample(index);
  }

  /** Only images the dataset uses or its images folder holds, and only real image files. */
  async image(id: string, path: string): Promise<ImageResult> {
    const file = this.get(id).servableImage(path);
    if (file === null) throw new ApiError('forbidden', `${path} is not an image this dataset uses.`);
    return readServedImage(file);
  }

  update(id: string, index: number, sample: WireSample): Promise<EditResult> {
    return this.get(id).update(index, sample);
  }

  insert(id: string, index: number, sample: WireSample): Promise<EditResult> {
    return this.get(id).insert(index, sample);
  }

  async remove(id: string, index: number): Promise<{ total: number }> {
    return { total: await this.get(id).remove(index) };
  }

  async renameLabel(id: string, from: string, to: string): Promise<RenameLabelResult> {
    const workspace = this.get(id);
    return { ...(await this.labelRenames.rename(workspace, from, to)), info: workspace.info() };
  }

  undoRenameLabel(id: string, undo: string): Promise<UndoRenameLabelResult> {
    return this.labelRenames.undo(this.get(id), undo);
  }

  keepExifRotation(id: string, index: number, path: string): Promise<EditResult> {
    return this.get(id).keepExifRotation(index, path);
  }

  writeUprightCopy(id: string, index: number, path: string, mime: UprightCopyMime, bytes: Uint8Array): Promise<EditResult> {
    return writeUprightCopy(this.get(id), index, path, mime, bytes);
  }

  async save(id: string, options: { file?: string; overwrite?: boolean }): Promise<WorkspaceInfo> {
    const workspace = this.get(id);
    const target = options.file === undefined ? workspace.file : resolve(options.file);
    if (target === workspace.file) await workspace.save({ overwrite: options.overwrite === true });
    else {
      this.refuseOpenFile(target, 'save as');
      if (await isFolder(target)) throw new ApiError('invalid-input', `${target} is a folder: name the file to write.`);
      await workspace.saveAs(target);
    }
    return workspace.info();
  }

  async close(id: string): Promise<void> {
    const workspace = this.get(id);
    this.workspaces.delete(id);
    const closing = workspace.close();
    this.closing.set(workspace.file, closing);
    try {
      await closing;
    } finally {
      if (this.closing.get(workspace.file) === closing) this.closing.delete(workspace.file);
    }
  }

  validate(id: string): Promise<ValidationReport> {
    return this.get(id).validate();
  }

  /** Converts annotations into a new Qwen-VL file (never over an input or an open dataset) and opens it. */
  async importAnnotations(request: ImportOptions): Promise<ImportResult> {
    const file = resolve(request.file);
    this.refuseOpenFile(file, 'import into');
    let report;
    try {
      report = await convertDataset({
        from: request.from,
        input: request.input,
        output: file,
        to: 'qwen',
        template: importTemplate(request.template, request.prompt),
        ...(request.images !== undefined && { images: request.images }),
        ...(request.classes !== undefined && { classes: request.classes }),
      });
    } catch (error) {
      if (error instanceof ConvertInputError) throw new ApiError('invalid-input', error.message);
      throw error;
    }
    const workspace = report.written ? await this.open({ file }) : null;
    return { workspace, images: report.images, boxes: report.boxes, samples: report.samples, problems: report.problems };
  }

  /** Writes the samples as they are now in another format; samples that cannot be converted are left out. */
  async exportTo(id: string, to: TargetFormat, target: string): Promise<ExportResult> {
    const workspace = this.get(id);
    const file = resolve(target);
    this.refuseOpenFile(file, 'export over');
    if (await isFolder(file)) throw new ApiError('invalid-input', `${file} is a folder: name the file to write.`);
    const problems: ExportProblem[] = [];
    const samples: QwenSample[] = [];
    workspace.snapshot().samples.forEach((sample, index) => {
      const id = sampleIdText(sample) ?? `sample_${index}`;
      const conversations = sample.turns.map((turn) => ({ from: turn.from, value: turn.value }) as QwenTurn);
      const qwen = { id, conversations };
      // The rules the other formats apply: finetune.py crashes on other roles too.
      const checked = exportMessages(qwen, []);
      if ('error' in checked) problems.push({ id, message: checked.error });
      else samples.push(qwen);
    });
    const exported = exportText(to, samples);
    problems.push(...exported.problems);
    if (exported.written > 0) await writeFileAtomic(file, exported.text);
    return { written: exported.written, problems };
  }

  uploadPlan(id: string, targetDir: string): UploadPlan {
    const workspace = this.get(id);
    const { document, samples, facts } = workspace.snapshot();
    return planUpload({ document, samples, file: workspace.file, folder: dirname(workspace.file), targetDir, facts });
  }

  listFiles(dir: string | undefined): Promise<FolderListing> {
    return listFolder(dir ?? this.options.home);
  }

  /** Writes what is pending and lets go of every journal (on quit). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.workspaces.keys()].map((id) => this.close(id)));
  }

  private get(id: string): DatasetWorkspace {
    const workspace = this.workspaces.get(id);
    if (!workspace) throw new ApiError('not-found', `No open dataset ${id}: it was closed, or the app restarted (open it again).`);
    return workspace;
  }

  private byFile(file: string): DatasetWorkspace | undefined {
    for (const workspace of this.workspaces.values()) if (workspace.file === file) return workspace;
    return undefined;
  }

  private refuseOpenFile(file: string, action: string): void {
    if (this.byFile(file) || this.opening.has(file)) throw new ApiError('forbidden', `Cannot ${action} ${file}: it is open as a dataset. Choose another file.`);
  }
}
