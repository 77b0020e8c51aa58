// An upright copy of an EXIF-rotated picture: boxes follow the pixels for each of EXIF's eight
// orientations, and the sample points at the copy with its boxes rewritten by the project rule.

import { describe, expect, it } from 'vitest';
import { pointAtUprightCopy, uprightBox, uprightSize } from '../../../shared/dataset/exifUpright';
import { createSample, viewSample } from '../../../shared/dataset/sampleModel';

const STORED = { width: 16, height: 9 };
/** Near the stored image's top-left corner, wider than tall. */
const BOX = { x1: 1, y1: 2, x2: 5, y2: 3 };

describe('a box on the upright image', () => {
  it.each([
    [1, { width: 16, height: 9 }, { x1: 1, y1: 2, x2: 5, y2: 3 }],
    [2, { width: 16, height: 9 }, { x1: 11, y1: 2, x2: 15, y2: 3 }],
    [3, { width: 16, height: 9 }, { x1: 11, y1: 6, x2: 15, y2: 7 }],
    [4, { width: 16, height: 9 }, { x1: 1, y1: 6, x2: 5, y2: 7 }],
    [5, { width: 9, height: 16 }, { x1: 2, y1: 1, x2: 3, y2: 5 }],
    // 6 turns the image a quarter clockwise: the top-left corner goes to the top right.
    [6, { width: 9, height: 16 }, { x1: 6, y1: 1, x2: 7, y2: 5 }],
    [7, { width: 9, height: 16 }, { x1: 6, y1: 11, x2: 7, y2: 15 }],
    [8, { width: 9, height: 16 }, { x1: 2, y1: 11, x2: 3, y2: 15 }],
  ])('orientation %i', (orientation, size, box) => {
    expect(uprightSize(STORED, orientation)).toEqual(size);
    expect(uprightBox(BOX, STORED, orientation)).toEqual(box);
  });
});

describe('pointing a sample at the upright copy', () => {
  it('rewrites the picture path and moves only the boxes of that picture', () => {
    const sample = createSample('s', [
      { from: 'user', value: 'Picture 1: <img>imgs/turned.jpg</img>\nPicture 2: <img>imgs/plain.jpg</img>\n框出图中的狗' },
      { from: 'assistant', value: '<ref>狗</ref><box>(0,0),(500,500)</box>' },
    ]);
    // The box above is bound to picture 2; one on picture 1 comes before picture 2 in a later turn.
    const withBoxOnFirst = createSample('s', [
      { from: 'user', value: 'Picture 1: <img>imgs/turned.jpg</img>\n<ref>猫</ref><box>(0,0),(500,250)</box>\nPicture 2: <img>imgs/plain.jpg</img>' },
      { from: 'assistant', value: '<ref>狗</ref><box>(0,0),(500,500)</box>' },
    ]);
    const stored = { width: 1600, height: 900 };
    const untouchedBoxes = pointAtUprightCopy(sample, 0, 'imgs/turned.upright.jpg', stored, 6);
    if ('error' in untouchedBoxes) throw new Error(untouchedBoxes.error);
    expect(untouchedBoxes.turns.map((turn) => turn.value)).toEqual(['Picture 1: <img>imgs/turned.upright.jpg</img>\nPicture 2: <img>imgs/plain.jpg</img>\n框出图中的狗', '<ref>狗</ref><box>(0,0),(500,500)</box>']);

    const moved = pointAtUprightCopy(withBoxOnFirst, 0, 'imgs/turned.upright.jpg', stored, 6);
    if ('error' in moved) throw new Error(moved.error);
    // (0,0)-(800,225) px of 1600×900 is (675,0)-(900,800) px of the upright 900×1600.
    expect(moved.turns.map((turn) => turn.value)).toEqual(['Picture 1: <img>imgs/turned.upright.jpg</img>\n<ref>猫</ref><box>(750,0),(999,500)</box>\nPicture 2: <img>imgs/plain.jpg</img>', '<ref>狗</ref><box>(0,0),(500,500)</box>']);
    expect(viewSample(moved, () => ({ width: 900, height: 1600 })).boxes[0]?.pixels).toEqual({ x1: 675, y1: 0, x2: 900, y2: 800 });
  });

  it('refuses a missing picture and one with quadrilaterals', () => {
    const quad = createSample('s', [{ from: 'user', value: 'Picture 1: <img>a.jpg</img>\n<ref>x</ref><quad>(1,2),(3,4),(5,6),(7,8)</quad>' }]);
    expect(pointAtUprightCopy(quad, 0, 'b.jpg', { width: 10, height: 10 }, 6)).toEqual({ error: 'the picture has <quad> shapes, which are not turned' });
    expect(pointAtUprightCopy(quad, 3, 'b.jpg', { width: 10, height: 10 }, 6)).toEqual({ error: 'the sample has no picture 4' });
  });
});
