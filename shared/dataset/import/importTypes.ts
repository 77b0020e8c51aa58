import type { ImageSize, PixelBox } from '../coordinates';

/** One box of an image: float pixels of the original image, x1 < x2 and y1 < y2. */
export interface LabelledBox {
  label: string;
  box: PixelBox;
}

/**
 * An image with its boxes, in the order they were drawn. `image` is the path as the source
 * names it (forward slashes); the converter maps it to the path the dataset will reference.
 */
export interface ImportedImage {
  image: string;
  size: ImageSize;
  boxes: LabelledBox[];
}

/**
 * error: something was skipped (or will break training); warning: something was changed (a box
 * clamped); note: something was left out on purpose (a polygon, a crowd region).
 */
export type ProblemSeverity = 'error' | 'warning' | 'note';

export interface ConversionProblem {
  severity: ProblemSeverity;
  /** The file the problem is in, as the caller named it. */
  file: string;
  /** Where in the file: "annotation 17", "line 3", "object 2 (dog)"; empty for the whole file. */
  item: string;
  message: string;
}

export interface ImportResult {
  images: ImportedImage[];
  problems: ConversionProblem[];
}

export type ProblemSink = (severity: ProblemSeverity, item: string, message: string) => void;

/** A problem list for one file, and the sink that appends to it. */
export function problemsFor(file: string): { problems: ConversionProblem[]; report: ProblemSink } {
  const problems: ConversionProblem[] = [];
  return { problems, report: (severity, item, message) => problems.push({ severity, file, item, message }) };
}

/** Windows tools write `..\images\a.jpg`; the dataset and the server want forward slashes. */
export function normaliseImageRef(ref: string): string {
  return ref.trim().replaceAll('\\', '/');
}
