// The boxes of one picture exist twice: as text in the sample's turns (the truth for the file)
// and as EditableBoxes on the canvas (ids, float pixels, hidden/locked). This module keeps them
// in step. A sample box and a canvas box are paired by position: `ids[k]` is the canvas id of
// the k-th box of the picture in text order, which survives edits because inserting, moving or
// relabelling a box never reorders the others.

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import { boxToQwen, formatBox } from '../../../../../shared/dataset/coordinates';
import { deleteBox, insertBox, insertTurn, setBoxPixels, setTurnValue } from '../../../../../shared/dataset/sampleEdits';
import type { EditableSample, SampleBox } from '../../../../../shared/dataset/sampleModel';
import { conversationOf, viewSample } from '../../../../../shared/dataset/sampleModel';
import type { TextCursor } from '../conversation/insertionPoint';
import { insertionPoint } from '../conversation/insertionPoint';
import { sameBox } from '../editing/boxGeometry';
import type { EditableBox } from '../editing/editableBox';

export type SizeOf = (path: string) => ImageSize | undefined;

/** The boxes of picture `image` that can be drawn (coordinates readable, image size known), in text order. */
export function pictureBoxes(sample: EditableSample, image: number, sizeOf: SizeOf): SampleBox[] {
  return viewSample(sample, sizeOf).boxes.filter((box) => box.image === image && box.pixels !== null);
}

/**
 * The canvas boxes for a picture's text boxes. Ids (and hidden/locked) carry over from the
 * boxes shown before where the lists still line up: all of them when the count is the same
 * (a text edit moved or relabelled boxes), else the unchanged run at each end.
 */
export function canvasBoxes(boxes: readonly SampleBox[], previous: readonly EditableBox[], createId: () => string): EditableBox[] {
  const fresh = (box: SampleBox, kept?: EditableBox): EditableBox => ({
    id: kept?.id ?? createId(),
    label: box.label ?? '',
    box: { ...(box.pixels as PixelBox) },
    hidden: kept?.hidden ?? false,
    locked: kept?.locked ?? false,
  });
  if (boxes.length === previous.length) return boxes.map((box, k) => fresh(box, previous[k]));
  const same = (box: SampleBox | undefined, kept: EditableBox | undefined) => box !== undefined && kept !== undefined && box.pixels !== null && sameBox(box.pixels, kept.box) && (box.label ?? '') === kept.label;
  let head = 0;
  while (same(boxes[head], previous[head])) head++;
  let tail = 0;
  while (tail < boxes.length - head && tail < previous.length - head && same(boxes[boxes.length - 1 - tail], previous[previous.length - 1 - tail])) tail++;
  return boxes.map((box, k) => {
    if (k < head) return fresh(box, previous[k]);
    if (k >= boxes.length - tail) return fresh(box, previous[previous.length - (boxes.length - k)]);
    return fresh(box);
  });
}

function boxCount(sample: EditableSample, address: { turn: number; segment: number }): number {
  let count = 0;
  for (const parsed of conversationOf(sample).turns) {
    for (const segment of parsed.segments) {
      if ((segment.kind === 'box' || segment.kind === 'quad') && segment.ref?.turn === address.turn && segment.ref.segment === address.segment) count++;
    }
  }
  return count;
}

/** The end of the run of boxes (and blanks between them) that starts at `offset` of a turn. */
function runEnd(sample: EditableSample, turn: number, offset: number): number {
  const value = sample.turns[turn]?.value ?? '';
  let end = offset;
  for (const segment of conversationOf(sample).turns[turn]?.segments ?? []) {
    if (segment.end <= end) continue;
    if (segment.start > end) break;
    if (segment.kind === 'box' || segment.kind === 'quad') end = segment.end;
    else if (segment.kind === 'text' && value.slice(end, segment.end).trim() === '') end = segment.end;
    else break;
  }
  return end;
}

/** Where a box now sits, by its start in a turn: its index among the picture's boxes. */
function indexAt(sample: EditableSample, image: number, sizeOf: SizeOf, turn: number, start: number): number {
  return pictureBoxes(sample, image, sizeOf).findIndex((box) => box.turn === turn && box.start === start);
}

interface Placed {
  sample: EditableSample;
  turn: number;
  start: number;
}

/**
 * A box's label changed on the canvas. When its `<ref>` labels only this box, the ref's text is
 * renamed; when the ref groups other boxes too (or there is none), the box leaves the group and
 * is written again as `<ref>label</ref><box>…</box>` after the group, so no other box changes label.
 */
export function relabelBox(sample: EditableSample, box: SampleBox, label: string, pixels: PixelBox, size: ImageSize): Placed {
  const segment = conversationOf(sample).turns[box.turn]?.segments[box.segment];
  const ref = segment?.kind === 'box' ? segment.ref : null;
  const refSegment = ref ? conversationOf(sample).turns[ref.turn]?.segments[ref.segment] : undefined;
  if (ref && refSegment?.kind === 'ref' && boxCount(sample, ref) === 1) {
    const value = sample.turns[ref.turn]?.value ?? '';
    const renamed = setTurnValue(sample, ref.turn, value.slice(0, refSegment.labelStart) + label + value.slice(refSegment.labelEnd));
    const shift = ref.turn === box.turn && refSegment.start < box.start ? label.length - refSegment.label.length : 0;
    return { sample: renamed, turn: box.turn, start: box.start + shift };
  }
  const without = deleteBox(sample, box);
  const offset = runEnd(without, box.turn, box.start);
  const inserted = insertBox(without, box.turn, offset, pixels, size, label);
  return { sample: inserted, turn: box.turn, start: offset + `<ref>${label}</ref>`.length };
}

export interface CanvasEdit {
  sample: EditableSample;
  /** Canvas ids in text order after the edit. */
  ids: string[];
  /** Where the caret should go: after the last box written at the cursor. */
  cursor: TextCursor | null;
}

/**
 * Writes what the canvas now shows for picture `image` into the sample: deleted boxes leave the
 * text, moved ones get new integers (keeping their exact pixels as hints), relabelled ones are
 * renamed, and new ones go in at the insertion point (the cursor when it is bound to this
 * picture), joining the ref group of the same label they follow.
 */
export function applyCanvasBoxes(
  sample: EditableSample,
  image: number,
  size: ImageSize,
  sizeOf: SizeOf,
  ids: readonly string[],
  boxes: readonly EditableBox[],
  cursor: TextCursor | null,
): CanvasEdit {
  let current = sample;
  const order = [...ids];
  const wanted = new Map(boxes.map((box) => [box.id, box]));
  let caret = cursor;

  for (let k = order.length - 1; k >= 0; k--) {
    if (wanted.has(order[k] as string)) continue;
    const gone = pictureBoxes(current, image, sizeOf)[k];
    if (gone) current = deleteBox(current, gone);
    order.splice(k, 1);
  }

  for (let k = 0; k < order.length; k++) {
    const want = wanted.get(order[k] as string);
    const have = pictureBoxes(current, image, sizeOf)[k];
    if (!want || !have?.pixels) continue;
    if (!sameBox(have.pixels, want.box)) current = setBoxPixels(current, have, want.box, size);
    if (want.label !== '' && want.label !== (have.label ?? '')) {
      const moved = pictureBoxes(current, image, sizeOf)[k];
      if (!moved) continue;
      const placed = relabelBox(current, moved, want.label, want.box, size);
      current = placed.sample;
      const id = order.splice(k, 1)[0] as string;
      const at = indexAt(current, image, sizeOf, placed.turn, placed.start);
      order.splice(at, 0, id);
      // The box left its group for a later place: the box that took index k is not checked yet.
      if (at !== k) k--;
    }
  }

  const known = new Set(order);
  for (const box of boxes) {
    if (known.has(box.id)) continue;
    const point = insertionPoint(current, image, caret);
    if (point.appendTurn) current = insertTurn(current, point.turn, { from: 'assistant', value: '' });
    const label = box.label === '' || joinsGroup(current, point.turn, point.offset, box.label) ? undefined : box.label;
    const before = current.turns[point.turn]?.value.length ?? 0;
    current = insertBox(current, point.turn, point.offset, box.box, size, label);
    const end = point.offset + (current.turns[point.turn]?.value.length ?? 0) - before;
    const start = end - formatBox(boxToQwen(box.box, size)).length;
    order.splice(indexAt(current, image, sizeOf, point.turn, start), 0, box.id);
    caret = { turn: point.turn, offset: end };
  }
  return { sample: current, ids: order, cursor: caret };
}

/** True when the text just before `offset` is a box of a `<ref>` named `label`: a new box of the
 * same label joins that group (`<ref>cat</ref><box>…</box><box>…</box>`) as the templates write it. */
function joinsGroup(sample: EditableSample, turn: number, offset: number, label: string): boolean {
  const conversation = conversationOf(sample);
  const before = conversation.turns[turn]?.segments.find((segment) => segment.end === offset && segment.kind !== 'text');
  if (before?.kind !== 'box' || !before.ref) return false;
  const ref = conversation.turns[before.ref.turn]?.segments[before.ref.segment];
  return ref?.kind === 'ref' && ref.label === label;
}
