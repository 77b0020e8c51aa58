import { describe, expect, it } from 'vitest';
import { handleAt, hitTest } from '../../../renderer/src/features/dataset/editing/hitTest';
import type { EditableBox } from '../../../renderer/src/features/dataset/editing/editableBox';
import {
  fitView,
  imageToScreen,
  keepImageInView,
  panBy,
  screenToImage,
  wheelZoomFactor,
  zoomBy,
  zoomLimits,
  zoomTo,
} from '../../../renderer/src/features/dataset/editing/viewTransform';

const IMAGE = { width: 2000, height: 1000 };
const VIEWPORT = { width: 1032, height: 800 };
const LIMITS = zoomLimits(IMAGE, VIEWPORT);

const box = (id: string, x1: number, y1: number, x2: number, y2: number, extra: Partial<EditableBox> = {}): EditableBox => ({ id, label: id, box: { x1, y1, x2, y2 }, hidden: false, locked: false, ...extra });

describe('the view transform', () => {
  it('fits the image centred with padding, and maps both ways', () => {
    const view = fitView(IMAGE, VIEWPORT);
    expect(view).toEqual({ scale: 0.5, x: 16, y: 150 });
    expect(imageToScreen(view, { x: 2000, y: 1000 })).toEqual({ x: 1016, y: 650 });
    expect(screenToImage(view, { x: 516, y: 400 })).toEqual({ x: 1000, y: 500 });
  });

  it('keeps the image point under the cursor fixed while zooming, in and out', () => {
    let view = fitView(IMAGE, VIEWPORT);
    const cursor = { x: 300.5, y: 222.25 };
    const under = screenToImage(view, cursor);
    for (const factor of [1.25, 1.25, 3, 0.5, 0.8, 7]) {
      view = zoomBy(view, factor, cursor, LIMITS);
      const now = screenToImage(view, cursor);
      expect(now.x).toBeCloseTo(under.x, 9);
      expect(now.y).toBeCloseTo(under.y, 9);
    }
  });

  it('clamps the zoom range, and keeps the cursor point fixed at the limit too', () => {
    const view = fitView(IMAGE, VIEWPORT);
    const cursor = { x: 400, y: 300 };
    const deep = zoomBy(view, 1e6, cursor, LIMITS);
    expect(deep.scale).toBe(32);
    expect(screenToImage(deep, cursor).x).toBeCloseTo(screenToImage(view, cursor).x, 9);
    expect(zoomBy(view, 1e-6, cursor, LIMITS).scale).toBeCloseTo(0.125, 9);
    // A tiny image may be fitted bigger than the usual maximum.
    expect(zoomLimits({ width: 10, height: 10 }, VIEWPORT).max).toBeGreaterThan(32);
  });

  it('zooms 1:1 around a point', () => {
    const view = zoomTo(fitView(IMAGE, VIEWPORT), 1, { x: 516, y: 400 }, LIMITS);
    expect(view).toEqual({ scale: 1, x: -484, y: -100 });
  });

  it('zooms one step per wheel notch, in for up and out for down', () => {
    expect(wheelZoomFactor(-100, 0)).toBeCloseTo(1.25);
    expect(wheelZoomFactor(100, 0)).toBeCloseTo(0.8);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(1.25 ** 0.48);
  });

  it('stops a pan while part of the image is still on the screen', () => {
    const view = fitView(IMAGE, VIEWPORT);
    expect(keepImageInView(panBy(view, 5000, 0), IMAGE, VIEWPORT).x).toBe(VIEWPORT.width - 48);
    expect(keepImageInView(panBy(view, 0, -5000), IMAGE, VIEWPORT).y).toBe(48 - 500);
    expect(keepImageInView(panBy(view, 10, 10), IMAGE, VIEWPORT)).toEqual(panBy(view, 10, 10));
  });
});

describe('hit testing', () => {
  const view = { scale: 2, x: 10, y: 20 };
  // On screen: [210, 220] – [410, 420].
  const big = box('big', 100, 100, 200, 200);

  it('finds the eight handles within a screen-space tolerance, whatever the zoom', () => {
    const rect = { x1: 210, y1: 220, x2: 410, y2: 420 };
    expect(handleAt(rect, { x: 205, y: 215 }, 6)).toBe('nw');
    expect(handleAt(rect, { x: 310, y: 224 }, 6)).toBe('n');
    expect(handleAt(rect, { x: 414, y: 218 }, 6)).toBe('ne');
    expect(handleAt(rect, { x: 404, y: 320 }, 6)).toBe('e');
    expect(handleAt(rect, { x: 410, y: 420 }, 6)).toBe('se');
    expect(handleAt(rect, { x: 310, y: 425 }, 6)).toBe('s');
    expect(handleAt(rect, { x: 211, y: 419 }, 6)).toBe('sw');
    expect(handleAt(rect, { x: 204, y: 320 }, 6)).toBe('w');
    expect(handleAt(rect, { x: 203, y: 320 }, 6)).toBeNull();
    expect(handleAt(rect, { x: 310, y: 320 }, 6)).toBeNull();
    expect(handleAt(rect, { x: 310, y: 427 }, 6)).toBeNull();
  });

  it('leaves the middle of a tiny box to moving it', () => {
    const tiny = { x1: 100, y1: 100, x2: 108, y2: 108 };
    expect(handleAt(tiny, { x: 104, y: 104 }, 6)).toBeNull();
    expect(handleAt(tiny, { x: 99, y: 99 }, 6)).toBe('nw');
    expect(handleAt(tiny, { x: 107, y: 104 }, 6)).toBe('e');
  });

  it('prefers the selected box’s handles, then the smallest box under the pointer', () => {
    const small = box('small', 140, 140, 160, 160);
    const boxes = [big, small];
    expect(hitTest(boxes, view, { x: 310, y: 320 }, null)).toEqual({ kind: 'box', id: 'small' });
    expect(hitTest(boxes, view, { x: 250, y: 260 }, null)).toEqual({ kind: 'box', id: 'big' });
    expect(hitTest(boxes, view, { x: 212, y: 222 }, 'big')).toEqual({ kind: 'handle', id: 'big', handle: 'nw' });
    expect(hitTest(boxes, view, { x: 212, y: 222 }, null)).toEqual({ kind: 'box', id: 'big' });
    expect(hitTest(boxes, view, { x: 100, y: 100 }, 'big')).toEqual({ kind: 'none' });
  });

  it('skips hidden boxes, and gives locked ones no handles', () => {
    expect(hitTest([box('h', 100, 100, 200, 200, { hidden: true })], view, { x: 310, y: 320 }, 'h')).toEqual({ kind: 'none' });
    expect(hitTest([box('l', 100, 100, 200, 200, { locked: true })], view, { x: 212, y: 222 }, 'l')).toEqual({ kind: 'box', id: 'l' });
  });
});
