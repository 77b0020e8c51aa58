// Image pixels ⇄ screen (CSS) pixels: screen = image × scale + offset. Zooming keeps the image
// point under the cursor where it is; panning never loses the whole image off the screen.

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import type { Point } from './editableBox';

export interface ViewTransform {
  /** Screen pixels per image pixel. */
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

export interface ZoomLimits {
  readonly min: number;
  readonly max: number;
}

/** One image pixel becomes at most this many screen pixels: enough to place an edge on a pixel. */
export const MAX_ZOOM = 32;
/** Zoomed out, the image is never smaller than this share of its fitted size. */
const MIN_ZOOM_OF_FIT = 0.25;
/** Space around a fitted image, so its edges (and boxes on them) can be grabbed. */
export const FIT_PADDING = 16;
/** A pan stops when this much of the image (or all of a smaller one) is still on the screen. */
const KEEP_VISIBLE = 48;
/** One notch of a mouse wheel (deltaY 100) zooms by this factor. */
const WHEEL_NOTCH_ZOOM = 1.25;
const LINE_HEIGHT_PX = 16;

export const IDENTITY_VIEW: ViewTransform = { scale: 1, x: 0, y: 0 };

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

export function imageToScreen(view: ViewTransform, point: Point): Point {
  return { x: point.x * view.scale + view.x, y: point.y * view.scale + view.y };
}

export function screenToImage(view: ViewTransform, point: Point): Point {
  return { x: (point.x - view.x) / view.scale, y: (point.y - view.y) / view.scale };
}

export function boxToScreen(view: ViewTransform, box: Readonly<PixelBox>): PixelBox {
  return { x1: box.x1 * view.scale + view.x, y1: box.y1 * view.scale + view.y, x2: box.x2 * view.scale + view.x, y2: box.y2 * view.scale + view.y };
}

function fitScale(image: ImageSize, viewport: Viewport): number {
  const width = Math.max(viewport.width - 2 * FIT_PADDING, 1);
  const height = Math.max(viewport.height - 2 * FIT_PADDING, 1);
  return Math.min(width / image.width, height / image.height);
}

export function zoomLimits(image: ImageSize, viewport: Viewport): ZoomLimits {
  if (image.width <= 0 || image.height <= 0) return { min: 1, max: 1 };
  const fit = fitScale(image, viewport);
  return { min: Math.min(fit, 1) * MIN_ZOOM_OF_FIT, max: Math.max(MAX_ZOOM, fit) };
}

/** The whole image, centred. */
export function fitView(image: ImageSize, viewport: Viewport): ViewTransform {
  if (image.width <= 0 || image.height <= 0) return IDENTITY_VIEW;
  const scale = fitScale(image, viewport);
  return { scale, x: (viewport.width - image.width * scale) / 2, y: (viewport.height - image.height * scale) / 2 };
}

/** Scales to `scale` (within the limits) keeping the image point under `anchor` (screen) fixed. */
export function zoomTo(view: ViewTransform, scale: number, anchor: Point, limits: ZoomLimits): ViewTransform {
  const next = clamp(scale, limits.min, limits.max);
  const fixed = screenToImage(view, anchor);
  return { scale: next, x: anchor.x - fixed.x * next, y: anchor.y - fixed.y * next };
}

export function zoomBy(view: ViewTransform, factor: number, anchor: Point, limits: ZoomLimits): ViewTransform {
  return zoomTo(view, view.scale * factor, anchor, limits);
}

/** The zoom factor of a wheel event: smooth for trackpads, one step per notch for mice. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * LINE_HEIGHT_PX : deltaMode === 2 ? deltaY * 800 : deltaY;
  return WHEEL_NOTCH_ZOOM ** (-pixels / 100);
}

export function panBy(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: view.scale, x: view.x + dx, y: view.y + dy };
}

/** Moves the view back just enough that part of the image stays on the screen. */
export function keepImageInView(view: ViewTransform, image: ImageSize, viewport: Viewport): ViewTransform {
  const axis = (offset: number, extent: number, screen: number) => {
    const shown = extent * view.scale;
    const keep = Math.min(KEEP_VISIBLE, shown);
    return clamp(offset, keep - shown, screen - keep);
  };
  return { scale: view.scale, x: axis(view.x, image.width, viewport.width), y: axis(view.y, image.height, viewport.height) };
}
