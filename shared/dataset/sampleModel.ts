/**
 * The editor's model of a dataset sample. Samples and turns are immutable: an edit returns a new
 * sample (undo is keeping the old one). The turn texts are the truth for the file; what the
 * editor draws — pictures and boxes in float pixels — is derived from them, so editing the text
 * moves a box and moving a box rewrites exactly that box's characters.
 *
 * A sample or turn read from a file keeps its `origin` (its place in the file and the values it
 * had); saving splices only what differs from the origin, so untouched samples stay byte-identical.
 */

import type { ParsedConversation } from './conversationCodec';
import { parseConversation } from './conversationCodec';
import type { ImageSize, PixelBox } from './coordinates';
import { boxFromQwen } from './coordinates';
import type { JsonNode, JsonValue } from './jsonSource';

/** Why a sample or turn in the file is not the shape finetune.py reads. */
export type ShapeIssueCode =
  | 'sample-not-object'
  | 'conversations-missing'
  | 'conversations-not-list'
  | 'turn-not-object'
  | 'from-missing'
  | 'from-not-string'
  | 'value-missing'
  | 'value-not-string'
  | 'duplicate-key';

export interface ShapeIssue {
  code: ShapeIssueCode;
  /** What was found instead (a JSON kind: "object", "number"…) or the duplicated key. */
  found?: string;
}

/** A box the editor placed in float pixels: while the text at `start` still holds the integers
 * those pixels export to (`coords`), the box is shown at exactly these pixels. */
export interface PixelHint {
  start: number;
  coords: PixelBox;
  pixels: PixelBox;
}

export interface TurnOrigin {
  /** The opened file's text, and the turn's node in it. */
  text: string;
  node: JsonNode;
  from: string;
  value: string;
  issues: readonly ShapeIssue[];
}

export interface Turn {
  /** `user` or `assistant` when valid; '' when the file had no string there. */
  readonly from: string;
  readonly value: string;
  readonly pixelHints?: readonly PixelHint[];
  readonly origin?: TurnOrigin;
}

export interface SampleOrigin {
  text: string;
  /** 0-based position in the opened file. */
  index: number;
  node: JsonNode;
  id: JsonValue | undefined;
  turns: readonly Turn[];
  reviewed: boolean;
  issues: readonly ShapeIssue[];
}

export interface EditableSample {
  /** Any JSON value the file had (a string when valid); undefined when absent. */
  readonly id: JsonValue | undefined;
  readonly turns: readonly Turn[];
  /** Stored as `"reviewed": true` in the sample; finetune.py reads only `conversations`. */
  readonly reviewed: boolean;
  readonly origin?: SampleOrigin;
}

export function createSample(id: string, turns: ReadonlyArray<{ from: string; value: string }>): EditableSample {
  return { id, turns: turns.map(({ from, value }) => ({ from, value })), reviewed: false };
}

/** The id as problems and lists show it: the string, or the JSON of another value. */
export function sampleIdText(sample: EditableSample): string | null {
  if (sample.id === undefined) return null;
  return typeof sample.id === 'string' ? sample.id : JSON.stringify(sample.id);
}

export function turnUnchanged(turn: Turn): boolean {
  return turn.origin !== undefined && turn.from === turn.origin.from && turn.value === turn.origin.value;
}

/** True when saving would write the sample's conversation exactly as the file had it. */
export function turnsUnchanged(sample: EditableSample): boolean {
  const origin = sample.origin;
  if (!origin) return false;
  if (sample.turns === origin.turns) return true;
  return sample.turns.length === origin.turns.length && sample.turns.every((turn, k) => turn.origin === origin.turns[k]?.origin && turnUnchanged(turn));
}

export function sampleUnchanged(sample: EditableSample): boolean {
  const origin = sample.origin;
  return origin !== undefined && sample.id === origin.id && sample.reviewed === origin.reviewed && turnsUnchanged(sample);
}

const parsedByTurns = new WeakMap<readonly Turn[], ParsedConversation>();

/** The parsed conversation, computed once per turns array (edits make a new array). */
export function conversationOf(sample: EditableSample): ParsedConversation {
  let parsed = parsedByTurns.get(sample.turns);
  if (!parsed) {
    parsed = parseConversation(sample.turns.map((turn) => turn.value));
    parsedByTurns.set(sample.turns, parsed);
  }
  return parsed;
}

export interface SampleImage {
  /** 0-based in the conversation: Picture image+1. */
  image: number;
  turn: number;
  segment: number;
  path: string;
  /** Range of `Picture N: <img>…</img>` in the turn's value. */
  start: number;
  end: number;
  pathStart: number;
  pathEnd: number;
}

export interface SampleBox {
  turn: number;
  segment: number;
  /** Range of `<box>…</box>` in the turn's value. */
  start: number;
  end: number;
  /** The integers in the text, in [0,1000) when valid. */
  coords: PixelBox;
  image: number | null;
  /** The `<ref>` label it belongs to, as written (the model's outputs may start with a space). */
  label: string | null;
  /** Float pixels on the image: the editor's own when it placed the box, else the integers
   * decoded (v/1000·size); null when the image or its size is unknown. */
  pixels: PixelBox | null;
}

export interface SampleView {
  images: SampleImage[];
  boxes: SampleBox[];
  conversation: ParsedConversation;
}

function sameBox(a: PixelBox, b: PixelBox): boolean {
  return a.x1 === b.x1 && a.y1 === b.y1 && a.x2 === b.x2 && a.y2 === b.y2;
}

/**
 * What the editor draws for a sample. `imageSize` gives a picture's size in the orientation
 * training sees (undefined while unknown).
 */
export function viewSample(sample: EditableSample, imageSize: (path: string) => ImageSize | undefined): SampleView {
  const conversation = conversationOf(sample);
  const images: SampleImage[] = conversation.pictures.map(({ turn, segment }) => ({
    image: segment.image,
    turn,
    segment: conversation.turns[turn]?.segments.indexOf(segment) ?? -1,
    path: segment.path,
    start: segment.start,
    end: segment.end,
    pathStart: segment.pathStart,
    pathEnd: segment.pathEnd,
  }));
  const boxes: SampleBox[] = [];
  conversation.turns.forEach((parsed, turn) => {
    const hints = sample.turns[turn]?.pixelHints ?? [];
    parsed.segments.forEach((segment, index) => {
      if (segment.kind !== 'box' || !segment.coords) return;
      const coords = segment.coords;
      const ref = segment.ref ? conversation.turns[segment.ref.turn]?.segments[segment.ref.segment] : undefined;
      const path = segment.image === null ? undefined : images[segment.image]?.path;
      const size = path === undefined ? undefined : imageSize(path);
      const hint = hints.find((candidate) => candidate.start === segment.start && sameBox(candidate.coords, coords));
      boxes.push({
        turn,
        segment: index,
        start: segment.start,
        end: segment.end,
        coords,
        image: segment.image,
        label: ref?.kind === 'ref' ? ref.label : null,
        pixels: size ? (hint?.pixels ?? boxFromQwen(coords, size)) : null,
      });
    });
  });
  return { images, boxes, conversation };
}
