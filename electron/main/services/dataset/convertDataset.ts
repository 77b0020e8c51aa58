import { realpath, stat } from 'node:fs/promises';
import { posix, relative, resolve, sep } from 'node:path';
import type { ExportProblem } from '../../../../shared/dataset/export/exportTurns';
import type { QwenSample } from '../../../../shared/dataset/export/qwenJson';
import { qwenJsonText } from '../../../../shared/dataset/export/qwenJson';
import { sharegptJsonText, toSharegpt } from '../../../../shared/dataset/export/sharegpt';
import { swiftJsonlText, toSwift } from '../../../../shared/dataset/export/swift';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import type { ConversionProblem } from '../../../../shared/dataset/import/importTypes';
import { createSample } from '../../../../shared/dataset/sampleModel';
import type { SampleTemplate } from '../../../../shared/dataset/templates';
import { buildSamples } from '../../../../shared/dataset/templates';
import { validateDataset } from '../../../../shared/dataset/validateDataset';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { LocatedImage, SourceRead } from './annotationSources';
import { ConvertInputError, folderExists, readCocoSource, readLabelmeSource, readVocSource } from './annotationSources';
import { probeImage } from './imageProbe';
import { readYoloSource } from './yoloSource';

export const SOURCE_FORMATS = ['coco', 'voc', 'yolo', 'labelme'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const TARGET_FORMATS = ['qwen', 'sharegpt', 'swift'] as const;
export type TargetFormat = (typeof TARGET_FORMATS)[number];

export interface ConvertRequest {
  from: SourceFormat;
  /** A COCO or LabelMe JSON file, or a folder of LabelMe JSON, VOC XML or YOLO label files. */
  input: string;
  output: string;
  to: TargetFormat;
  template: SampleTemplate;
  /** The folder the source's image names are relative to; each format has its usual default. */
  images?: string;
  /** Written in place of the images folder: where the images will be when training reads them. */
  imagePrefix?: string;
  /** YOLO class names (classes.txt, obj.names or data.yaml) when they are not found next to the labels. */
  classes?: string;
}

export interface ConvertReport {
  /** Images the annotation files describe. */
  images: number;
  /** Boxes in the samples written. */
  boxes: number;
  /** Records written. */
  samples: number;
  written: boolean;
  problems: ConversionProblem[];
}

function readSource(request: ConvertRequest): Promise<SourceRead> {
  switch (request.from) {
    case 'coco':
      return readCocoSource(request.input, request.images);
    case 'labelme':
      return readLabelmeSource(request.input, request.images);
    case 'voc':
      return readVocSource(request.input, request.images);
    case 'yolo':
      return readYoloSource(request.input, request.images, request.classes);
  }
}

async function existingRealPath(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/** The output may replace an earlier output, never one of the files it was made from. */
async function refuseInputAsOutput(output: string, inputs: readonly string[]): Promise<void> {
  const target = resolve(output);
  const real = await existingRealPath(target);
  const clash = inputs.some((input) => input === target) || (real !== undefined && (await Promise.all(inputs.map(existingRealPath))).includes(real));
  if (clash) throw new ConvertInputError(`the output ${output} is one of the input files: choose another name (an input is never overwritten)`);
  if (real !== undefined && (await stat(real)).isDirectory()) throw new ConvertInputError(`the output ${output} is a folder: name the file to write`);
}

/** Measures the images the annotations name: a missing or damaged file would stop training, so its sample is not made. */
async function checkImageFiles(read: SourceRead): Promise<LocatedImage[]> {
  const kept: LocatedImage[] = [];
  for (const image of read.images) {
    const facts = read.facts.get(image.localPath) ?? (await probeImage(image.localPath));
    read.facts.set(image.localPath, facts);
    if (!facts.exists) {
      read.problems.push({ severity: 'error', file: image.source, item: image.image, message: `no image at ${image.localPath} (give its folder with --images): no sample made` });
      continue;
    }
    if (facts.decodes === false) {
      read.problems.push({ severity: 'error', file: image.source, item: image.image, message: `cannot use ${image.localPath} (${facts.reason ?? 'it does not decode'}): no sample made` });
      continue;
    }
    const { width, height } = image.size;
    if (facts.width !== null && facts.height !== null && (facts.width !== width || facts.height !== height)) {
      read.problems.push({ severity: 'warning', file: image.source, item: image.image, message: `the annotation says ${width}×${height} but the image is ${facts.width}×${facts.height}; the boxes were converted against the annotation's size` });
    }
    kept.push(image);
  }
  return kept;
}

/** The path the dataset writes: the local file, or the same place under the prefix. */
function datasetImagePath(image: LocatedImage, prefix: string | undefined): string {
  if (prefix === undefined) return image.localPath;
  return posix.join(prefix, relative(image.root, image.localPath).split(sep).join('/'));
}

function exportText(to: TargetFormat, samples: QwenSample[]): { text: string; records: number; problems: ExportProblem[] } {
  if (to === 'sharegpt') {
    const { records, problems } = toSharegpt(samples);
    return { text: sharegptJsonText(records), records: records.length, problems };
  }
  if (to === 'swift') {
    const { records, problems } = toSwift(samples);
    return { text: swiftJsonlText(records), records: records.length, problems };
  }
  return { text: qwenJsonText(samples), records: samples.length, problems: [] };
}

/**
 * Reads annotations in a detection format, turns each image's boxes into a conversation with the
 * template, checks the result with the dataset validator and writes it atomically in the target
 * format. Bad entries become problems and are left out; nothing is written when no sample is left,
 * so an earlier output is never replaced by an empty one. Throws ConvertInputError when the
 * request itself cannot be carried out.
 */
export async function convertDataset(request: ConvertRequest): Promise<ConvertReport> {
  try {
    await stat(request.input);
  } catch (error) {
    throw new ConvertInputError(`cannot read ${request.input} (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message})`);
  }
  if (request.images !== undefined && !(await folderExists(request.images))) throw new ConvertInputError(`the images folder ${request.images} does not exist`);
  await refuseInputAsOutput(request.output, [resolve(request.input)]);
  const read = await readSource(request);
  await refuseInputAsOutput(request.output, read.inputs);
  const located = await checkImageFiles(read);
  const facts = new Map<string, ImageFacts | undefined>();
  const images = located.map((image) => {
    const path = datasetImagePath(image, request.imagePrefix);
    facts.set(path, read.facts.get(image.localPath));
    return { ...image, image: path };
  });
  const built = buildSamples(images, request.template);
  const problems = [...read.problems, ...built.problems];
  const validation = validateDataset(
    built.samples.map((sample) => createSample(sample.id, sample.conversations)),
    [],
    (path) => facts.get(path),
  );
  for (const entry of validation) problems.push({ severity: entry.severity, file: request.output, item: entry.id === null ? '' : `sample ${entry.id}`, message: entry.message });
  const exported = exportText(request.to, built.samples);
  for (const entry of exported.problems) problems.push({ severity: 'error', file: request.output, item: `sample ${entry.id}`, message: `${entry.message}: left out` });
  if (exported.records === 0) {
    problems.push({ severity: 'error', file: request.output, item: '', message: 'no sample came out of the input, so nothing was written' });
    return { images: read.images.length, boxes: 0, samples: 0, written: false, problems };
  }
  await writeFileAtomic(request.output, exported.text);
  return { images: read.images.length, boxes: built.boxes, samples: exported.records, written: true, problems };
}
