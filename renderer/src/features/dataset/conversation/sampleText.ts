// Whole-sample text edits the screen offers besides typing: adding a picture (and renumbering).

import { formatPicture, pictureLabel } from '../../../../../shared/dataset/conversationCodec';
import { setTurnValue } from '../../../../../shared/dataset/sampleEdits';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import { conversationOf } from '../../../../../shared/dataset/sampleModel';
import type { TextCursor } from './insertionPoint';
import { outsideTags } from './insertionPoint';

/** Applies text replacements of one turn, last first, so earlier offsets stay valid. */
function replaceAll(sample: EditableSample, turn: number, edits: Array<{ start: number; end: number; text: string }>): EditableSample {
  let value = sample.turns[turn]?.value ?? '';
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) value = value.slice(0, edit.start) + edit.text + value.slice(edit.end);
  return setTurnValue(sample, turn, value);
}

/** Gives every labelled picture its number in the conversation (1, 2, … across turns). */
export function renumberPictures(sample: EditableSample): EditableSample {
  let current = sample;
  const byTurn = new Map<number, Array<{ start: number; end: number; text: string }>>();
  for (const { turn, segment } of conversationOf(sample).pictures) {
    if (!segment.label || segment.label.number === segment.image + 1) continue;
    const edits = byTurn.get(turn) ?? [];
    edits.push({ start: segment.label.start, end: segment.label.end, text: pictureLabel(segment.image + 1) });
    byTurn.set(turn, edits);
  }
  for (const [turn, edits] of byTurn) current = replaceAll(current, turn, edits);
  return current;
}

/**
 * Adds `Picture N: <img>path</img>\n` at the caret when it is in a user turn, else at the end of
 * the last user turn's pictures (its start); later pictures are renumbered.
 */
export function addPicture(sample: EditableSample, path: string, caret: TextCursor | null): { sample: EditableSample; turn: number } {
  const conversation = conversationOf(sample);
  let at: TextCursor;
  if (caret && sample.turns[caret.turn]?.from === 'user') {
    at = outsideTags(conversation, caret, sample.turns[caret.turn]?.value.length ?? 0);
  } else {
    let turn = -1;
    sample.turns.forEach((candidate, k) => {
      if (candidate.from === 'user') turn = k;
    });
    if (turn === -1) {
      const first = { from: 'user', value: formatPicture(1, path) };
      return { sample: renumberPictures({ ...sample, turns: [first, ...sample.turns] }), turn: 0 };
    }
    const pictures = conversation.pictures.filter((picture) => picture.turn === turn);
    at = { turn, offset: pictures.at(-1)?.segment.end ?? 0 };
    // After the last picture's line break, so pictures stay one per line.
    if (pictures.length > 0 && sample.turns[turn]?.value.charAt(at.offset) === '\n') at = { turn, offset: at.offset + 1 };
  }
  const value = sample.turns[at.turn]?.value ?? '';
  const inserted = setTurnValue(sample, at.turn, value.slice(0, at.offset) + formatPicture(1, path) + value.slice(at.offset));
  return { sample: renumberPictures(inserted), turn: at.turn };
}
