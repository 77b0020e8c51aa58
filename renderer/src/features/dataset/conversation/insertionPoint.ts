// Where a box drawn on a picture goes in the conversation's text. Qwen-VL binds a box to the
// latest picture before it, across turns, so the text offset decides which image a box is on:
// the cursor is used when it sits where the picture is bound, else the last place that is.

import type { ParsedConversation } from '../../../../../shared/dataset/conversationCodec';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import { conversationOf } from '../../../../../shared/dataset/sampleModel';

/** A caret in a turn's textarea: UTF-16 offset in the turn's value. */
export interface TextCursor {
  turn: number;
  offset: number;
}

/** Where to insert; `appendTurn` asks for a new, empty assistant turn at the end first. */
export interface InsertionPoint {
  turn: number;
  offset: number;
  appendTurn: boolean;
}

/** The 0-based picture a box written at this place belongs to, null before any picture. */
export function pictureBoundAt(conversation: ParsedConversation, cursor: TextCursor): number | null {
  let bound: number | null = null;
  for (const { turn, segment } of conversation.pictures) {
    if (turn > cursor.turn || (turn === cursor.turn && segment.end > cursor.offset)) break;
    bound = segment.image;
  }
  return bound;
}

/** The cursor moved out of a tag it sits inside (a box must not split `<box>…</box>`). */
export function outsideTags(conversation: ParsedConversation, cursor: TextCursor, length: number): TextCursor {
  const segments = conversation.turns[cursor.turn]?.segments ?? [];
  const offset = Math.min(Math.max(cursor.offset, 0), length);
  const inside = segments.find((segment) => segment.kind !== 'text' && segment.start < offset && offset < segment.end);
  return { turn: cursor.turn, offset: inside ? inside.end : offset };
}

/**
 * Where a new box of picture `image` goes: at the cursor when the cursor is bound to that
 * picture; otherwise just before the next picture, or at the end of the conversation, where an
 * answer is opened when the last turn is the user's.
 */
export function insertionPoint(sample: EditableSample, image: number, cursor: TextCursor | null): InsertionPoint {
  const conversation = conversationOf(sample);
  const turns = sample.turns;
  if (cursor && cursor.turn < turns.length) {
    const inside = outsideTags(conversation, cursor, turns[cursor.turn]?.value.length ?? 0);
    if (pictureBoundAt(conversation, inside) === image) return { ...inside, appendTurn: false };
  }
  const next = conversation.pictures[image + 1];
  if (next) {
    if (next.segment.start > 0) return { turn: next.turn, offset: next.segment.start, appendTurn: false };
    // The next picture opens its turn (never the first turn: this picture comes before it).
    const previous = next.turn - 1;
    return { turn: previous, offset: turns[previous]?.value.length ?? 0, appendTurn: false };
  }
  const last = turns.length - 1;
  const lastTurn = turns[last];
  if (!lastTurn || lastTurn.from !== 'assistant') return { turn: turns.length, offset: 0, appendTurn: true };
  return { turn: last, offset: lastTurn.value.length, appendTurn: false };
}
