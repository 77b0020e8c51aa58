// The editor's model: boxes in float pixels, box edits that rewrite only their characters, text
// edits that move boxes, and the exported integers following the project rule.

import { describe, expect, it } from 'vitest';
import type { ImageSize } from '../../../shared/dataset/coordinates';
import { openDataset, saveDataset } from '../../../shared/dataset/datasetDocument';
import { deleteBox, insertBox, setBoxCoords, setBoxPixels, setTurnValue } from '../../../shared/dataset/sampleEdits';
import type { EditableSample, SampleBox } from '../../../shared/dataset/sampleModel';
import { createSample, sampleUnchanged, viewSample } from '../../../shared/dataset/sampleModel';
import { readQwenFixture } from './datasetSupport';

const FULL_HD: ImageSize = { width: 1920, height: 1080 };
const sizes = (known: Record<string, ImageSize>) => (path: string) => known[path];

function synthetic(): { sample: EditableSample; text: string } {
  const text = readQwenFixture('synthetic_grounding_sample.json');
  const sample = openDataset(text).samples[0];
  if (!sample) throw new Error('fixture has samples');
  return { sample, text };
}

function boxOf(sample: EditableSample, index = 0, known = { '/data/imgs/street_1920x1080.jpg': FULL_HD }): SampleBox {
  const box = viewSample(sample, sizes(known)).boxes[index];
  if (!box) throw new Error(`no box ${index}`);
  return box;
}

describe('the view', () => {
  it('shows a box in pixels of its image, decoded v/1000·size, with its ref label and text range', () => {
    const { sample } = synthetic();
    const view = viewSample(sample, sizes({ '/data/imgs/street_1920x1080.jpg': FULL_HD }));
    expect(view.images).toEqual([expect.objectContaining({ image: 0, turn: 0, path: '/data/imgs/street_1920x1080.jpg', start: 0, pathStart: 16 })]);
    expect(view.boxes).toEqual([
      expect.objectContaining({ turn: 1, start: 15, end: 45, coords: { x1: 250, y1: 370, x2: 520, y2: 850 }, image: 0, label: '红色汽车', pixels: { x1: 480, y1: 399.6, x2: expect.closeTo(998.4, 9), y2: 918 } }),
    ]);
    expect(viewSample(sample, () => undefined).boxes[0]?.pixels).toBeNull();
  });
});

describe('box edits', () => {
  it('export the project rule, keep the exact pixels, and touch only that box in the file (919/1080 → 851)', () => {
    const { sample, text } = synthetic();
    const moved = setBoxPixels(sample, boxOf(sample), { x1: 480, y1: 400, x2: 999, y2: 919 }, FULL_HD);
    expect(moved.turns[1]?.value).toBe('<ref>红色汽车</ref><box>(250,370),(520,851)</box>');
    expect(boxOf(moved).pixels).toEqual({ x1: 480, y1: 400, x2: 999, y2: 919 });
    const document = openDataset(text);
    expect(saveDataset(document, [moved, ...document.samples.slice(1)])).toBe(text.replace('(520,850)', '(520,851)'));
  });

  it('leave an untouched box\'s original integers alone, even where the rule would round otherwise', () => {
    const { sample } = synthetic();
    // The file says 850 (it truncated); decoding and re-encoding would give 850 again, and no
    // edit means no rewrite at all.
    expect(sampleUnchanged(sample)).toBe(true);
    const typed = setTurnValue(sample, 0, `${sample.turns[0]?.value ?? ''}!`);
    expect(typed.turns[1]).toBe(sample.turns[1]);
  });

  it('clamp to the ceiling and write integers directly', () => {
    const { sample } = synthetic();
    const clamped = setBoxPixels(sample, boxOf(sample), { x1: -5, y1: 0, x2: 1920, y2: 1080 }, FULL_HD);
    expect(clamped.turns[1]?.value).toBe('<ref>红色汽车</ref><box>(0,0),(999,999)</box>');
    expect(setBoxPixels(sample, boxOf(sample), { x1: 0, y1: 0, x2: 1920, y2: 1080 }, FULL_HD, 1000).turns[1]?.value).toContain('(1000,1000)');
    expect(setBoxCoords(sample, boxOf(sample), { x1: 1, y1: 2, x2: 3, y2: 4 }).turns[1]?.value).toBe('<ref>红色汽车</ref><box>(1,2),(3,4)</box>');
  });

  it('insert a labelled box bound to the picture before it, and delete a box with its now-empty ref', () => {
    const { sample } = synthetic();
    const end = sample.turns[1]?.value.length ?? 0;
    const added = insertBox(sample, 1, end, { x1: 96, y1: 54, x2: 192.5, y2: 108 }, FULL_HD, '行人');
    expect(added.turns[1]?.value).toBe('<ref>红色汽车</ref><box>(250,370),(520,850)</box><ref>行人</ref><box>(50,50),(100,100)</box>');
    expect(boxOf(added, 1)).toMatchObject({ label: '行人', image: 0, pixels: { x1: 96, y1: 54, x2: 192.5, y2: 108 } });
    expect(deleteBox(added, boxOf(added, 1)).turns[1]?.value).toBe('<ref>红色汽车</ref><box>(250,370),(520,850)</box>');
    const twoBoxes = createSample('x', [
      { from: 'user', value: 'Picture 1: <img>a.jpg</img>\n' },
      { from: 'assistant', value: '<ref>apples</ref><box>(1,1),(5,5)</box><box>(6,6),(9,9)</box>' },
    ]);
    const box = viewSample(twoBoxes, () => FULL_HD).boxes[1];
    if (!box) throw new Error('two boxes');
    expect(deleteBox(twoBoxes, box).turns[1]?.value).toBe('<ref>apples</ref><box>(1,1),(5,5)</box>');
  });
});

describe('text edits', () => {
  it('move the boxes on the image, and keep exact pixels of boxes outside the edit', () => {
    const sample = createSample('x', [
      { from: 'user', value: 'Picture 1: <img>a.jpg</img>\n' },
      { from: 'assistant', value: '<ref>a</ref><box>(100,100),(200,200)</box> and <ref>b</ref><box>(300,300),(400,400)</box>' },
    ]);
    const size = { width: 1000, height: 500 };
    const first = viewSample(sample, () => size).boxes[0];
    if (!first) throw new Error('boxes');
    const placed = setBoxPixels(sample, first, { x1: 100.4, y1: 50.2, x2: 200.4, y2: 100.2 }, size);
    // Typing before the first box shifts it: its pixels stay exact.
    const typed = setTurnValue(placed, 1, `Here: ${placed.turns[1]?.value ?? ''}`);
    expect(viewSample(typed, () => size).boxes[0]?.pixels).toEqual({ x1: 100.4, y1: 50.2, x2: 200.4, y2: 100.2 });
    // Editing the second box's numbers moves it on the image.
    const retyped = setTurnValue(typed, 1, (typed.turns[1]?.value ?? '').replace('(300,300)', '(310,300)'));
    expect(viewSample(retyped, () => size).boxes[1]?.pixels).toEqual({ x1: 310, y1: 150, x2: 400, y2: 200 });
    // Editing inside the first box drops its pixels: the text is the truth again.
    const inside = setTurnValue(typed, 1, (typed.turns[1]?.value ?? '').replace('(100,100),(200,200)', '(100,100),(250,200)'));
    expect(viewSample(inside, () => size).boxes[0]?.pixels).toEqual({ x1: 100, y1: 50, x2: 250, y2: 100 });
  });
});
