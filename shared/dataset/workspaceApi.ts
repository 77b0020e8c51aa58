// The `dataset` and `files` domains of the API: the dataset builder's workspace. The main process
// holds the opened file (its text, the samples with their places in it, a crash journal) and
// answers the screen with small pieces: the indices a filter keeps, summaries for the visible rows
// of the list, one sample at a time. Samples cross the wire without their `origin` (which holds
// the whole file's text); the main process puts it back when an edit comes in, so saving still
// splices only what changed.

import { z } from 'zod';
import { PROBLEM_SEVERITY } from './datasetProblems';
import type { ProblemCode } from './datasetProblems';

export const WorkspaceId = z.string().regex(/^ds-[0-9a-z]{1,24}$/);
export type WorkspaceId = z.infer<typeof WorkspaceId>;

const Count = z.number().int().nonnegative();
const SampleIndex = z.number().int().nonnegative();

/** A local path as the user or a dialog gave it (absolute, or relative to the process's folder). */
export const LocalPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), 'A path cannot contain a NUL byte.');

const PROBLEM_CODES = Object.keys(PROBLEM_SEVERITY) as [ProblemCode, ...ProblemCode[]];

/** DatasetProblem (shared/dataset/datasetProblems.ts) as it crosses the API. */
export const DatasetProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.enum(PROBLEM_CODES),
  message: z.string(),
  sample: SampleIndex.nullable(),
  id: z.string().nullable(),
  turn: SampleIndex.nullable(),
  offset: SampleIndex.nullable(),
  length: Count,
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

const PixelBoxSchema = z.object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number() });

/** A box the editor placed in float pixels (see PixelHint in sampleModel.ts). */
export const PixelHintSchema = z.object({ start: Count, coords: PixelBoxSchema, pixels: PixelBoxSchema });

export const WireTurn = z.object({
  /** `user` or `assistant` when valid; '' when the file had no string there. */
  from: z.string().max(1000),
  value: z.string().max(4_000_000),
  pixelHints: z.array(PixelHintSchema).max(10_000).optional(),
});
export type WireTurn = z.infer<typeof WireTurn>;

/**
 * A sample as the screen sees and edits it. `id` is whatever JSON the file has there (absent when
 * the sample has none); `reviewed` is stored as `"reviewed": true` (finetune.py ignores it).
 */
export const WireSample = z.object({
  id: z.json().optional(),
  turns: z.array(WireTurn).max(10_000),
  reviewed: z.boolean(),
});
export type WireSample = z.infer<typeof WireSample>;

/** How the file on disk relates to the edits: all written (`saved`), waiting for the autosave
 * (`pending`), being written (`saving`), changed on disk by someone else (`conflict`: nothing is
 * written until `dataset:save` with `overwrite`, or a save as), or the write failed (`failed`). */
export const SaveState = z.enum(['saved', 'pending', 'saving', 'conflict', 'failed']);
export type SaveState = z.infer<typeof SaveState>;

export const LabelCount = z.object({ label: z.string(), count: Count });

export const WorkspaceInfo = z.object({
  id: WorkspaceId,
  /** The dataset file, absolute. It may not exist yet (a new dataset before its first save). */
  file: z.string(),
  /** The file's folder: where relative image paths resolve. */
  folder: z.string(),
  /** The images folder opened with it, absolute; null when none. */
  imagesFolder: z.string().nullable(),
  sampleCount: Count,
  /** Every `<ref>` label in use (as written), most used first. */
  labels: z.array(LabelCount),
  /** Problems of the whole file (not UTF-8, BOM, JSON syntax, not a list, empty). */
  fileProblems: z.array(DatasetProblemSchema),
  /** Samples with at least one error / warning (complete once `checked`). */
  errors: Count,
  warnings: Count,
  /** Every sample has been checked and every image it uses probed. This runs in the background
   * after opening (`dataset:onDidProgress` phases `check`, then `images`); until then problem
   * counts and the `problems` filter cover the samples checked so far. */
  checked: z.boolean(),
  /** The file is not UTF-8 or not a JSON list: it is shown but never written over. */
  readOnly: z.boolean(),
  /** Edits replayed from the journal a crash left behind, when this workspace was opened. */
  recovered: Count,
  /** A journal whose edits could not be replayed because the file changed on disk since: kept
   * here (JSON lines) rather than thrown away. */
  keptJournal: z.string().nullable(),
  /** Some edits are not in the file yet (they are in the journal). */
  dirty: z.boolean(),
  saveState: SaveState,
  /** Why the last save failed or what the conflict is, in English. */
  saveError: z.string().nullable(),
  /** When the file was last written by this workspace (epoch ms); null before the first write. */
  savedAt: z.number().nullable(),
  autosave: z.boolean(),
  /** When the pending autosave will run (epoch ms); null when none is pending. */
  autosaveAt: z.number().nullable(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const WorkspaceRef = z.object({ id: WorkspaceId });

export const OpenWorkspaceRequest = z
  .object({
    /** A dataset JSON file; it may not exist yet (a new dataset). Default with `images`:
     * `dataset.json` inside the images folder. */
    file: LocalPath.optional(),
    /** A folder: each image in it (recursively, in name order) that no sample uses yet becomes a
     * new sample with one user turn `Picture 1: <img>path</img>\n`, the path relative to the
     * dataset's folder when the image is inside it, else absolute. */
    images: LocalPath.optional(),
    /** Write the file about a second after each edit (default true). The journal is kept either way. */
    autosave: z.boolean().optional(),
  })
  .refine((request) => request.file !== undefined || request.images !== undefined, 'Give a dataset file, an images folder, or both.');
export type OpenWorkspaceRequest = z.input<typeof OpenWorkspaceRequest>;

export const SampleFilter = z.object({
  reviewed: z.boolean().optional(),
  /** true: samples with an error or warning; false: samples with none. */
  problems: z.boolean().optional(),
  /** Samples with a `<ref>` of exactly this label. */
  label: z.string().max(1000).optional(),
  /** Case-insensitive substring of the id or of any turn's text. */
  text: z.string().max(1000).optional(),
});
export type SampleFilter = z.infer<typeof SampleFilter>;

export const ListRequest = z.object({ id: WorkspaceId, filter: SampleFilter.optional() });
export const ListResult = z.object({
  /** Indices of the samples the filter keeps, ascending. */
  indices: z.array(SampleIndex),
  /** All samples in the workspace. */
  total: Count,
});
export type ListResult = z.infer<typeof ListResult>;

/** At most this many rows per `dataset:rows` call. */
export const MAX_ROWS_PER_CALL = 1000;

export const RowsRequest = z.object({ id: WorkspaceId, from: SampleIndex, count: z.number().int().min(0).max(MAX_ROWS_PER_CALL) });

export const SampleRow = z.object({
  index: SampleIndex,
  /** The id as text (the JSON of a non-string id); null when it has none. */
  id: z.string().nullable(),
  /** The first image path as written; null when the sample has none. */
  image: z.string().nullable(),
  reviewed: z.boolean(),
  errors: Count,
  warnings: Count,
  /** Distinct `<ref>` labels, in order of first use. */
  labels: z.array(z.string()),
  boxCount: Count,
});
export type SampleRow = z.infer<typeof SampleRow>;

export const RowsResult = z.object({ rows: z.array(SampleRow), total: Count });
export type RowsResult = z.infer<typeof RowsResult>;

export const SampleRequest = z.object({ id: WorkspaceId, index: SampleIndex });

/** What the main process knows about one image a sample uses. */
export const SampleImageInfo = z.object({
  /** As written in the sample. */
  path: z.string(),
  /** The absolute local path it resolves to; null for an http(s) URL. */
  resolved: z.string().nullable(),
  exists: z.boolean(),
  /** As stored (the orientation training sees); null when unknown. */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  exifOrientation: z.number().int().nullable(),
  /** The user chose to keep the EXIF rotation as training sees it (`dataset:keepExifRotation`): not flagged. */
  exifKept: z.boolean(),
  /** true: intact; false: damaged or cut short; null: a format the probe does not read. */
  decodes: z.boolean().nullable(),
  format: z.enum(['png', 'jpeg', 'gif', 'bmp', 'webp']).nullable(),
  /** Why it does not exist or decode, in English. */
  reason: z.string().nullable(),
});
export type SampleImageInfo = z.infer<typeof SampleImageInfo>;

/** How the dataset file writes JSON (shared/dataset/jsonStyle.ts). */
const JsonStyleSchema = z.object({
  newline: z.enum(['\n', '\r\n']),
  indent: z.string().max(100).nullable(),
  itemSeparator: z.string().max(100),
  keySeparator: z.string().max(100),
  ensureAscii: z.boolean(),
  escapeSlash: z.boolean(),
  upperHex: z.boolean(),
});

/** What the screen needs to show a sample's record byte for byte as saving will write it
 * (shared/dataset/sampleRecord.ts). */
export const SampleRecordSource = z.object({
  /** The sample's entry as the file was opened (`lead`: the whitespace its line starts with);
   * null for a sample the file does not have yet. */
  original: z.object({ lead: z.string(), entry: z.string() }).nullable(),
  style: JsonStyleSchema,
  /** The indentation of the lines entries of the list start on. */
  indent: z.string(),
});
export type SampleRecordSource = z.infer<typeof SampleRecordSource>;

export const SampleResult = z.object({
  index: SampleIndex,
  sample: WireSample,
  /** One entry per distinct path, in order of first use. */
  images: z.array(SampleImageInfo),
  problems: z.array(DatasetProblemSchema),
  record: SampleRecordSource,
});
export type SampleResult = z.infer<typeof SampleResult>;

/** A path as written in a sample (or a file of the opened images folder). */
export const ImageRequest = z.object({ id: WorkspaceId, path: z.string().min(1).max(4096) });
/** Files above this are refused rather than sent whole through the API. */
export const MAX_SERVED_IMAGE_BYTES = 64 * 1024 * 1024;
export const ImageResult = z.object({ mime: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/bmp', 'image/webp']), base64: z.string() });
export type ImageResult = z.infer<typeof ImageResult>;

/** The image `path` of sample `index` is kept as training sees it, its EXIF rotation ignored. */
export const KeepExifRotationRequest = z.object({ id: WorkspaceId, index: SampleIndex, path: z.string().min(1).max(4096) });

/**
 * An upright copy of the image `path` of sample `index` (its pixels turned as the EXIF tag says,
 * made by the renderer): written beside it under a new name, never over a file, and the sample
 * points at it with its boxes turned along. The original stays as it is.
 */
export const WriteUprightCopyRequest = z.object({
  id: WorkspaceId,
  index: SampleIndex,
  path: z.string().min(1).max(4096),
  mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  base64: z.string().max(Math.ceil((MAX_SERVED_IMAGE_BYTES * 4) / 3) + 4),
});

export const UpdateRequest = z.object({ id: WorkspaceId, index: SampleIndex, sample: WireSample });
/** An edit is acknowledged once it is in the journal on disk (fsync'd). */
export const EditResult = z.object({ index: SampleIndex, row: SampleRow, problems: z.array(DatasetProblemSchema) });
export type EditResult = z.infer<typeof EditResult>;

/** `index` may equal the sample count (append). */
export const InsertRequest = z.object({ id: WorkspaceId, index: SampleIndex, sample: WireSample });
export const RemoveRequest = z.object({ id: WorkspaceId, index: SampleIndex });
export const RemoveResult = z.object({ total: Count });

/** A `<ref>` label as written; a new name may not hold the tags' angle brackets. */
const LabelName = z.string().min(1).max(1000);
export const RenameLabelRequest = z.object({
  id: WorkspaceId,
  from: LabelName,
  to: LabelName.refine((name) => !/[<>]/.test(name), 'A label cannot contain < or >.'),
});
/** `merged`: `to` was already in use, so the two labels are now one. `undo`: pass it to
 * `dataset:undoRenameLabel` (null when no sample changed). `info`: the workspace after it, whose
 * labels no longer have `from`. */
export const RenameLabelResult = z.object({ samples: Count, merged: z.boolean(), undo: z.string().nullable(), info: WorkspaceInfo });
export type RenameLabelResult = z.infer<typeof RenameLabelResult>;
export const UndoRenameLabelRequest = z.object({ id: WorkspaceId, undo: z.string().min(1).max(100) });
/** `kept`: samples edited again since the rename, left as they are now. */
export const UndoRenameLabelResult = z.object({ restored: Count, kept: Count });
export type UndoRenameLabelResult = z.infer<typeof UndoRenameLabelResult>;

export const SaveRequest = z.object({
  id: WorkspaceId,
  /** Save as: write here and continue in this file. Never the file of another open workspace. */
  file: LocalPath.optional(),
  /** Write even though the file changed on disk since it was opened (resolves a conflict). */
  overwrite: z.boolean().optional(),
});

export const ValidationReport = z.object({
  samples: Count,
  /** Problems, not samples. */
  errors: Count,
  warnings: Count,
  /** The file's own first, then by sample, turn and offset. */
  problems: z.array(DatasetProblemSchema),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

export const ImportRequest = z.object({
  from: z.enum(['coco', 'voc', 'yolo', 'labelme']),
  /** A COCO or LabelMe JSON file, or a folder of LabelMe JSON, VOC XML or YOLO label files. */
  input: LocalPath,
  /** The folder the annotations' image names are relative to (each format has a default). */
  images: LocalPath.optional(),
  /** YOLO class names file, when not next to the labels. */
  classes: LocalPath.optional(),
  /** A template id from SAMPLE_TEMPLATES (default grounding-zh) … */
  template: z.string().max(100).optional(),
  /** … or the user's own prompt (`{label}` makes it per-label); wins over `template`. */
  prompt: z.string().max(10_000).optional(),
  /** The Qwen-VL JSON to write and open; never one of the inputs, never an open workspace's file. */
  file: LocalPath,
});

export const ConversionProblemSchema = z.object({
  severity: z.enum(['error', 'warning', 'note']),
  file: z.string(),
  item: z.string(),
  message: z.string(),
});

export const ImportResult = z.object({
  /** The opened dataset; null when nothing could be converted (then nothing was written). */
  workspace: WorkspaceInfo.nullable(),
  images: Count,
  boxes: Count,
  samples: Count,
  problems: z.array(ConversionProblemSchema),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ExportRequest = z.object({ id: WorkspaceId, to: z.enum(['qwen', 'sharegpt', 'swift']), file: LocalPath });
export const ExportResult = z.object({
  /** Records written (0: nothing was written). */
  written: Count,
  /** Samples left out, and why. */
  problems: z.array(z.object({ id: z.string(), message: z.string() })),
});
export type ExportResult = z.infer<typeof ExportResult>;

/** An absolute POSIX path on the server (inside the container's data folder). */
export const RemoteDir = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[^\0]*$/, 'Give an absolute path on the server, starting with /.');

export const UploadPlanRequest = z.object({ id: WorkspaceId, targetDir: RemoteDir });
export const UploadPlan = z.object({
  /** Each local image the dataset uses, once, and where it lands. */
  files: z.array(z.object({ local: z.string(), remote: z.string() })),
  /** Where the dataset file itself goes: `targetDir/<its name>`. */
  remoteDataset: z.string(),
  /** The dataset's text with every local image path rewritten to its remote path. */
  datasetText: z.string(),
  /** Missing images (not in `files`) and rewritten paths over 256 UTF-8 bytes. */
  problems: z.array(DatasetProblemSchema),
});
export type UploadPlan = z.infer<typeof UploadPlan>;

export const DatasetProgress = z.object({
  id: WorkspaceId,
  phase: z.enum(['check', 'images', 'validate']),
  done: Count,
  total: Count,
});
export type DatasetProgress = z.infer<typeof DatasetProgress>;

export const FilesListRequest = z.object({ dir: LocalPath.optional() });
/** At most this many entries per folder (a folder of 100,000 images still answers quickly). */
export const MAX_FOLDER_ENTRIES = 10_000;
export const FolderListing = z.object({
  /** Absolute. */
  dir: z.string(),
  /** Absolute; null at a root. */
  parent: z.string().nullable(),
  /** Folders first, then files, each in name order (numbers compared as numbers), hidden ones last. */
  entries: z.array(
    z.object({
      name: z.string(),
      /** Absolute: what to pass back as a file or folder (the page cannot join paths of this OS). */
      path: z.string(),
      kind: z.enum(['dir', 'file']),
      /** Bytes, for files; null for folders and unreadable entries. */
      size: z.number().int().nonnegative().nullable(),
    }),
  ),
  /** More entries than MAX_FOLDER_ENTRIES: the rest were left out. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;
