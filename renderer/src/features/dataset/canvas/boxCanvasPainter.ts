// Paints one frame of the box canvas: the image, the boxes with their label tags, the selected
// box's handles, and the crosshair with its readout. Stateless; the controller decides when.

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import type { EditableBox, Point } from '../editing/editableBox';
import { handlePoints } from '../editing/hitTest';
import { boxToScreen } from '../editing/viewTransform';
import type { Viewport, ViewTransform } from '../editing/viewTransform';
import type { CanvasTheme } from './canvasTheme';
import { textColorOn } from './labelPalette';

export interface CanvasScene {
  readonly viewport: Viewport;
  /** Device pixels per CSS pixel. */
  readonly pixelRatio: number;
  readonly view: ViewTransform;
  readonly theme: CanvasTheme;
  /** Null while the image decodes: its outline is drawn, so boxes already have their place. */
  readonly image: CanvasImageSource | null;
  readonly imageSize: ImageSize;
  readonly boxes: readonly EditableBox[];
  readonly selectedId: string | null;
  readonly hoverId: string | null;
  readonly colorOf: (label: string) => string;
  readonly unlabeled: string;
  readonly crosshair: { readonly point: Point; readonly readout: string } | null;
}

const STROKE_PX = 2;
const HALO = 'rgb(0 0 0 / 0.6)';
const HANDLE_PX = 8;
const TAG_HEIGHT_PX = 18;
const TAG_PADDING_PX = 4;
const LOCK_WIDTH_PX = 11;
/** Above this zoom, image pixels are drawn as sharp squares, so an edge can be put between two. */
const SHARP_PIXELS_FROM_SCALE = 2;

export function paintScene(context: CanvasRenderingContext2D, scene: CanvasScene): void {
  const { viewport, pixelRatio, theme } = scene;
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.fillStyle = theme.background;
  context.fillRect(0, 0, viewport.width, viewport.height);
  paintImage(context, scene);

  const snap = (value: number) => Math.round(value * pixelRatio) / pixelRatio;
  let selected: { box: EditableBox; rect: PixelBox } | null = null;
  for (const box of scene.boxes) {
    const raw = boxToScreen(scene.view, box.box);
    if (raw.x2 < 0 || raw.y2 < 0 || raw.x1 > viewport.width || raw.y1 > viewport.height) continue;
    const rect = { x1: snap(raw.x1), y1: snap(raw.y1), x2: snap(raw.x2), y2: snap(raw.y2) };
    if (box.id === scene.selectedId) selected = { box, rect };
    else if (!box.hidden) paintBox(context, scene, box, rect, false);
  }
  if (selected) {
    paintBox(context, scene, selected.box, selected.rect, true);
    if (!selected.box.locked && !selected.box.hidden) paintHandles(context, selected.rect, scene.colorOf(selected.box.label));
  }
  if (scene.crosshair) paintCrosshair(context, scene, scene.crosshair.point, scene.crosshair.readout);
}

function paintImage(context: CanvasRenderingContext2D, scene: CanvasScene): void {
  const { view, imageSize } = scene;
  const width = imageSize.width * view.scale;
  const height = imageSize.height * view.scale;
  if (scene.image) {
    context.imageSmoothingEnabled = view.scale < SHARP_PIXELS_FROM_SCALE;
    context.imageSmoothingQuality = 'high';
    context.drawImage(scene.image, view.x, view.y, width, height);
    return;
  }
  if (width <= 0 || height <= 0) return;
  context.strokeStyle = scene.theme.muted;
  context.lineWidth = 1;
  context.setLineDash([6, 6]);
  context.strokeRect(view.x + 0.5, view.y + 0.5, width - 1, height - 1);
  context.setLineDash([]);
}

function paintBox(context: CanvasRenderingContext2D, scene: CanvasScene, box: EditableBox, rect: PixelBox, selected: boolean): void {
  const color = scene.colorOf(box.label);
  const width = rect.x2 - rect.x1;
  const height = rect.y2 - rect.y1;
  if (selected && !box.hidden) {
    context.fillStyle = `${color}2e`;
    context.fillRect(rect.x1, rect.y1, width, height);
  }
  const stroke = box.id === scene.hoverId || selected ? STROKE_PX + 1 : STROKE_PX;
  context.lineJoin = 'miter';
  context.strokeStyle = HALO;
  context.lineWidth = stroke + 2;
  context.strokeRect(rect.x1, rect.y1, width, height);
  context.strokeStyle = color;
  context.lineWidth = stroke;
  // Dashes: a locked box (long) and a hidden one shown only because it is selected (short).
  context.setLineDash(box.hidden ? [3, 3] : box.locked ? [8, 4] : []);
  context.strokeRect(rect.x1, rect.y1, width, height);
  context.setLineDash([]);
  paintTag(context, scene, box, rect, color);
}

function paintTag(context: CanvasRenderingContext2D, scene: CanvasScene, box: EditableBox, rect: PixelBox, color: string): void {
  const text = box.label || scene.unlabeled;
  context.font = `600 12px ${scene.theme.font}`;
  const lock = box.locked ? LOCK_WIDTH_PX : 0;
  const width = Math.ceil(context.measureText(text).width) + 2 * TAG_PADDING_PX + lock;
  const x = rect.x1 - 1;
  // Above the box when there is room, otherwise inside its top edge.
  const y = rect.y1 >= TAG_HEIGHT_PX ? rect.y1 - TAG_HEIGHT_PX : rect.y1;
  context.fillStyle = color;
  context.fillRect(x, y, width, TAG_HEIGHT_PX);
  const ink = textColorOn(color);
  context.fillStyle = ink;
  context.textBaseline = 'middle';
  context.fillText(text, x + TAG_PADDING_PX + lock, y + TAG_HEIGHT_PX / 2 + 0.5);
  if (box.locked) paintLock(context, x + TAG_PADDING_PX, y + 4, ink);
}

function paintLock(context: CanvasRenderingContext2D, x: number, y: number, ink: string): void {
  context.fillStyle = ink;
  context.fillRect(x, y + 4.5, 8, 6);
  context.strokeStyle = ink;
  context.lineWidth = 1.5;
  context.beginPath();
  context.arc(x + 4, y + 4.5, 2.5, Math.PI, 0);
  context.stroke();
}

function paintHandles(context: CanvasRenderingContext2D, rect: PixelBox, color: string): void {
  const small = rect.x2 - rect.x1 < 3 * HANDLE_PX || rect.y2 - rect.y1 < 3 * HANDLE_PX;
  const points = handlePoints(rect);
  for (const [handle, point] of Object.entries(points)) {
    // On a box too small for eight, the corners are enough (and the sides are still grabbable).
    if (small && handle.length === 1) continue;
    const x = point.x - HANDLE_PX / 2;
    const y = point.y - HANDLE_PX / 2;
    context.fillStyle = '#ffffff';
    context.fillRect(x, y, HANDLE_PX, HANDLE_PX);
    context.strokeStyle = HALO;
    context.lineWidth = 3;
    context.strokeRect(x, y, HANDLE_PX, HANDLE_PX);
    context.strokeStyle = color;
    context.lineWidth = 1.5;
    context.strokeRect(x, y, HANDLE_PX, HANDLE_PX);
  }
}

function paintCrosshair(context: CanvasRenderingContext2D, scene: CanvasScene, point: Point, readout: string): void {
  const { width, height } = scene.viewport;
  const x = Math.round(point.x) + 0.5;
  const y = Math.round(point.y) + 0.5;
  context.beginPath();
  context.moveTo(0, y);
  context.lineTo(width, y);
  context.moveTo(x, 0);
  context.lineTo(x, height);
  context.strokeStyle = 'rgb(0 0 0 / 0.45)';
  context.lineWidth = 3;
  context.stroke();
  context.strokeStyle = '#ffffff';
  context.lineWidth = 1;
  context.setLineDash([5, 3]);
  context.stroke();
  context.setLineDash([]);

  context.font = `12px ${scene.theme.mono}`;
  const boxWidth = Math.ceil(context.measureText(readout).width) + 12;
  const boxHeight = 20;
  // Beside the pointer, flipped to the other side near the right and bottom edges.
  const left = x + 12 + boxWidth > width ? x - 12 - boxWidth : x + 12;
  const top = y + 12 + boxHeight > height ? y - 12 - boxHeight : y + 12;
  context.fillStyle = 'rgb(0 0 0 / 0.72)';
  context.fillRect(left, top, boxWidth, boxHeight);
  context.fillStyle = '#ffffff';
  context.textBaseline = 'middle';
  context.fillText(readout, left + 6, top + boxHeight / 2 + 0.5);
}
