/**
 * What "write an upright copy" does to a sample whose picture has an EXIF rotation: the picture
 * points at the copy, whose pixels are the stored ones turned the way the tag says, and every box
 * bound to that picture moves with the pixels, so it frames the same thing on the copy. Pure: the
 * renderer makes the copy (Chromium decodes with the orientation applied) and the main process
 * writes it.
 */

import type { ImageSize, PixelBox } from './coordinates';
import { setBoxPixels, setTurnValue } from './sampleEdits';
import type { EditableSample } from './sampleModel';
import { conversationOf, viewSample } from './sampleModel';

/** Orientations 5–8 turn the image a quarter, so width and height trade places. */
export function uprightSize(stored: ImageSize, orientation: number): ImageSize {
  return orientation >= 5 && orientation <= 8 ? { width: stored.height, height: stored.width } : stored;
}

/** Where a point of the stored pixels lands on the upright image (EXIF's eight orientations). */
function uprightPoint(x: number, y: number, { width: w, height: h }: ImageSize, orientation: number): [number, number] {
  switch (orientation) {
    case 2:
      return [w - x, y];
    case 3:
      return [w - x, h - y];
    case 4:
      return [x, h - y];
    case 5:
      return [y, x];
    case 6:
      return [h - y, x];
    case 7:
      return [h - y, w - x];
    case 8:
      return [y, w - x];
    default:
      return [x, y];
  }
}

/** A box of the stored pixels (of size `stored`) on the upright image. */
export function uprightBox(box: PixelBox, stored: ImageSize, orientation: number): PixelBox {
  const [ax, ay] = uprightPoint(box.x1, box.y1, stored, orientation);
  const [bx, by] = uprightPoint(box.x2, box.y2, stored, orientation);
  return { x1: Math.min(ax, bx), y1: Math.min(ay, by), x2: Math.max(ax, bx), y2: Math.max(ay, by) };
}

/**
 * Picture `image` (0-based in the conversation) of the sample, stored as `stored` with EXIF
 * `orientation`, replaced by its upright copy at `copyPath`: its boxes are moved onto the copy.
 * An error when the picture is not there or has quadrilaterals (their points are not moved here).
 */
export function pointAtUprightCopy(sample: EditableSample, image: number, copyPath: string, stored: ImageSize, orientation: number): EditableSample | { error: string } {
  const conversation = conversationOf(sample);
  const picture = conversation.pictures.find(({ segment }) => segment.image === image);
  if (!picture) return { error: `the sample has no picture ${image + 1}` };
  if (conversation.turns.some((turn) => turn.segments.some((segment) => segment.kind === 'quad' && segment.image === image))) return { error: 'the picture has <quad> shapes, which are not turned' };
  const upright = uprightSize(stored, orientation);
  // Later boxes first: each rewrite leaves the offsets before it valid.
  const boxes = viewSample(sample, () => stored)
    .boxes.filter((box) => box.image === image && box.pixels !== null)
    .sort((a, b) => b.turn - a.turn || b.start - a.start);
  let current = sample;
  for (const box of boxes) current = setBoxPixels(current, box, uprightBox(box.pixels as PixelBox, stored, orientation), upright);
  // The picture comes before every box bound to it, so its offsets are still those of the parse.
  const value = current.turns[picture.turn]?.value ?? '';
  return setTurnValue(current, picture.turn, value.slice(0, picture.segment.pathStart) + copyPath + value.slice(picture.segment.pathEnd));
}
