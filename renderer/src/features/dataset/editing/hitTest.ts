// What a pointer at a screen point would grab. Tolerances are in screen pixels, so handles are as
// easy to hit at 3200 % as at 10 %; the selected box's handles win, then the smallest box under
// the pointer (a small box inside a big one stays reachable).

import type { PixelBox } from '../../../../../shared/dataset/coordinates';
import type { EditableBox, Point, ResizeHandle } from './editableBox';
import { boxToScreen } from './viewTransform';
import type { ViewTransform } from './viewTransform';

export type BoxHit = { kind: 'handle'; id: string; handle: ResizeHandle } | { kind: 'box'; id: string } | { kind: 'none' };

/** Mouse; a pen or a finger gets twice as much. */
export const HIT_TOLERANCE_PX = 6;

export const NO_HIT: BoxHit = { kind: 'none' };

/**
 * The handle of an on-screen rectangle at `point`: within `tolerance` of an edge (a corner when
 * near two). Inside a box, a handle reaches at most a quarter of the box's size, so that however
 * small a box is drawn, its middle still moves it.
 */
export function handleAt(rect: Readonly<PixelBox>, point: Point, tolerance: number): ResizeHandle | null {
  const { x, y } = point;
  if (x < rect.x1 - tolerance || x > rect.x2 + tolerance || y < rect.y1 - tolerance || y > rect.y2 + tolerance) return null;
  const insideX = Math.min(tolerance, (rect.x2 - rect.x1) / 4);
  const insideY = Math.min(tolerance, (rect.y2 - rect.y1) / 4);
  const vertical = y <= rect.y1 + insideY ? 'n' : y >= rect.y2 - insideY ? 's' : '';
  const horizontal = x <= rect.x1 + insideX ? 'w' : x >= rect.x2 - insideX ? 'e' : '';
  const handle = `${vertical}${horizontal}`;
  return handle === '' ? null : (handle as ResizeHandle);
}

/** Where the eight handles are drawn, on screen. */
export function handlePoints(rect: Readonly<PixelBox>): Record<ResizeHandle, Point> {
  const midX = (rect.x1 + rect.x2) / 2;
  const midY = (rect.y1 + rect.y2) / 2;
  return {
    nw: { x: rect.x1, y: rect.y1 },
    n: { x: midX, y: rect.y1 },
    ne: { x: rect.x2, y: rect.y1 },
    e: { x: rect.x2, y: midY },
    se: { x: rect.x2, y: rect.y2 },
    s: { x: midX, y: rect.y2 },
    sw: { x: rect.x1, y: rect.y2 },
    w: { x: rect.x1, y: midY },
  };
}

export function hitTest(boxes: readonly EditableBox[], view: ViewTransform, point: Point, selectedId: string | null, tolerance = HIT_TOLERANCE_PX): BoxHit {
  const selected = selectedId === null ? undefined : boxes.find((box) => box.id === selectedId);
  if (selected && !selected.hidden && !selected.locked) {
    const handle = handleAt(boxToScreen(view, selected.box), point, tolerance);
    if (handle) return { kind: 'handle', id: selected.id, handle };
  }
  let best: { id: string; area: number } | null = null;
  for (const box of boxes) {
    if (box.hidden) continue;
    const rect = boxToScreen(view, box.box);
    if (point.x < rect.x1 - tolerance || point.x > rect.x2 + tolerance || point.y < rect.y1 - tolerance || point.y > rect.y2 + tolerance) continue;
    const area = (rect.x2 - rect.x1) * (rect.y2 - rect.y1);
    // Ties go to the later box, which is drawn on top.
    if (!best || area <= best.area) best = { id: box.id, area };
  }
  return best ? { kind: 'box', id: best.id } : NO_HIT;
}
