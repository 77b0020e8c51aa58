import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { importYoloLabels } from '../../../../shared/dataset/import/yolo';
import { parseClassNames } from '../../../../shared/dataset/import/yoloClasses';
import type { SourceRead } from './annotationSources';
import { ConvertInputError, addImported, emptySourceRead, folderExists, isDirectory, listFiles, readSourceText } from './annotationSources';
import { probeImage } from './imageProbe';

const IMAGE_NAME = /\.(jpe?g|png|bmp|webp|gif|tiff?)$/i;
/** Where the class names usually are: beside the labels (labelImg, darknet), or an Ultralytics data.yaml one or two folders up. */
const CLASS_FILES_BESIDE = ['classes.txt', 'obj.names', 'data.yaml', 'data.yml'];
const CLASS_FILES_ABOVE = ['data.yaml', 'data.yml', 'classes.txt'];

async function fileExists(path: string): Promise<boolean> {
  try {
    return !(await isDirectory(path));
  } catch {
    return false;
  }
}

async function findClassFile(labelsDir: string): Promise<string | undefined> {
  const candidates = [
    ...CLASS_FILES_BESIDE.map((name) => join(labelsDir, name)),
    ...[join(labelsDir, '..'), join(labelsDir, '..', '..')].flatMap((dir) => CLASS_FILES_ABOVE.map((name) => join(dir, name))),
  ];
  for (const candidate of candidates) if (await fileExists(candidate)) return candidate;
  return undefined;
}

async function readClassNames(classFile: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(classFile, 'utf8');
  } catch (error) {
    throw new ConvertInputError(`cannot read the class names in ${classFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseClassNames(text, classFile);
  if ('error' in parsed) throw new ConvertInputError(`${classFile}: ${parsed.error}`);
  if (!parsed.names.length) throw new ConvertInputError(`${classFile} lists no class names`);
  return parsed.names;
}

/** Ultralytics keeps dataset/labels/train beside dataset/images/train. */
async function defaultYoloImages(labelsDir: string): Promise<string> {
  const parts = resolve(labelsDir).split(sep);
  const at = parts.lastIndexOf('labels');
  if (at >= 0) {
    const images = [...parts.slice(0, at), 'images', ...parts.slice(at + 1)].join(sep);
    if (await folderExists(images)) return images;
  }
  return labelsDir;
}

async function imagesByStem(root: string): Promise<Map<string, string[]>> {
  let names: string[];
  try {
    names = await listFiles(root, IMAGE_NAME);
  } catch (error) {
    throw new ConvertInputError(`cannot list the images folder ${root} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const byStem = new Map<string, string[]>();
  for (const name of names) {
    const stem = name.slice(0, name.lastIndexOf('.'));
    byStem.set(stem, [...(byStem.get(stem) ?? []), name]);
  }
  return byStem;
}

/**
 * YOLO: a folder of label .txt files and the class names. The labels hold neither the image's
 * name nor its size: the image is the file with the label's name in the images folder, measured.
 */
export async function readYoloSource(input: string, imagesDir: string | undefined, classesFile: string | undefined): Promise<SourceRead> {
  if (!(await isDirectory(input))) throw new ConvertInputError(`a YOLO input is the folder of label .txt files, not a file: ${input}`);
  const classFile = classesFile ?? (await findClassFile(input));
  if (!classFile) throw new ConvertInputError(`no class names for ${input}: put classes.txt (one name a line) beside the labels or a data.yaml with names: above them, or pass --classes FILE`);
  const classes = await readClassNames(classFile);
  const read = emptySourceRead();
  read.inputs.push(resolve(classFile));
  const labelFiles = (await listFiles(input, /\.txt$/i)).filter((name) => name !== 'classes.txt' && resolve(input, name) !== resolve(classFile));
  if (!labelFiles.length) throw new ConvertInputError(`${input} holds no YOLO label .txt files (name the folder that holds them, such as labels/train)`);
  const root = imagesDir ?? (await defaultYoloImages(input));
  const images = await imagesByStem(root);
  for (const name of labelFiles) {
    const file = join(input, name);
    const stem = name.slice(0, -'.txt'.length);
    const [image, ...others] = images.get(stem) ?? [];
    if (!image) {
      read.inputs.push(resolve(file));
      read.problems.push({ severity: 'error', file, item: '', message: `no image called ${stem} (.jpg, .png, …) in ${root}; YOLO labels hold no size, so the image is needed: skipped` });
      continue;
    }
    if (others.length) read.problems.push({ severity: 'warning', file, item: '', message: `several images are called ${stem}: used ${image}, not ${others.join(', ')}` });
    const localPath = resolve(root, image);
    const facts = await probeImage(localPath);
    read.facts.set(localPath, facts);
    if (!facts.width || !facts.height) {
      read.inputs.push(resolve(file));
      read.problems.push({ severity: 'error', file, item: '', message: `cannot measure ${image} (${facts.reason ?? 'a format the probe does not read'}): skipped` });
      continue;
    }
    const text = await readSourceText(file, read);
    if (text !== undefined) addImported(read, importYoloLabels(text, file, classes, { image, size: { width: facts.width, height: facts.height } }), file, root);
  }
  return read;
}
