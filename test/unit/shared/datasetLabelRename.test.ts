// A label renamed in one sample: only the labels' characters change, in every turn, so boxes keep
// their text and the float pixels the editor gave them; a rename into an existing label merges.

import { describe, expect, it } from 'vitest';
import { insertBox, renameLabel } from '../../../shared/dataset/sampleEdits';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { conversationOf, createSample, viewSample } from '../../../shared/dataset/sampleModel';

const sample = (...values: string[]): EditableSample => createSample('s1', values.map((value, k) => ({ from: k % 2 === 0 ? 'user' : 'assistant', value })));
const values = (edited: EditableSample) => edited.turns.map((turn) => turn.value);
const SIZE = { width: 1000, height: 500 };

describe('renaming a label in a sample', () => {
  it('renames every ref of the label, in every turn, and no other', () => {
    const renamed = renameLabel(sample('Picture 1: <img>a.png</img>\n<ref>cat</ref>?', '<ref>cat</ref><box>(1,2),(3,4)</box><ref>dog</ref><box>(5,6),(7,8)</box><ref>cat</ref><box>(9,9),(10,10)</box>'), 'cat', '小猫');
    expect(values(renamed)).toEqual(['Picture 1: <img>a.png</img>\n<ref>小猫</ref>?', '<ref>小猫</ref><box>(1,2),(3,4)</box><ref>dog</ref><box>(5,6),(7,8)</box><ref>小猫</ref><box>(9,9),(10,10)</box>']);
  });

  it('leaves the plain text alone, even where it spells the label', () => {
    expect(values(renameLabel(sample('Picture 1: <img>a.png</img>\n框出图中的cat', '<ref>cat</ref><box>(1,2),(3,4)</box>'), 'cat', 'kitten'))).toEqual(['Picture 1: <img>a.png</img>\n框出图中的cat', '<ref>kitten</ref><box>(1,2),(3,4)</box>']);
  });

  it('keeps the float pixels of boxes on either side of a renamed ref', () => {
    const drawn = insertBox(insertBox(sample('Picture 1: <img>a.png</img>\n', ''), 1, 0, { x1: 10.25, y1: 20.5, x2: 300.75, y2: 400.5 }, SIZE, 'cat'), 1, 0, { x1: 1.5, y1: 2.5, x2: 30.25, y2: 40.75 }, SIZE, 'dog');
    const renamed = renameLabel(drawn, 'dog', 'a much longer name');
    const boxes = viewSample(renamed, () => SIZE).boxes;
    expect(boxes.map((box) => [box.label, box.pixels])).toEqual([
      ['a much longer name', { x1: 1.5, y1: 2.5, x2: 30.25, y2: 40.75 }],
      ['cat', { x1: 10.25, y1: 20.5, x2: 300.75, y2: 400.5 }],
    ]);
  });

  it('merges into a label the sample already has', () => {
    const merged = renameLabel(sample('Picture 1: <img>a.png</img>\n', '<ref>cat</ref><box>(1,2),(3,4)</box><ref>kitty</ref><box>(5,6),(7,8)</box>'), 'kitty', 'cat');
    const labels = conversationOf(merged).turns.flatMap((turn) => turn.segments.flatMap((segment) => (segment.kind === 'ref' ? [segment.label] : [])));
    expect(labels).toEqual(['cat', 'cat']);
  });

  it('returns the sample itself when it has no such label', () => {
    const untouched = sample('Picture 1: <img>a.png</img>\n', '<ref>dog</ref><box>(1,2),(3,4)</box>');
    expect(renameLabel(untouched, 'cat', 'kitten')).toBe(untouched);
  });
});
