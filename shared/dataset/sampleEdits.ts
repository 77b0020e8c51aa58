/**
 * Edits of an EditableSample. Each returns a new sample and leaves the old one untouched, so an
 * undo stack is a list of samples. Box edits rewrite only the characters of that box (and of
 * its ref when a delete leaves the ref without boxes).
 */

import type { ImageSize, PixelBox } from './coordinates';
import { DEFAULT_COORD_CEILING, boxToQwen, formatBox, formatRefBox } from './coordinates';
import type { RefSegment } from './conversationCodec';
import type { EditableSample, PixelHint, SampleBox, Turn } from './sampleModel';
import { conversationOf } from './sampleModel';

function withTurn(sample: EditableSample, index: number, change: (turn: Turn) => Turn): EditableSample {
  const turn = sample.turns[index];
  if (!turn) throw new RangeError(`sample has no turn ${index}`);
  const turns = sample.turns.slice();
  turns[index] = change(turn);
  return { ...sample, turns };
}

/** Hints after a replacement of [start, end) by `length` characters: those before stay, those
 * after move, those it touched are dropped (their box text changed). */
function shiftHints(hints: readonly PixelHint[] | undefined, start: number, end: number, length: number): PixelHint[] {
  const kept: PixelHint[] = [];
  for (const hint of hints ?? []) {
    if (hint.start + formatBox(hint.coords).length <= start) kept.push(hint);
    else if (hint.start >= end) kept.push({ ...hint, start: hint.start + length - (end - start) });
  }
  return kept;
}

function replaceRange(turn: Turn, start: number, end: number, text: string, hint?: PixelHint): Turn {
  const pixelHints = shiftHints(turn.pixelHints, start, end, text.length);
  if (hint) pixelHints.push(hint);
  return { ...turn, value: turn.value.slice(0, start) + text + turn.value.slice(end), pixelHints };
}

/** Any new text for a turn (typing in the editor). Boxes outside the changed stretch keep the
 * float pixels the editor gave them. */
export function setTurnValue(sample: EditableSample, turn: number, value: string): EditableSample {
  return withTurn(sample, turn, (old) => {
    const before = old.value;
    const limit = Math.min(before.length, value.length);
    let prefix = 0;
    while (prefix < limit && before.charCodeAt(prefix) === value.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === value.charCodeAt(value.length - 1 - suffix)) suffix++;
    return replaceRange(old, prefix, before.length - suffix, value.slice(prefix, value.length - suffix));
  });
}

export function setTurnRole(sample: EditableSample, turn: number, from: string): EditableSample {
  return withTurn(sample, turn, (old) => ({ ...old, from }));
}

export function insertTurn(sample: EditableSample, at: number, turn: { from: string; value: string }): EditableSample {
  const turns = sample.turns.slice();
  turns.splice(at, 0, { from: turn.from, value: turn.value });
  return { ...sample, turns };
}

export function removeTurn(sample: EditableSample, at: number): EditableSample {
  return { ...sample, turns: sample.turns.filter((_, k) => k !== at) };
}

export function setSampleId(sample: EditableSample, id: string): EditableSample {
  return { ...sample, id };
}

export function setReviewed(sample: EditableSample, reviewed: boolean): EditableSample {
  return { ...sample, reviewed };
}

/** The box (from viewSample) at new integers, written the official way. */
export function setBoxCoords(sample: EditableSample, box: SampleBox, coords: PixelBox): EditableSample {
  return withTurn(sample, box.turn, (turn) => replaceRange(turn, box.start, box.end, formatBox(coords)));
}

/**
 * The box (from viewSample) moved to float pixels on an image of `size`: the text gets the
 * integers the project rule exports (clamp(round(x/W·1000), 0, ceiling)); the view keeps
 * showing the exact pixels.
 */
export function setBoxPixels(sample: EditableSample, box: SampleBox, pixels: PixelBox, size: ImageSize, ceiling = DEFAULT_COORD_CEILING): EditableSample {
  const coords = boxToQwen(pixels, size, ceiling);
  return withTurn(sample, box.turn, (turn) => replaceRange(turn, box.start, box.end, formatBox(coords), { start: box.start, coords, pixels: { ...pixels } }));
}

/**
 * A new box at `offset` of a turn, `<ref>label</ref><box>…</box>` with a label, else a bare box.
 * It belongs to the latest picture before `offset`, so the caller picks the offset accordingly
 * (usually the end of the assistant turn).
 */
export function insertBox(sample: EditableSample, turn: number, offset: number, pixels: PixelBox, size: ImageSize, label?: string, ceiling = DEFAULT_COORD_CEILING): EditableSample {
  const coords = boxToQwen(pixels, size, ceiling);
  const text = label === undefined ? formatBox(coords) : formatRefBox(label, coords);
  const boxStart = offset + text.length - formatBox(coords).length;
  return withTurn(sample, turn, (old) => replaceRange(old, offset, offset, text, { start: boxStart, coords, pixels: { ...pixels } }));
}

/** Removes the box, and its `<ref>` too when that ref labels no other box and sits in the same
 * turn (a ref without boxes means nothing in an answer). */
export function deleteBox(sample: EditableSample, box: SampleBox): EditableSample {
  const conversation = conversationOf(sample);
  const segment = conversation.turns[box.turn]?.segments[box.segment];
  const ref = segment?.kind === 'box' ? segment.ref : null;
  let start = box.start;
  if (ref && ref.turn === box.turn) {
    const others = conversation.turns.some((parsed) => parsed.segments.some((other) => other !== segment && (other.kind === 'box' || other.kind === 'quad') && other.ref?.turn === ref.turn && other.ref.segment === ref.segment));
    const refSegment = conversation.turns[ref.turn]?.segments[ref.segment];
    if (!others && refSegment) start = refSegment.start;
  }
  return withTurn(sample, box.turn, (turn) => replaceRange(turn, start, box.end, ''));
}

/**
 * Every `<ref>from</ref>` of the sample says `to` instead (a merge when the sample already has
 * `to`); only the labels' characters change, so its boxes keep their text and pixel hints. The
 * sample itself is returned when it has no such ref.
 */
export function renameLabel(sample: EditableSample, from: string, to: string): EditableSample {
  let current = sample;
  conversationOf(sample).turns.forEach((parsed, turn) => {
    const refs = parsed.segments.filter((segment): segment is RefSegment => segment.kind === 'ref' && segment.label === from);
    // Last first, so the offsets of the earlier refs stay valid.
    if (refs.length > 0) current = withTurn(current, turn, (old) => refs.reduceRight((changed, ref) => replaceRange(changed, ref.labelStart, ref.labelEnd, to), old));
  });
  return current;
}
