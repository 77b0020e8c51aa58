import { describe, expect, it } from 'vitest';
import { BoxEditor } from '../../../renderer/src/features/dataset/editing/boxEditor';
import type { BoxChange } from '../../../renderer/src/features/dataset/editing/boxEditor';
import { BoxHistory } from '../../../renderer/src/features/dataset/editing/boxHistory';
import type { EditableBox } from '../../../renderer/src/features/dataset/editing/editableBox';

const IMAGE = { width: 1000, height: 500 };

function editor(options: { historyLimit?: number; imagesKept?: number } = {}) {
  let next = 0;
  const model = new BoxEditor({ createId: () => `b${++next}`, ...options });
  const changes: BoxChange[] = [];
  model.onChange((change) => changes.push(change));
  model.load('a.jpg', IMAGE, []);
  changes.length = 0;
  return { model, changes };
}

const place = (model: BoxEditor) => model.boxes.map((box) => [box.id, box.label, box.box.x1, box.box.y1, box.box.x2, box.box.y2, box.hidden, box.locked]);

describe('the history', () => {
  it('undoes and redoes, and a new edit clears what could be redone', () => {
    const history = new BoxHistory<number>(10);
    history.record(1);
    history.record(2);
    expect(history.undo(3)).toBe(2);
    expect(history.redo(2)).toBe(3);
    expect(history.undo(3)).toBe(2);
    history.record(2);
    expect(history.canRedo).toBe(false);
    expect(history.undo(9)).toBe(2);
    expect(history.undo(2)).toBe(1);
    expect(history.undo(1)).toBeUndefined();
  });

  it('keeps a bounded number of steps, dropping the oldest', () => {
    const history = new BoxHistory<number>(3);
    for (let state = 0; state < 10; state++) history.record(state);
    expect([history.undo(10), history.undo(9), history.undo(8), history.undo(7)]).toEqual([9, 8, 7, undefined]);
  });

  it('merges edits in a row that share a coalesce key, and only those', () => {
    const history = new BoxHistory<number>(10);
    history.record(0, 'nudge-1');
    history.record(1, 'nudge-1');
    history.record(2, 'nudge-1');
    history.record(3, 'nudge-2');
    expect(history.undo(4)).toBe(3);
    expect(history.undo(3)).toBe(0);
  });
});

describe('the box editor', () => {
  it('makes every command one undo step that undo and redo walk exactly', () => {
    const { model } = editor();
    const states = [place(model)];
    const created = model.add({ x1: 10, y1: 10, x2: 110, y2: 60 }, 'cat');
    expect(created?.id).toBe('b1');
    states.push(place(model));
    model.add({ x1: 200, y1: 200, x2: 300, y2: 300 }, 'dog');
    states.push(place(model));
    const edits: ((model: BoxEditor) => unknown)[] = [
      (m) => m.setBox('b1', { x1: 20, y1: 20, x2: 120, y2: 70 }),
      (m) => m.nudge('b1', 1, 0),
      (m) => m.relabel('b2', 'puppy'),
      (m) => m.setHidden(['b2'], true),
      (m) => m.setLocked(['b1'], true),
      (m) => m.setLocked(['b1'], false),
      (m) => m.paste([{ label: 'bird', box: { x1: 0, y1: 0, x2: 50, y2: 50 } }], IMAGE),
      (m) => m.remove(['b1', 'b3']),
    ];
    for (const edit of edits) {
      edit(model);
      expect(place(model)).not.toEqual(states.at(-1));
      states.push(place(model));
    }
    for (let i = states.length - 2; i >= 0; i--) {
      expect(model.undo()).toBe(true);
      expect(place(model)).toEqual(states[i]);
    }
    expect(model.undo()).toBe(false);
    for (let i = 1; i < states.length; i++) {
      expect(model.redo()).toBe(true);
      expect(place(model)).toEqual(states[i]);
    }
    expect(model.redo()).toBe(false);
  });

  it('records no step for an edit that changes nothing', () => {
    const { model, changes } = editor();
    model.add({ x1: 10, y1: 10, x2: 20, y2: 20 }, 'cat');
    changes.length = 0;
    expect(model.setBox('b1', { x1: 10, y1: 10, x2: 20, y2: 20 })).toBe(false);
    expect(model.relabel('b1', 'cat')).toBe(false);
    expect(model.remove(['nope'])).toBe(0);
    expect(changes).toEqual([]);
    model.undo();
    expect(model.boxes).toEqual([]);
  });

  it('makes a whole drag one undo step, announcing each move as pending and the end as committed', () => {
    const { model, changes } = editor();
    model.add({ x1: 10, y1: 10, x2: 110, y2: 60 }, 'cat');
    changes.length = 0;
    model.beginGesture();
    for (let x = 11; x <= 40; x++) model.setBox('b1', { x1: x, y1: 10, x2: x + 100, y2: 60 });
    model.commitGesture();
    expect(changes).toHaveLength(31);
    expect(changes.slice(0, 30).every((change) => change.pending && change.changed[0] === 'b1')).toBe(true);
    expect(changes[29]?.boxes[0]?.box.x1).toBe(40);
    expect(changes[30]).toMatchObject({ pending: false, cause: 'edit', changed: ['b1'], removed: [] });
    model.undo();
    expect(model.boxes[0]?.box).toEqual({ x1: 10, y1: 10, x2: 110, y2: 60 });
    model.redo();
    expect(model.boxes[0]?.box.x1).toBe(40);
  });

  it('draws a box as one step: added while dragging, undone in one go; cancel puts things back', () => {
    const { model, changes } = editor();
    model.beginGesture();
    model.add({ x1: 10, y1: 10, x2: 12, y2: 12 }, 'cat');
    model.setBox('b1', { x1: 10, y1: 10, x2: 200, y2: 100 });
    model.commitGesture();
    expect(model.boxes).toHaveLength(1);
    model.undo();
    expect(model.boxes).toHaveLength(0);

    model.beginGesture();
    model.add({ x1: 10, y1: 10, x2: 50, y2: 50 }, 'dog');
    changes.length = 0;
    model.cancelGesture();
    expect(model.boxes).toEqual([]);
    expect(changes).toMatchObject([{ cause: 'cancel', removed: ['b2'], pending: false }]);
    // A cancelled draw changed nothing, so the undone box can still be redone.
    model.redo();
    expect(model.boxes.map((box) => box.label)).toEqual(['cat']);
  });

  it('cancels the gesture under way on undo, instead of undoing the step before it', () => {
    const { model } = editor();
    model.add({ x1: 10, y1: 10, x2: 110, y2: 60 }, 'cat');
    model.beginGesture();
    model.setBox('b1', { x1: 300, y1: 10, x2: 400, y2: 60 });
    expect(model.undo()).toBe(true);
    expect(model.boxes[0]?.box.x1).toBe(10);
    expect(model.inGesture).toBe(false);
  });

  it('coalesces a held arrow key into one step', () => {
    const { model } = editor();
    model.add({ x1: 10, y1: 10, x2: 110, y2: 60 }, 'cat');
    for (let i = 0; i < 50; i++) model.nudge('b1', 1, 0, 'hold-1');
    model.nudge('b1', 0, 10, 'hold-2');
    expect(model.boxes[0]?.box).toMatchObject({ x1: 60, y1: 20 });
    model.undo();
    expect(model.boxes[0]?.box).toMatchObject({ x1: 60, y1: 10 });
    model.undo();
    expect(model.boxes[0]?.box).toMatchObject({ x1: 10, y1: 10 });
  });

  it('clamps and normalises what it is given', () => {
    const { model } = editor();
    model.add({ x1: 1200, y1: 400, x2: 900, y2: -5 }, 'cat');
    expect(model.boxes[0]?.box).toEqual({ x1: 900, y1: 0, x2: 1000, y2: 400 });
    model.setBox('b1', { x1: 50, y1: 600, x2: -10, y2: 20 });
    expect(model.boxes[0]?.box).toEqual({ x1: 0, y1: 20, x2: 50, y2: 500 });
  });

  it('keeps locked boxes from moving and from deletion unless forced; they can still be relabelled', () => {
    const { model } = editor();
    model.add({ x1: 10, y1: 10, x2: 110, y2: 60 }, 'cat');
    model.setLocked(['b1'], true);
    expect(model.setBox('b1', { x1: 0, y1: 0, x2: 5, y2: 5 })).toBe(false);
    expect(model.nudge('b1', 5, 5)).toBe(false);
    expect(model.remove(['b1'])).toBe(0);
    expect(model.relabel('b1', 'tiger')).toBe(true);
    expect(model.remove(['b1'], true)).toBe(1);
  });

  it('pastes the boxes of another image at the same relative place, with new ids, as one step', () => {
    const { model, changes } = editor();
    const pasted = model.paste(
      [
        { label: 'cat', box: { x1: 100, y1: 50, x2: 300, y2: 150 } },
        { label: 'gone', box: { x1: 990, y1: 10, x2: 2000, y2: 20 } },
      ],
      { width: 2000, height: 1000 },
    );
    expect(pasted.map((box) => [box.id, box.label, box.box])).toEqual([
      ['b1', 'cat', { x1: 50, y1: 25, x2: 150, y2: 75 }],
      ['b2', 'gone', { x1: 495, y1: 5, x2: 1000, y2: 10 }],
    ]);
    expect(changes).toHaveLength(1);
    // Pasting onto the same boxes moves the copies into view.
    const again = model.paste([{ label: 'cat', box: { x1: 50, y1: 25, x2: 150, y2: 75 } }], IMAGE);
    expect(again[0]?.box).toEqual({ x1: 60, y1: 35, x2: 160, y2: 85 });
    model.undo();
    model.undo();
    expect(model.boxes).toEqual([]);
  });

  it('announces what changed, so a preview can update only that', () => {
    const { model, changes } = editor();
    model.add({ x1: 1, y1: 1, x2: 10, y2: 10 }, 'a');
    model.add({ x1: 1, y1: 1, x2: 10, y2: 10 }, 'b');
    model.relabel('b2', 'c');
    model.remove(['b1']);
    model.undo();
    expect(changes.map(({ changed, removed, cause, pending }) => ({ changed, removed, cause, pending }))).toEqual([
      { changed: ['b1'], removed: [], cause: 'edit', pending: false },
      { changed: ['b2'], removed: [], cause: 'edit', pending: false },
      { changed: ['b2'], removed: [], cause: 'edit', pending: false },
      { changed: [], removed: ['b1'], cause: 'edit', pending: false },
      { changed: ['b1'], removed: [], cause: 'undo', pending: false },
    ]);
    expect(changes.every((change) => change.imageKey === 'a.jpg')).toBe(true);
  });

  it('keeps each image’s history when moving between images, unless its boxes changed meanwhile', () => {
    const { model } = editor();
    model.add({ x1: 1, y1: 1, x2: 10, y2: 10 }, 'a');
    const left: readonly EditableBox[] = model.boxes;
    model.load('b.jpg', IMAGE, []);
    expect(model.canUndo).toBe(false);
    model.load('a.jpg', IMAGE, left.map((box) => ({ ...box })));
    expect(model.canUndo).toBe(true);
    model.undo();
    expect(model.boxes).toEqual([]);

    model.load('a.jpg', IMAGE, [{ id: 'x', label: 'edited elsewhere', box: { x1: 0, y1: 0, x2: 5, y2: 5 }, hidden: false, locked: false }]);
    expect(model.canUndo).toBe(false);
  });

  it('forgets the histories of images left long ago', () => {
    const { model } = editor({ imagesKept: 2 });
    model.add({ x1: 1, y1: 1, x2: 10, y2: 10 }, 'a');
    const left = model.boxes;
    model.load('b.jpg', IMAGE, []);
    model.load('c.jpg', IMAGE, []);
    model.load('a.jpg', IMAGE, left);
    expect(model.canUndo).toBe(false);
  });

  it('does not share objects with the caller, so later mutations of the input change nothing', () => {
    const { model } = editor();
    const input = [{ id: 'x', label: 'cat', box: { x1: 0, y1: 0, x2: 5, y2: 5 }, hidden: false, locked: false }];
    model.load('d.jpg', IMAGE, input);
    input[0]!.box.x2 = 500;
    expect(model.boxes[0]?.box.x2).toBe(5);
  });

  it('adds nothing before an image with an area is loaded', () => {
    const model = new BoxEditor();
    expect(model.add({ x1: 0, y1: 0, x2: 5, y2: 5 }, 'cat')).toBeNull();
    expect(model.paste([{ label: 'cat', box: { x1: 0, y1: 0, x2: 5, y2: 5 } }], IMAGE)).toEqual([]);
  });
});
