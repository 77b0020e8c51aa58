import { describe, expect, it } from 'vitest';
import { boxFromCorners, clampBox, moveBox, normalizeBox, resizeBox, scaleBox } from '../../../renderer/src/features/dataset/editing/boxGeometry';

const IMAGE = { width: 800, height: 600 };
const BOX = { x1: 100, y1: 100, x2: 300, y2: 200 };

describe('box geometry in image pixels', () => {
  it('normalises corners dragged in any direction', () => {
    expect(normalizeBox({ x1: 300, y1: 200, x2: 100, y2: 100 })).toEqual(BOX);
    expect(boxFromCorners({ x: 300, y: 100 }, { x: 100, y: 200 })).toEqual(BOX);
  });

  it('clamps to the image, whose far edges are exclusive: the whole image is [0, 0, W, H]', () => {
    expect(clampBox({ x1: -20, y1: 590, x2: 900, y2: 650 }, IMAGE)).toEqual({ x1: 0, y1: 590, x2: 800, y2: 600 });
    expect(clampBox({ x1: 0, y1: 0, x2: 800, y2: 600 }, IMAGE)).toEqual({ x1: 0, y1: 0, x2: 800, y2: 600 });
  });

  it('moves without changing the size, stopping at the image edges', () => {
    expect(moveBox(BOX, 10.5, -20, IMAGE)).toEqual({ x1: 110.5, y1: 80, x2: 310.5, y2: 180 });
    expect(moveBox(BOX, 1000, -1000, IMAGE)).toEqual({ x1: 600, y1: 0, x2: 800, y2: 100 });
  });

  it('resizes by each of the eight handles, the opposite edge staying put', () => {
    const to = { x: 350, y: 50 };
    expect(resizeBox(BOX, 'ne', to, IMAGE)).toEqual({ x1: 100, y1: 50, x2: 350, y2: 200 });
    expect(resizeBox(BOX, 'n', to, IMAGE)).toEqual({ x1: 100, y1: 50, x2: 300, y2: 200 });
    expect(resizeBox(BOX, 'e', to, IMAGE)).toEqual({ x1: 100, y1: 100, x2: 350, y2: 200 });
    expect(resizeBox(BOX, 'sw', { x: 50, y: 250 }, IMAGE)).toEqual({ x1: 50, y1: 100, x2: 300, y2: 250 });
    expect(resizeBox(BOX, 'w', { x: 50, y: 250 }, IMAGE)).toEqual({ x1: 50, y1: 100, x2: 300, y2: 200 });
    expect(resizeBox(BOX, 's', { x: 50, y: 250 }, IMAGE)).toEqual({ x1: 100, y1: 100, x2: 300, y2: 250 });
    expect(resizeBox(BOX, 'nw', { x: 0, y: 0 }, IMAGE)).toEqual({ x1: 0, y1: 0, x2: 300, y2: 200 });
    expect(resizeBox(BOX, 'se', { x: 799.5, y: 599.5 }, IMAGE)).toEqual({ x1: 100, y1: 100, x2: 799.5, y2: 599.5 });
  });

  it('flips a box dragged across its opposite edge, and gets it back when dragged back', () => {
    expect(resizeBox(BOX, 'e', { x: 40, y: 0 }, IMAGE)).toEqual({ x1: 40, y1: 100, x2: 100, y2: 200 });
    expect(resizeBox(BOX, 'se', { x: 40, y: 20 }, IMAGE)).toEqual({ x1: 40, y1: 20, x2: 100, y2: 100 });
    expect(resizeBox(BOX, 'se', { x: 300, y: 200 }, IMAGE)).toEqual(BOX);
  });

  it('keeps at least one pixel and stays inside the image while resizing', () => {
    expect(resizeBox(BOX, 'e', { x: 100.2, y: 0 }, IMAGE)).toEqual({ x1: 100, y1: 100, x2: 101, y2: 200 });
    expect(resizeBox(BOX, 'w', { x: 299.9, y: 0 }, IMAGE)).toEqual({ x1: 299, y1: 100, x2: 300, y2: 200 });
    expect(resizeBox(BOX, 'se', { x: 5000, y: -5000 }, IMAGE)).toEqual({ x1: 100, y1: 0, x2: 800, y2: 100 });
    expect(resizeBox({ x1: 799.5, y1: 0, x2: 800, y2: 10 }, 'w', { x: 800, y: 0 }, IMAGE)).toEqual({ x1: 799, y1: 0, x2: 800, y2: 10 });
  });

  it('scales a box to another image size, keeping its place relative to the image', () => {
    expect(scaleBox(BOX, IMAGE, { width: 400, height: 1200 })).toEqual({ x1: 50, y1: 200, x2: 150, y2: 400 });
  });
});
