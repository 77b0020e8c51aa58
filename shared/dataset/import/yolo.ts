import type { ImageSize } from '../coordinates';
import { acceptBox, acceptLabel, readDecimal } from './boxRules';
import type { ImportResult, LabelledBox } from './importTypes';
import { problemsFor } from './importTypes';

/** The image a label file describes, found and measured by the caller (YOLO files hold neither). */
export interface YoloImage {
  image: string;
  size: ImageSize;
}

function fieldCountHint(count: number): string {
  if (count === 6) return ' (a detection with a confidence score?)';
  if (count >= 7 && count % 2 === 1) return ' (a segmentation polygon?)';
  return '';
}

/**
 * One YOLO label file: `class cx cy w h` per line, the centre and size normalised to [0, 1] of
 * the image, the class a 0-based index into the class names. The box's corners are
 * ((cx − w/2)·W, (cy − h/2)·H)-((cx + w/2)·W, (cy + h/2)·H).
 */
export function importYoloLabels(text: string, file: string, classes: readonly string[], target: YoloImage): ImportResult {
  const { problems, report } = problemsFor(file);
  const { width, height } = target.size;
  const boxes: LabelledBox[] = [];
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r?\n/);
  lines.forEach((line, index) => {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (!fields.length) return;
    const item = `line ${index + 1}`;
    if (fields.length !== 5) {
      report('error', item, `expected 5 fields (class cx cy w h), found ${fields.length}${fieldCountHint(fields.length)}: skipped`);
      return;
    }
    const [classField, ...coordinateFields] = fields as [string, string, string, string, string];
    if (!/^\d+$/.test(classField)) {
      report('error', item, `the class "${classField}" is not a class index (0, 1, 2…): skipped`);
      return;
    }
    const classIndex = Number(classField);
    if (classIndex >= classes.length) {
      report('error', item, `class ${classIndex} is not in the class list (${classes.length} ${classes.length === 1 ? 'name' : 'names'}, 0–${classes.length - 1}): skipped`);
      return;
    }
    const names = ['cx', 'cy', 'w', 'h'];
    const values = coordinateFields.map((field) => readDecimal(field) ?? Number.NaN);
    const wrong = values.findIndex((value) => !(value >= 0 && value <= 1));
    if (wrong >= 0) {
      report('error', item, `${names[wrong]} ${coordinateFields[wrong]} is not a number in [0, 1] (YOLO coordinates are normalised to the image): skipped`);
      return;
    }
    const label = acceptLabel(classes[classIndex], `${item} (class ${classIndex})`, report);
    if (label === undefined) return;
    const [cx, cy, w, h] = values as [number, number, number, number];
    const source = `cx ${cx} cy ${cy} w ${w} h ${h}`;
    const box = acceptBox(
      { x1: (cx - w / 2) * width, y1: (cy - h / 2) * height, x2: (cx + w / 2) * width, y2: (cy + h / 2) * height },
      target.size,
      source,
      `${item} (${label})`,
      report,
    );
    if (box) boxes.push({ label, box });
  });
  return { images: [{ image: target.image, size: target.size, boxes }], problems };
}
