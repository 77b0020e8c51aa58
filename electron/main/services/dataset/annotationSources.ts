import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImageSize } from '../../../../shared/dataset/coordinates';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import { importCoco } from '../../../../shared/dataset/import/coco';
import type { ConversionProblem, ImportResult, ImportedImage } from '../../../../shared/dataset/import/importTypes';
import { importLabelme } from '../../../../shared/dataset/import/labelme';
import { importVocAnnotation, readVocAnnotation } from '../../../../shared/dataset/import/voc';
import { probeImage } from './imageProbe';

/** A problem with what the user asked for (no such input, output over an input): nothing is read or written. */
export class ConvertInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertInputError';
  }
}

/** An imported image and where its file is on this machine. */
export interface LocatedImage extends ImportedImage {
  /** The annotation file that names it, for problems. */
  source: string;
  /** The image file on this machine. */
  localPath: string;
  /** The folder the source's image names are relative to. */
  root: string;
}

export interface SourceRead {
  images: LocatedImage[];
  problems: ConversionProblem[];
  /** Every file read, so that the output never replaces one of them. */
  inputs: string[];
  /** Images already measured while reading, by local path. */
  facts: Map<string, ImageFacts>;
}

export function emptySourceRead(): SourceRead {
  return { images: [], problems: [], inputs: [], facts: new Map() };
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

/** Files in `dir` (not below it) whose names match, sorted so that ids and order are stable. */
export async function listFiles(dir: string, name: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && name.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export async function folderExists(path: string): Promise<boolean> {
  try {
    return await isDirectory(path);
  } catch {
    return false;
  }
}

/** Reads an annotation file, or records why it could not be read. */
export async function readSourceText(file: string, read: SourceRead): Promise<string | undefined> {
  read.inputs.push(resolve(file));
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    read.problems.push({ severity: 'error', file, item: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): skipped` });
    return undefined;
  }
}

export function addImported(read: SourceRead, result: ImportResult, source: string, root: string): void {
  read.problems.push(...result.problems);
  for (const image of result.images) read.images.push({ ...image, source, root, localPath: resolve(root, image.image) });
}

/** The annotation files of an input that is either one file or a folder of them. */
async function annotationFiles(input: string, name: RegExp, what: string): Promise<string[]> {
  if (!(await isDirectory(input))) return [input];
  const files = (await listFiles(input, name)).map((file) => join(input, file));
  if (!files.length) throw new ConvertInputError(`${input} holds no ${what}`);
  return files;
}

/** COCO: one JSON file; file_name is relative to the images folder (default: the JSON's folder). */
export async function readCocoSource(input: string, imagesDir: string | undefined): Promise<SourceRead> {
  const read = emptySourceRead();
  const text = await readSourceText(input, read);
  if (text !== undefined) addImported(read, importCoco(text, input), input, imagesDir ?? dirname(input));
  return read;
}

/** LabelMe: one JSON file or a folder of them; imagePath is relative to each JSON file's folder. */
export async function readLabelmeSource(input: string, imagesDir: string | undefined): Promise<SourceRead> {
  const read = emptySourceRead();
  for (const file of await annotationFiles(input, /\.json$/i, 'LabelMe .json files')) {
    const text = await readSourceText(file, read);
    if (text !== undefined) addImported(read, importLabelme(text, file), file, imagesDir ?? dirname(file));
  }
  return read;
}

/** VOC keeps annotations in Annotations/ and images in the sibling JPEGImages/. */
async function defaultVocImages(annotationsDir: string): Promise<string> {
  const sibling = join(annotationsDir, '..', 'JPEGImages');
  return basename(resolve(annotationsDir)) === 'Annotations' && (await folderExists(sibling)) ? sibling : annotationsDir;
}

/** Pascal VOC: one XML file or a folder of them; a missing <size> is measured from the image. */
export async function readVocSource(input: string, imagesDir: string | undefined): Promise<SourceRead> {
  const read = emptySourceRead();
  const files = await annotationFiles(input, /\.xml$/i, 'Pascal VOC .xml files');
  const root = imagesDir ?? (await defaultVocImages((await isDirectory(input)) ? input : dirname(input)));
  for (const file of files) {
    const text = await readSourceText(file, read);
    if (text === undefined) continue;
    const annotation = readVocAnnotation(text);
    if ('error' in annotation) {
      read.problems.push({ severity: 'error', file, item: '', message: annotation.error });
      continue;
    }
    let measured: ImageSize | undefined;
    if (!annotation.size) {
      const localPath = resolve(root, annotation.image);
      const facts = await probeImage(localPath);
      read.facts.set(localPath, facts);
      if (!facts.width || !facts.height) {
        read.problems.push({ severity: 'error', file, item: '', message: `<size> has no usable <width> and <height>, and ${localPath} cannot be measured (${facts.reason ?? 'a format the probe does not read'}): file skipped` });
        continue;
      }
      measured = { width: facts.width, height: facts.height };
    }
    addImported(read, importVocAnnotation(annotation, file, measured), file, root);
  }
  return read;
}
