import { acceptBox, acceptLabel, acceptSize, formatNumber } from './boxRules';
import type { ImportResult, LabelledBox, ProblemSink } from './importTypes';
import { normaliseImageRef, problemsFor } from './importTypes';
import { describeJsonType, isRecord, parseAnnotationJson } from './annotationJson';
import type { ImageSize } from '../coordinates';

/**
 * One LabelMe JSON file (labelme, and X-AnyLabeling's superset). A rectangle is two opposite
 * corners in float pixels, in whatever order they were clicked (X-AnyLabeling writes all four):
 * the box is the min and max of its points. Other shapes are not boxes and are left out.
 */
export function importLabelme(text: string, file: string): ImportResult {
  const { problems, report } = problemsFor(file);
  const parsed = parseAnnotationJson(text);
  if ('error' in parsed) {
    report('error', '', parsed.error);
    return { images: [], problems };
  }
  const root = parsed.value;
  if (!isRecord(root) || !Array.isArray(root.shapes)) {
    report('error', '', `not a LabelMe file: expected an object with a "shapes" list, found ${isRecord(root) ? 'no "shapes" list' : describeJsonType(root)}`);
    return { images: [], problems };
  }
  const image = typeof root.imagePath === 'string' ? normaliseImageRef(root.imagePath) : '';
  if (!image) {
    report('error', '', 'imagePath is missing: the image cannot be referenced, file skipped');
    return { images: [], problems };
  }
  const size = acceptSize(root.imageWidth, root.imageHeight);
  if (!size) {
    report('error', '', `imageWidth and imageHeight must be positive numbers (found ${JSON.stringify(root.imageWidth)}×${JSON.stringify(root.imageHeight)}): file skipped`);
    return { images: [], problems };
  }
  const boxes: LabelledBox[] = [];
  root.shapes.forEach((shape: unknown, index: number) => {
    const box = readShape(shape, `shape ${index + 1}`, size, report);
    if (box) boxes.push(box);
  });
  return { images: [{ image, size, boxes }], problems };
}

function isPoint(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((coordinate) => typeof coordinate === 'number' && Number.isFinite(coordinate));
}

function readShape(shape: unknown, position: string, size: ImageSize, report: ProblemSink): LabelledBox | undefined {
  if (!isRecord(shape)) {
    report('error', position, `a shape is an object, not ${describeJsonType(shape)}: skipped`);
    return undefined;
  }
  const item = typeof shape.label === 'string' && shape.label.trim() ? `${position} (${shape.label.trim()})` : position;
  // labelme before 3.0 wrote no shape_type: those shapes are polygons.
  const type = typeof shape.shape_type === 'string' ? shape.shape_type : 'polygon';
  if (type !== 'rectangle') {
    report('note', item, `a ${type} is not a box: left out`);
    return undefined;
  }
  const points = shape.points;
  if (!Array.isArray(points) || (points.length !== 2 && points.length !== 4) || !points.every(isPoint)) {
    report('error', item, `a rectangle needs 2 (or 4) [x, y] points, found ${JSON.stringify(points)}: skipped`);
    return undefined;
  }
  const label = acceptLabel(shape.label, item, report);
  if (label === undefined) return undefined;
  const xs = points.map((point) => point[0]);
  const ys = points.map((point) => point[1]);
  const source = `points ${points.map(([x, y]) => `(${formatNumber(x)},${formatNumber(y)})`).join(' ')}`;
  const box = acceptBox({ x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) }, size, source, item, report);
  return box && { label, box };
}
