import { describe, expect, it } from 'vitest';
import { createSample } from '../../../shared/dataset/sampleModel';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { insertionPoint, pictureBoundAt } from '../../../renderer/src/features/dataset/conversation/insertionPoint';
import { conversationOf } from '../../../shared/dataset/sampleModel';
import { applyCanvasBoxes, canvasBoxes, pictureBoxes } from '../../../renderer/src/features/dataset/workspace/canvasSync';
import type { EditableBox } from '../../../renderer/src/features/dataset/editing/editableBox';

const SIZE = { width: 1920, height: 1080 };
const sizeOf = () => SIZE;

function sample(...values: string[]): EditableSample {
  return createSample('s', values.map((value, k) => ({ from: k % 2 === 0 ? 'user' : 'assistant', value })));
}

let nextId = 0;
const createId = () => `c${++nextId}`;

/** What the canvas shows for picture `image` of the sample. */
function shown(current: EditableSample, image = 0): EditableBox[] {
  return canvasBoxes(pictureBoxes(current, image, sizeOf), [], createId);
}

const box = (id: string, label: string, x1: number, y1: number, x2: number, y2: number): EditableBox => ({ id, label, box: { x1, y1, x2, y2 }, hidden: false, locked: false });

describe('where a drawn box goes', () => {
  it('binds to the latest picture before the cursor, across turns', () => {
    const two = sample('Picture 1: <img>a.jpg</img>\nPicture 2: <img>b.jpg</img>\nDescribe', 'ok');
    const conversation = conversationOf(two);
    expect(pictureBoundAt(conversation, { turn: 0, offset: 0 })).toBeNull();
    expect(pictureBoundAt(conversation, { turn: 0, offset: 28 })).toBe(0);
    expect(pictureBoundAt(conversation, { turn: 0, offset: 56 })).toBe(1);
    expect(pictureBoundAt(conversation, { turn: 1, offset: 0 })).toBe(1);
  });

  it('uses the cursor when it is bound to the picture, else the end of the answer', () => {
    const one = sample('Picture 1: <img>a.jpg</img>\nFind the cat', 'It is here: ');
    expect(insertionPoint(one, 0, { turn: 1, offset: 3 })).toEqual({ turn: 1, offset: 3, appendTurn: false });
    expect(insertionPoint(one, 0, { turn: 0, offset: 0 })).toEqual({ turn: 1, offset: 12, appendTurn: false });
    expect(insertionPoint(one, 0, null)).toEqual({ turn: 1, offset: 12, appendTurn: false });
  });

  it('never splits a tag: a cursor inside one moves past it', () => {
    const tagged = sample('Picture 1: <img>a.jpg</img>', '<ref>cat</ref><box>(1,2),(3,4)</box>');
    expect(insertionPoint(tagged, 0, { turn: 1, offset: 20 })).toEqual({ turn: 1, offset: 36, appendTurn: false });
  });

  it('goes before the next picture for an earlier one, and opens an answer after a last user turn', () => {
    const two = sample('Picture 1: <img>a.jpg</img>\nPicture 2: <img>b.jpg</img>\nDescribe');
    expect(insertionPoint(two, 0, null)).toEqual({ turn: 0, offset: 28, appendTurn: false });
    expect(insertionPoint(two, 1, null)).toEqual({ turn: 1, offset: 0, appendTurn: true });
    const nextTurn = sample('Picture 1: <img>a.jpg</img>', 'one', 'Picture 2: <img>b.jpg</img>', 'two');
    expect(insertionPoint(nextTurn, 0, null)).toEqual({ turn: 1, offset: 3, appendTurn: false });
  });
});

describe('canvas edits written into the text', () => {
  it('writes a new box at the cursor as a ref/box pair, with the integers of the project rule', () => {
    const start = sample('Picture 1: <img>street.jpg</img>\n框出图中的红色汽车', '');
    const edit = applyCanvasBoxes(start, 0, SIZE, sizeOf, [], [box('n1', '红色汽车', 480, 400, 999, 919)], { turn: 1, offset: 0 });
    expect(edit.sample.turns[1]?.value).toBe('<ref>红色汽车</ref><box>(250,370),(520,851)</box>');
    expect(edit.ids).toEqual(['n1']);
    expect(edit.cursor).toEqual({ turn: 1, offset: 45 });
    // The exact float pixels stay with the box while its text is unchanged.
    expect(pictureBoxes(edit.sample, 0, sizeOf)[0]?.pixels).toEqual({ x1: 480, y1: 400, x2: 999, y2: 919 });
  });

  it('opens an answer when the conversation ends with the question', () => {
    const start = sample('Picture 1: <img>a.jpg</img>\nFind the dog');
    const edit = applyCanvasBoxes(start, 0, SIZE, sizeOf, [], [box('n1', 'dog', 0, 0, 192, 108)], null);
    expect(edit.sample.turns.map((turn) => [turn.from, turn.value])).toEqual([
      ['user', 'Picture 1: <img>a.jpg</img>\nFind the dog'],
      ['assistant', '<ref>dog</ref><box>(0,0),(100,100)</box>'],
    ]);
  });

  it('adds a second box of the same label to its group, and another label as a new pair', () => {
    let current = sample('Picture 1: <img>a.jpg</img>', '<ref>cat</ref><box>(0,0),(100,100)</box>');
    const before = shown(current);
    let edit = applyCanvasBoxes(current, 0, SIZE, sizeOf, before.map((b) => b.id), [...before, box('n2', 'cat', 960, 540, 1920, 1080)], null);
    current = edit.sample;
    expect(current.turns[1]?.value).toBe('<ref>cat</ref><box>(0,0),(100,100)</box><box>(500,500),(999,999)</box>');
    const now = shown(current);
    edit = applyCanvasBoxes(current, 0, SIZE, sizeOf, now.map((b) => b.id), [...now, box('n3', 'dog', 192, 108, 384, 216)], null);
    expect(edit.sample.turns[1]?.value).toBe('<ref>cat</ref><box>(0,0),(100,100)</box><box>(500,500),(999,999)</box><ref>dog</ref><box>(100,100),(200,200)</box>');
    expect(edit.ids).toHaveLength(3);
  });

  it('rewrites only the moved box, and deleting the last box of a ref removes the ref', () => {
    const current = sample('Picture 1: <img>a.jpg</img>', 'A <ref>cat</ref><box>(0,0),(100,100)</box> and <ref>dog</ref><box>(500,500),(600,600)</box>.');
    const before = shown(current);
    const ids = before.map((b) => b.id);
    const [cat, dog] = before as [EditableBox, EditableBox];
    const moved = applyCanvasBoxes(current, 0, SIZE, sizeOf, ids, [cat, { ...dog, box: { x1: 1152, y1: 648, x2: 1344, y2: 756 } }], null);
    expect(moved.sample.turns[1]?.value).toBe('A <ref>cat</ref><box>(0,0),(100,100)</box> and <ref>dog</ref><box>(600,600),(700,700)</box>.');
    expect(moved.ids).toEqual(ids);
    const deleted = applyCanvasBoxes(current, 0, SIZE, sizeOf, ids, [dog], null);
    expect(deleted.sample.turns[1]?.value).toBe('A  and <ref>dog</ref><box>(500,500),(600,600)</box>.');
    expect(deleted.ids).toEqual([dog.id]);
  });

  it('renames a ref that labels one box, and moves a box out of a shared group', () => {
    const current = sample('Picture 1: <img>a.jpg</img>', '<ref>cat</ref><box>(0,0),(100,100)</box><box>(200,200),(300,300)</box><ref>dog</ref><box>(500,500),(600,600)</box>');
    const before = shown(current);
    const ids = before.map((b) => b.id);
    const [first, second, dog] = before as [EditableBox, EditableBox, EditableBox];
    const renamed = applyCanvasBoxes(current, 0, SIZE, sizeOf, ids, [first, second, { ...dog, label: 'wolf' }], null);
    expect(renamed.sample.turns[1]?.value).toBe('<ref>cat</ref><box>(0,0),(100,100)</box><box>(200,200),(300,300)</box><ref>wolf</ref><box>(500,500),(600,600)</box>');
    expect(renamed.ids).toEqual(ids);
    const split = applyCanvasBoxes(current, 0, SIZE, sizeOf, ids, [{ ...first, label: 'lion' }, second, dog], null);
    expect(split.sample.turns[1]?.value).toBe('<ref>cat</ref><box>(200,200),(300,300)</box><ref>lion</ref><box>(0,0),(100,100)</box><ref>dog</ref><box>(500,500),(600,600)</box>');
    // The relabelled box now comes second in the text, and its id moved with it.
    expect(split.ids).toEqual([second.id, first.id, dog.id]);
    expect(pictureBoxes(split.sample, 0, sizeOf).map((b) => b.label)).toEqual(['cat', 'lion', 'dog']);
  });

  it('touches only the picture drawn on in a two-picture sample', () => {
    const current = sample('Picture 1: <img>a.jpg</img>\nPicture 2: <img>b.jpg</img>\nFind them', '<ref>cat</ref><box>(0,0),(100,100)</box>');
    expect(pictureBoxes(current, 0, sizeOf)).toHaveLength(0);
    const edit = applyCanvasBoxes(current, 0, SIZE, sizeOf, [], [box('n1', 'dog', 0, 0, 192, 108)], null);
    expect(edit.sample.turns[0]?.value).toBe('Picture 1: <img>a.jpg</img>\n<ref>dog</ref><box>(0,0),(100,100)</box>Picture 2: <img>b.jpg</img>\nFind them');
    expect(pictureBoxes(edit.sample, 0, sizeOf).map((b) => b.label)).toEqual(['dog']);
    expect(pictureBoxes(edit.sample, 1, sizeOf).map((b) => b.label)).toEqual(['cat']);
  });
});

describe('text boxes shown on the canvas', () => {
  it('keeps ids, hidden and locked when a text edit keeps the count, and the unchanged ends otherwise', () => {
    const boxes = pictureBoxes(sample('Picture 1: <img>a.jpg</img>', '<ref>a</ref><box>(0,0),(1,1)</box><ref>b</ref><box>(2,2),(3,3)</box><ref>c</ref><box>(4,4),(5,5)</box>'), 0, sizeOf);
    const previous = canvasBoxes(boxes, [], createId).map((b, k) => ({ ...b, locked: k === 2 }));
    const same = canvasBoxes(boxes, previous, createId);
    expect(same.map((b) => [b.id, b.locked])).toEqual(previous.map((b) => [b.id, b.locked]));
    const fewer = pictureBoxes(sample('Picture 1: <img>a.jpg</img>', '<ref>a</ref><box>(0,0),(1,1)</box><ref>c</ref><box>(4,4),(5,5)</box>'), 0, sizeOf);
    const kept = canvasBoxes(fewer, previous, createId);
    expect(kept.map((b) => b.id)).toEqual([previous[0]?.id, previous[2]?.id]);
    expect(kept[1]?.locked).toBe(true);
  });
});
