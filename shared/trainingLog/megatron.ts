// Megatron-LM / MindSpeed-LLM / ModelLink iteration lines:
//  ` iteration        3/    1000 | consumed samples:          192 | … | lm loss: 1.303225E+00 | loss scale: 1.0 | grad norm: 9.847 | number of skipped iterations:   0 | number of nan iterations:   0 |`
// Fields are `key: value` between `|`. Skipped iterations have no loss field (older code prints a
// loss only if > 0); newer code prints `NAN`/`INF`. Only the last pipeline rank prints losses.

import { COLON, PIPE, SLASH, ascii, isAsciiLetter, isBlank, skipBlanks } from './bytes';
import type { KeyEntry, KeyTable } from './keys';
import type { NumberSlot } from './numberScan';
import { scanDigits, scanNumber } from './numberScan';
import type { RankSlot } from './rankPrefix';
import { readRankPrefix } from './rankPrefix';
import type { Layout, RecordScratch } from './record';
import { REJECT } from './record';

export const ITERATION = ascii('iteration');
export const MAX_LINE_BYTES = 8192;

export interface IterationKeys {
  step: KeyEntry;
  total: KeyEntry;
}

/** After `iteration` at `anchor`: `<spaces>n/<spaces>total<spaces>|`. Index of the `|`, else REJECT. */
function iterationField(buf: Uint8Array, anchor: number, end: number, keys: IterationKeys, record: RecordScratch, slot: NumberSlot): number {
  let k = anchor + ITERATION.length;
  if (!isBlank(buf[k])) return REJECT;
  while (k < end && isBlank(buf[k])) k++;
  if (!scanDigits(buf, k, end, slot) || buf[slot.end] !== SLASH) return REJECT;
  const step = slot.value;
  record.noteSlot(keys.step, k, slot.end, true);
  k = skipBlanks(buf, slot.end + 1, end);
  if (!scanDigits(buf, k, end, slot)) return REJECT;
  record.noteSlot(keys.total, k, slot.end, true);
  k = skipBlanks(buf, slot.end, end);
  if (k >= end || buf[k] !== PIPE) return REJECT;
  record.step = step;
  return k;
}

/** Parses `key: value |` fields in `buf[from, to)` into `record`; `closed` says whether `to` ends the
 * line (else a last field without `|` may be cut and is dropped). */
function readFields(buf: Uint8Array, from: number, to: number, closed: boolean, keys: KeyTable, layout: Layout, record: RecordScratch, slot: NumberSlot): void {
  let k = from;
  let index = 0;
  while (k < to) {
    k = skipBlanks(buf, k, to);
    const keyStart = k;
    let byte = buf[k];
    while (k < to && byte !== COLON && byte !== PIPE) byte = buf[++k];
    if (k >= to) break;
    if (byte === PIPE) {
      k++;
      continue;
    }
    let keyEnd = k;
    while (keyEnd > keyStart && isBlank(buf[keyEnd - 1])) keyEnd--;
    k = skipBlanks(buf, k + 1, to);
    let parsed = false;
    if (keyEnd > keyStart && scanNumber(buf, k, to, slot)) {
      let after = slot.end;
      // Units glued to the value (`121.1TFLOPS`) are allowed; anything else is not a number field.
      while (after < to && isAsciiLetter(buf[after])) after++;
      after = skipBlanks(buf, after, to);
      if (after < to ? buf[after] === PIPE : closed) {
        const key = keys.lookup(buf, keyStart, keyEnd, layout.at(index++));
        record.noteKey(key);
        record.noteSlot(key, k, slot.end);
        if (key.role === 'metric') record.add(key, slot.value);
        parsed = true;
      }
      k = after;
    }
    if (!parsed) record.templatable = false;
    while (k < to && buf[k] !== PIPE) k++;
    k++;
  }
}

/**
 * Scans the iteration line from its `iteration` word at `anchor` to `lineEnd`; `closed` says whether
 * a line break (rather than the end of the stream) ends it. Returns `lineEnd`, or REJECT.
 */
export function scanIterationFields(buf: Uint8Array, anchor: number, lineEnd: number, closed: boolean, iterationKeys: IterationKeys, keys: KeyTable, layout: Layout, record: RecordScratch, slot: NumberSlot): number {
  if (lineEnd - anchor > MAX_LINE_BYTES) return REJECT;
  const pipe = iterationField(buf, anchor, lineEnd, iterationKeys, record, slot);
  if (pipe < 0) return REJECT;
  readFields(buf, pipe + 1, lineEnd, closed, keys, layout, record, slot);
  return lineEnd;
}

/** What precedes `iteration` on its line: a rank prefix, and (Megatron-DeepSpeed) fields such as
 * `samples/sec: … |`; the text between the last `|` and `iteration` (a timestamp) is skipped. */
export function readIterationPrefix(buf: Uint8Array, lineStart: number, anchor: number, keys: KeyTable, layout: Layout, record: RecordScratch, slot: NumberSlot, rank: RankSlot): void {
  let fieldsStart = lineStart;
  if (readRankPrefix(buf, lineStart, anchor, rank)) {
    record.rank = rank.rank;
    fieldsStart = rank.end;
  }
  let prefixEnd = anchor;
  while (prefixEnd > fieldsStart && buf[prefixEnd - 1] !== PIPE) prefixEnd--;
  if (prefixEnd > fieldsStart) readFields(buf, fieldsStart, prefixEnd, true, keys, layout, record, slot);
}
