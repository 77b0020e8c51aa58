// Box arithmetic in image pixels. Every result is normalised (x1 ≤ x2, y1 ≤ y2) and inside the
// image [0, width] × [0, height], whose far edges are exclusive: the whole image is [0, 0, W, H].

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import type { Point, ResizeHandle } from './editableBox';

/** No edit makes a box thinner than one pixel of the image: such a box has no pixels to ground. */
export const MIN_BOX_PX = 1;

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

export function normalizeBox(box: Readonly<PixelBox>): PixelBox {
  return { x1: Math.min(box.x1, box.x2), y1: Math.min(box.y1, box.y2), x2: Math.max(box.x1, box.x2), y2: Math.max(box.y1, box.y2) };
}

export function clampPoint(point: Point, size: ImageSize): Point {
  return { x: clamp(point.x, 0, size.width), y: clamp(point.y, 0, size.height) };
}

export function clampBox(box: Readonly<PixelBox>, size: ImageSize): PixelBox {
  const { x1, y1, x2, y2 } = normalizeBox(box);
  return { x1: clamp(x1, 0, size.width), y1: clamp(y1, 0, size.height), x2: clamp(x2, 0, size.width), y2: clamp(y2, 0, size.height) };
}

/** The box two corners span, in whichever order they were dragged. */
export function boxFromCorners(a: Point, b: Point): PixelBox {
  return normalizeBox({ x1: a.x, y1: a.y, x2: b.x, y2: b.y });
}

export function boxWidth(box: Readonly<PixelBox>): number {
  return box.x2 - box.x1;
}

export function boxHeight(box: Readonly<PixelBox>): number {
  return box.y2 - box.y1;
}

export function sameBox(a: Readonly<PixelBox>, b: Readonly<PixelBox>): boolean {
  return a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;
}

/** Translates without changing the size; a move past an image edge stops at the edge. */
export function moveBox(box: Readonly<PixelBox>, dx: number, dy: number, size: ImageSize): PixelBox {
  const inside = clampBox(box, size);
  const x = clamp(dx, -inside.x1, size.width - inside.x2);
  const y = clamp(dy, -inside.y1, size.height - inside.y2);
  return { x1: inside.x1 + x, y1: inside.y1 + y, x2: inside.x2 + x, y2: inside.y2 + y };
}

/**
 * One axis of a resize: the edge opposite the handle stays at `anchor`, the other follows the
 * pointer, across the anchor too (so dragging the right edge past the left one flips the box).
 */
function resizeSpan(anchor: number, pointer: number, extent: number, minSize: number): [number, number] {
  const moving = clamp(pointer, 0, extent);
  const forward = moving >= anchor;
  let low = forward ? anchor : moving;
  let high = forward ? moving : anchor;
  if (high - low < minSize) {
    if (forward) high = low + minSize;
    else low = high - minSize;
    if (high > extent) [low, high] = [extent - minSize, extent];
    if (low < 0) [low, high] = [0, minSize];
  }
  return [low, high];
}

/**
 * The box `start` becomes while its `handle` is dragged to `pointer`. Computed from the box at
 * the start of the drag each time, so crossing over and coming back gives the original box again.
 */
export function resizeBox(start: Readonly<PixelBox>, handle: ResizeHandle, pointer: Point, size: ImageSize, minSize = MIN_BOX_PX): PixelBox {
  const box = clampBox(start, size);
  const [x1, x2] = handle.includes('w')
    ? resizeSpan(box.x2, pointer.x, size.width, minSize)
    : handle.includes('e')
      ? resizeSpan(box.x1, pointer.x, size.width, minSize)
      : [box.x1, box.x2];
  const [y1, y2] = handle.includes('n')
    ? resizeSpan(box.y2, pointer.y, size.height, minSize)
    : handle.includes('s')
      ? resizeSpan(box.y1, pointer.y, size.height, minSize)
      : [box.y1, box.y2];
  return { x1, y1, x2, y2 };
}

/** The same place on an image of another size: what the Qwen-VL file keeps (fractions of the size). */
export function scaleBox(box: Readonly<PixelBox>, from: ImageSize, to: ImageSize): PixelBox {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  return { x1: box.x1 * sx, y1: box.y1 * sy, x2: box.x2 * sx, y2: box.y2 * sy };
}
