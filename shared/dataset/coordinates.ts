/**
 * Qwen-VL box coordinates. Boxes are kept as float pixels of the original image (the truth, in
 * the orientation training sees); the file holds integers in [0, 1000) of the image size.
 * Export rounds and clamps (the project rule in qwen-vl-format.md, not the tokenizer's
 * truncation: 919 px of 1080 is 851, not 850); decoding maps v back to v/1000 of the size.
 */

/** The largest integer a coordinate may take; configurable because some tools use 1000. */
export const DEFAULT_COORD_CEILING = 999;

export interface PixelBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface ImageSize {
  width: number;
  height: number;
}

/** One pixel coordinate along an axis of `extent` pixels → its integer in [0, ceiling]. */
export function pixelToQwen(pixel: number, extent: number, ceiling = DEFAULT_COORD_CEILING): number {
  const scaled = Math.round((pixel / extent) * 1000);
  return Math.min(Math.max(scaled, 0), ceiling);
}

/** A file's integer coordinate → pixels along an axis of `extent` pixels. */
export function qwenToPixel(value: number, extent: number): number {
  return (value / 1000) * extent;
}

export function boxToQwen(box: PixelBox, size: ImageSize, ceiling = DEFAULT_COORD_CEILING): PixelBox {
  return {
    x1: pixelToQwen(box.x1, size.width, ceiling),
    y1: pixelToQwen(box.y1, size.height, ceiling),
    x2: pixelToQwen(box.x2, size.width, ceiling),
    y2: pixelToQwen(box.y2, size.height, ceiling),
  };
}

export function boxFromQwen(box: PixelBox, size: ImageSize): PixelBox {
  return {
    x1: qwenToPixel(box.x1, size.width),
    y1: qwenToPixel(box.y1, size.height),
    x2: qwenToPixel(box.x2, size.width),
    y2: qwenToPixel(box.y2, size.height),
  };
}

/** `<box>(x1,y1),(x2,y2)</box>` as the official writer prints it: no spaces. */
export function formatBox(box: PixelBox): string {
  return `<box>(${box.x1},${box.y1}),(${box.x2},${box.y2})</box>`;
}

export function formatRefBox(label: string, box: PixelBox): string {
  return `<ref>${label}</ref>${formatBox(box)}`;
}
