import { acceptBox, acceptLabel, acceptSize, formatNumber } from './boxRules';
import type { ImportedImage, ImportResult, ProblemSink } from './importTypes';
import { normaliseImageRef, problemsFor } from './importTypes';
import { describeJsonType, isRecord, parseAnnotationJson } from './annotationJson';

/**
 * COCO object detection JSON: `bbox = [x, y, width, height]` in pixels from the top-left corner,
 * so the box is (x, y)-(x + width, y + height). Crowd regions and segmentation-only entries are
 * not single objects with a box and are left out with a note.
 */
export function importCoco(text: string, file: string): ImportResult {
  const { problems, report } = problemsFor(file);
  const parsed = parseAnnotationJson(text);
  if ('error' in parsed) {
    report('error', '', parsed.error);
    return { images: [], problems };
  }
  const root = parsed.value;
  if (!isRecord(root)) {
    report('error', '', `a COCO file is an object with images, annotations and categories, not ${describeJsonType(root)}`);
    return { images: [], problems };
  }
  const missing = (['images', 'annotations', 'categories'] as const).filter((key) => !Array.isArray(root[key]));
  if (missing.length) {
    report('error', '', `not a COCO detection file: ${missing.map((key) => `"${key}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing or not a list`);
    return { images: [], problems };
  }
  const categories = readCategories(root.categories as unknown[], report);
  const { images, byId, skippedIds } = readImages(root.images as unknown[], report);
  (root.annotations as unknown[]).forEach((entry, index) => readAnnotation(entry, index, { categories, byId, skippedIds }, report));
  return { images, problems };
}

function idKey(value: unknown): string | undefined {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '') ? String(value) : undefined;
}

function readCategories(entries: unknown[], report: ProblemSink): Map<string, unknown> {
  const categories = new Map<string, unknown>();
  entries.forEach((entry, index) => {
    const id = isRecord(entry) ? idKey(entry.id) : undefined;
    if (!isRecord(entry) || id === undefined) {
      report('error', `category #${index + 1}`, 'a category needs an id: ignored');
      return;
    }
    if (categories.has(id)) {
      report('error', `category ${id}`, `category id ${id} appears twice: the first ("${String(categories.get(id))}") is used`);
      return;
    }
    categories.set(id, entry.name);
  });
  return categories;
}

function readImages(entries: unknown[], report: ProblemSink): { images: ImportedImage[]; byId: Map<string, ImportedImage>; skippedIds: Set<string> } {
  const images: ImportedImage[] = [];
  const byId = new Map<string, ImportedImage>();
  const skippedIds = new Set<string>();
  entries.forEach((entry, index) => {
    const id = isRecord(entry) ? idKey(entry.id) : undefined;
    const item = id === undefined ? `image #${index + 1}` : `image ${id}`;
    if (!isRecord(entry) || id === undefined) {
      report('error', item, 'an image needs an id: skipped');
      return;
    }
    if (byId.has(id)) {
      report('error', item, `image id ${id} appears twice: the second is skipped`);
      return;
    }
    const name = typeof entry.file_name === 'string' ? normaliseImageRef(entry.file_name) : '';
    const size = acceptSize(entry.width, entry.height);
    if (!name || !size) {
      report('error', item, `${!name ? 'file_name is missing' : `width and height must be positive numbers (found ${JSON.stringify(entry.width)}×${JSON.stringify(entry.height)})`}: image and its annotations skipped`);
      skippedIds.add(id);
      return;
    }
    const image: ImportedImage = { image: name, size, boxes: [] };
    images.push(image);
    byId.set(id, image);
  });
  return { images, byId, skippedIds };
}

interface CocoTables {
  categories: Map<string, unknown>;
  byId: Map<string, ImportedImage>;
  skippedIds: Set<string>;
}

function readAnnotation(entry: unknown, index: number, tables: CocoTables, report: ProblemSink): void {
  const id = isRecord(entry) ? idKey(entry.id) : undefined;
  const item = id === undefined ? `annotation #${index + 1}` : `annotation ${id}`;
  if (!isRecord(entry)) {
    report('error', item, `an annotation is an object, not ${describeJsonType(entry)}: skipped`);
    return;
  }
  if (entry.iscrowd === 1 || entry.iscrowd === true) {
    report('note', item, 'a crowd region (iscrowd 1) is a group, not one object: left out');
    return;
  }
  const imageId = idKey(entry.image_id);
  const image = imageId === undefined ? undefined : tables.byId.get(imageId);
  if (!image) {
    if (imageId === undefined || !tables.skippedIds.has(imageId)) report('error', item, `image_id ${JSON.stringify(entry.image_id)} is not among the images: skipped`);
    return;
  }
  const bbox = entry.bbox;
  if (bbox === undefined || bbox === null || (Array.isArray(bbox) && bbox.length === 0)) {
    if (entry.segmentation !== undefined) report('note', item, 'segmentation only, no bbox: left out');
    else report('error', item, 'no bbox: skipped');
    return;
  }
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((value) => typeof value === 'number' && Number.isFinite(value))) {
    report('error', item, `bbox must be [x, y, width, height] in pixels, found ${JSON.stringify(bbox)}: skipped`);
    return;
  }
  const categoryId = idKey(entry.category_id);
  if (categoryId === undefined || !tables.categories.has(categoryId)) {
    report('error', item, `category_id ${JSON.stringify(entry.category_id)} is not among the categories: skipped`);
    return;
  }
  const label = acceptLabel(tables.categories.get(categoryId), item, report);
  if (label === undefined) return;
  const [x, y, width, height] = bbox as [number, number, number, number];
  const source = `bbox [${[x, y, width, height].map(formatNumber).join(', ')}]`;
  const box = acceptBox({ x1: x, y1: y, x2: x + width, y2: y + height }, image.size, source, item, report);
  if (box) image.boxes.push({ label, box });
}
