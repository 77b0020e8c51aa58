import { describe, expect, it } from 'vitest';
import { createSample, viewSample } from '../../../shared/dataset/sampleModel';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { findTemplate } from '../../../shared/dataset/templates';
import type { SampleTemplate } from '../../../shared/dataset/templates';
import { DEFAULT_JSON_STYLE } from '../../../shared/dataset/jsonStyle';
import { samplePreview } from '../../../renderer/src/features/dataset/conversation/samplePreview';
import { addPicture, renumberPictures } from '../../../renderer/src/features/dataset/conversation/sampleText';
import { applyTemplate } from '../../../renderer/src/features/dataset/conversation/templateApply';
import { fetchRuns, firstAbove, pagesOf, positionOf, scrollToReveal, visibleRows } from '../../../renderer/src/features/dataset/sampleList/listWindow';

const sample = (...values: string[]): EditableSample => createSample('s1', values.map((value, k) => ({ from: k % 2 === 0 ? 'user' : 'assistant', value })));
const values = (edited: EditableSample) => edited.turns.map((turn) => turn.value);
const SIZE = { width: 1000, height: 500 };

describe('whole-sample text edits', () => {
  it('adds a picture at a caret in a user turn, after the pictures otherwise, and renumbers the ones after', () => {
    const two = sample('Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\nCompare them', 'Same');
    const atCaret = addPicture(two, 'new.png', { turn: 0, offset: 28 });
    expect(values(atCaret.sample)[0]).toBe('Picture 1: <img>a.png</img>\nPicture 2: <img>new.png</img>\nPicture 3: <img>b.png</img>\nCompare them');
    const noCaret = addPicture(two, 'new.png', { turn: 1, offset: 2 });
    expect(values(noCaret.sample)[0]).toBe('Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\nPicture 3: <img>new.png</img>\nCompare them');
    const none = addPicture(createSample('x', [{ from: 'assistant', value: 'hi' }]), 'a.png', null);
    expect(none.sample.turns.map((turn) => [turn.from, turn.value])).toEqual([
      ['user', 'Picture 1: <img>a.png</img>\n'],
      ['assistant', 'hi'],
    ]);
  });

  it('renumbers pictures across turns and leaves unlabelled ones alone', () => {
    expect(values(renumberPictures(sample('Picture 3: <img>a.png</img>\n<img>b.png</img>', 'ok', 'Picture 1: <img>c.png</img>')))).toEqual(['Picture 1: <img>a.png</img>\n<img>b.png</img>', 'ok', 'Picture 3: <img>c.png</img>']);
  });
});

describe('templates on one sample', () => {
  const grounding = findTemplate('grounding-zh') as SampleTemplate;
  const sizeOf = () => SIZE;

  it('rewrites the turns from the labelled boxes, keeping id and review', () => {
    const drawn = { ...sample('Picture 1: <img>a.png</img>\n', '<ref>猫</ref><box>(100,100),(200,300)</box><box>(500,500),(600,700)</box> and <ref>狗</ref><box>(0,0),(10,10)</box><box>(1,1),(2,2)</box>'), reviewed: true };
    const outcome = applyTemplate(drawn, grounding, sizeOf);
    expect(outcome).toMatchObject({ ok: true, boxes: 4, unlabeled: 0 });
    if (!outcome.ok) return;
    expect(outcome.sample).toMatchObject({ id: 's1', reviewed: true });
    expect(values(outcome.sample)).toEqual([
      'Picture 1: <img>a.png</img>\n框出图中的猫',
      '<ref>猫</ref><box>(100,100),(200,300)</box><box>(500,500),(600,700)</box>',
      '框出图中的狗',
      '<ref>狗</ref><box>(0,0),(10,10)</box><box>(1,1),(2,2)</box>',
    ]);
  });

  it('says why it cannot: several pictures, no size, no labelled box', () => {
    expect(applyTemplate(sample('Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\n', '<ref>a</ref><box>(1,1),(9,9)</box>'), grounding, sizeOf)).toEqual({ ok: false, reason: 'pictures' });
    expect(applyTemplate(sample('Picture 1: <img>a.png</img>\n', '<ref>a</ref><box>(1,1),(9,9)</box>'), grounding, () => undefined)).toEqual({ ok: false, reason: 'size' });
    expect(applyTemplate(sample('Picture 1: <img>a.png</img>\n', '<box>(1,1),(9,9)</box>'), grounding, sizeOf)).toEqual({ ok: false, reason: 'no-boxes' });
  });
});

describe('the JSON preview', () => {
  it('writes a sample new to a json.dump(indent=2, ensure_ascii=False) file as the file will hold it, reviewed only when true', () => {
    const record = { ...sample('Picture 1: <img>街道.png</img>\n框出"车"', '<ref>车</ref><box>(1,2),(3,4)</box>'), reviewed: true };
    const newEntry = { original: null, style: DEFAULT_JSON_STYLE, indent: '  ' };
    const text = samplePreview(record, newEntry);
    const dumped = JSON.stringify({ id: 's1', conversations: record.turns.map(({ from, value }) => ({ from, value })), reviewed: true }, null, 2);
    expect(text).toBe(`  ${dumped.replaceAll('\n', '\n  ')}`);
    expect(samplePreview({ ...record, reviewed: false }, newEntry)).not.toContain('reviewed');
    // The boxes the preview holds are the ones the canvas draws.
    expect(viewSample(record, () => SIZE).boxes.map((box) => box.coords)).toEqual([{ x1: 1, y1: 2, x2: 3, y2: 4 }]);
  });
});

describe('the list window', () => {
  it('shows the rows in view with overscan, clamped to the list', () => {
    expect(visibleRows(0, 560, 56, 100_000, 6)).toEqual({ first: 0, end: 16 });
    expect(visibleRows(56 * 50_000 + 10, 560, 56, 100_000, 6)).toEqual({ first: 49_994, end: 50_017 });
    expect(visibleRows(56 * 99_995, 560, 56, 100_000, 6)).toEqual({ first: 99_989, end: 100_000 });
    expect(visibleRows(0, 560, 56, 0, 6)).toEqual({ first: 0, end: 0 });
  });

  it('finds pages, the scroll that reveals a row, and runs of indices one call can fetch', () => {
    expect(pagesOf({ first: 95, end: 205 }, 100)).toEqual([0, 1, 2]);
    expect(pagesOf({ first: 5, end: 5 }, 100)).toEqual([]);
    expect(scrollToReveal(9, 0, 560, 56)).toBeNull();
    expect(scrollToReveal(12, 0, 560, 56)).toBe(56 * 13 - 560);
    expect(scrollToReveal(3, 560, 560, 56)).toBe(168);
    expect(fetchRuns([0, 1, 2, 10, 100, 101, 5000], 1000, 64)).toEqual([
      { from: 0, count: 11 },
      { from: 100, count: 2 },
      { from: 5000, count: 1 },
    ]);
    expect(fetchRuns([0, 999, 1000], 1000, 2000)).toEqual([
      { from: 0, count: 1000 },
      { from: 1000, count: 1 },
    ]);
  });

  it('searches sorted indices', () => {
    const indices = [2, 5, 9, 14];
    expect(positionOf(indices, 9)).toBe(2);
    expect(positionOf(indices, 10)).toBe(-1);
    expect(firstAbove(indices, 1)).toBe(0);
    expect(firstAbove(indices, 5)).toBe(2);
    expect(firstAbove(indices, 14)).toBe(4);
  });
});
