import type { ImageSize } from '../coordinates';
import { acceptBox, acceptLabel, acceptSize, readDecimal } from './boxRules';
import type { ImportResult, LabelledBox, ProblemSink } from './importTypes';
import { normaliseImageRef, problemsFor } from './importTypes';
import type { XmlElement } from './xmlReader';
import { XmlSyntaxError, childElement, childElements, childText, parseXml } from './xmlReader';

/** A Pascal VOC annotation read but not yet converted: its size may still have to come from the image. */
export interface VocAnnotation {
  image: string;
  /** `<size>`, when it holds a usable width and height (some tools write 0). */
  size: ImageSize | undefined;
  objects: XmlElement[];
}

export function readVocAnnotation(text: string): VocAnnotation | { error: string } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { error: `not well-formed XML: ${error.message}` };
    throw error;
  }
  if (root.name !== 'annotation') return { error: `not a Pascal VOC annotation: the root element is <${root.name}>, not <annotation>` };
  const filename = childText(root, 'filename');
  const path = childText(root, 'path');
  const image = normaliseImageRef(filename || (path ? (path.split(/[\\/]/).pop() ?? '') : ''));
  if (!image) return { error: 'neither <filename> nor <path> names the image' };
  const sizeElement = childElement(root, 'size');
  const size = sizeElement && acceptSize(readDecimal(childText(sizeElement, 'width')), readDecimal(childText(sizeElement, 'height')));
  return { image, size, objects: childElements(root, 'object') };
}

/**
 * Converts a read annotation. Corners follow the VOC devkit: 1-based pixel indices, both ends
 * inclusive, so the box's edges are (xmin − 1, ymin − 1)-(xmax, ymax) in 0-based pixels and the
 * whole image is xmin 1 … xmax width. `difficult` and `truncated` objects are kept: they are
 * still objects in the image, and a grounding answer that leaves one out teaches the model to
 * miss it. `sizeFromImage` stands in when `<size>` is missing or zero.
 */
export function importVocAnnotation(annotation: VocAnnotation, file: string, sizeFromImage?: ImageSize): ImportResult {
  const { problems, report } = problemsFor(file);
  const size = annotation.size ?? sizeFromImage;
  if (!size) {
    report('error', '', '<size> has no usable <width> and <height>, and the image could not be measured: file skipped');
    return { images: [], problems };
  }
  if (!annotation.size) report('note', '', `<size> has no usable <width> and <height>: used the image's own ${size.width}×${size.height}`);
  const boxes: LabelledBox[] = [];
  annotation.objects.forEach((object, index) => {
    const box = readObject(object, index, size, report);
    if (box) boxes.push(box);
  });
  return { images: [{ image: annotation.image, size, boxes }], problems };
}

function readObject(object: XmlElement, index: number, size: ImageSize, report: ProblemSink): LabelledBox | undefined {
  const name = childText(object, 'name');
  const item = name ? `object ${index + 1} (${name})` : `object ${index + 1}`;
  const bndbox = childElement(object, 'bndbox');
  if (!bndbox) {
    report('error', item, 'no <bndbox>: skipped');
    return undefined;
  }
  const corners = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((key) => ({ key, text: childText(bndbox, key) }));
  const values = corners.map(({ text }) => readDecimal(text));
  const bad = corners.filter((_, k) => values[k] === undefined);
  if (bad.length) {
    report('error', item, `<bndbox> needs numbers in ${bad.map(({ key, text }) => `<${key}>${text === undefined ? ' (missing)' : ` (found "${text}")`}`).join(', ')}: skipped`);
    return undefined;
  }
  const label = acceptLabel(name, item, report);
  if (label === undefined) return undefined;
  const [xmin, ymin, xmax, ymax] = values as [number, number, number, number];
  const source = `bndbox xmin ${xmin} ymin ${ymin} xmax ${xmax} ymax ${ymax}`;
  const box = acceptBox({ x1: xmin - 1, y1: ymin - 1, x2: xmax, y2: ymax }, size, source, item, report);
  return box && { label, box };
}
