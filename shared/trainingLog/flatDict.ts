// A flat mapping `{key: value, …}` in Python repr (HF Trainer's `str(logs)`) or JSON syntax
// (LLaMA-Factory's trainer_log.jsonl, trainer_state.json's log_history), scanned in place.
// Nested values reject the record: trainer_state.json's outer object must not swallow its entries.

import { BACKSLASH, COLON, COMMA, CR, DQUOTE, LBRACE, LBRACKET, LF, QUOTE, RBRACE, SPACE, SLASH, TAB, ascii, isAsciiLetter, matchesAt } from './bytes';
import { parseDuration } from './durations';
import type { KeyEntry, KeyTable } from './keys';
import type { NumberSlot } from './numberScan';
import { exponentCut, scanNumber } from './numberScan';
import type { Layout, RecordScratch } from './record';
import { INCOMPLETE, REJECT, TRUNCATED } from './record';
import { decodeUtf8 } from './utf8';

/** Longer than any real log record (an eval dict with dozens of metrics is ~2 KB). */
export const MAX_DICT_BYTES = 16384;

function skipSpace(buf: Uint8Array, pos: number, end: number): number {
  let k = pos;
  while (k < end) {
    const byte = buf[k];
    if (byte === SPACE || byte === TAB || byte === LF || byte === CR) k++;
    else break;
  }
  return k;
}

const RAN_OUT = -1;
const BROKEN = -2;

/** Index of the quote closing the string opened at `open`; RAN_OUT at `end`, BROKEN at a newline. */
function closingQuote(buf: Uint8Array, open: number, end: number): number {
  const quote = buf[open];
  for (let k = open + 1; k < end; k++) {
    const byte = buf[k];
    if (byte === quote) return k;
    if (byte === BACKSLASH) k++;
    else if (byte === LF) return BROKEN;
  }
  return RAN_OUT;
}

const LITERALS = ['None', 'null', 'True', 'true', 'False', 'false'].map(ascii);
/** `-Infinity`: the longest word a value can be. */
const LONGEST_TOKEN = 9;

/** Length of a None / null / True / False literal at `pos`, else 0. */
function literalLength(buf: Uint8Array, pos: number): number {
  for (const literal of LITERALS) if (matchesAt(buf, pos, literal) && !isAsciiLetter(buf[pos + literal.length])) return literal.length;
  return 0;
}

/**
 * Scans the mapping opening at `start` (a `{`) into `record`. Returns the index after its `}`,
 * REJECT when the bytes are not a flat mapping, INCOMPLETE when `buf` ends first, TRUNCATED when the
 * stream does.
 */
export function scanFlatDict(buf: Uint8Array, start: number, final: boolean, keys: KeyTable, layout: Layout, record: RecordScratch, slot: NumberSlot): number {
  const cap = start + MAX_DICT_BYTES;
  const end = Math.min(buf.length, cap);
  // Running out of bytes means "wait for more" unless the stream ended or the record is too long.
  const cut = end === cap ? REJECT : final ? TRUNCATED : INCOMPLETE;
  let k = skipSpace(buf, start + 1, end);
  if (buf[k] === RBRACE) return k + 1;
  for (let index = 0; ; index++) {
    if (k >= end) return cut;
    const open = buf[k];
    if (open !== QUOTE && open !== DQUOTE) return REJECT;
    // Most records repeat the previous one's keys: one compare instead of scanning and hashing.
    const expected = layout.at(index);
    let key: KeyEntry;
    let close: number;
    if (expected !== undefined && buf[k + 1 + expected.bytes.length] === open && matchesAt(buf, k + 1, expected.bytes)) {
      key = expected;
      close = k + 1 + expected.bytes.length;
    } else {
      close = closingQuote(buf, k, end);
      if (close < 0) return close === RAN_OUT ? cut : REJECT;
      key = keys.lookup(buf, k + 1, close, undefined);
    }
    record.noteKey(key);
    k = skipSpace(buf, close + 1, end);
    if (k >= end) return cut;
    if (buf[k] !== COLON) return REJECT;
    k = skipSpace(buf, k + 1, end);
    if (k >= end) return cut;
    const first = buf[k];
    if (first === QUOTE || first === DQUOTE) {
      const valueEnd = closingQuote(buf, k, end);
      if (valueEnd < 0) return valueEnd === RAN_OUT ? cut : REJECT;
      if (readQuotedValue(buf, k + 1, valueEnd, key, record, slot)) record.noteSlot(key, k + 1, valueEnd);
      else record.templatable = false;
      k = valueEnd + 1;
    } else if (scanNumber(buf, k, end, slot)) {
      record.noteSlot(key, k, slot.end);
      k = slot.end;
      if (k >= end || (cut === INCOMPLETE && exponentCut(buf, k, end))) return cut;
      if (key.role === 'metric') record.add(key, slot.value);
      else if (key.role === 'step') record.step = slot.value;
      else if (key.role === 'time') record.time = slot.value;
    } else {
      const length = literalLength(buf, k);
      // A literal cut by the end of the buffer may still complete (while more bytes can come, as far
      // as the longest token, `-Infinity`); anything else is not flat.
      if (length === 0) return first === LBRACE || first === LBRACKET || end - k > (cut === INCOMPLETE ? LONGEST_TOKEN : 5) ? REJECT : cut;
      record.templatable = false;
      k += length;
    }
    k = skipSpace(buf, k, end);
    if (k >= end) return cut;
    const separator = buf[k];
    if (separator === RBRACE) return k + 1;
    if (separator !== COMMA) return REJECT;
    k = skipSpace(buf, k + 1, end);
  }
}

/** transformers 5.x prints every float quoted ('5.072'); ms-swift adds '45/176' and durations.
 * Returns whether the value was a plain number (which a template can then expect). */
function readQuotedValue(buf: Uint8Array, start: number, end: number, key: KeyEntry, record: RecordScratch, slot: NumberSlot): boolean {
  if (key.role === 'time') {
    record.time = parseDuration(decodeUtf8(buf, start, end));
    return false;
  }
  if (!scanNumber(buf, start, end, slot)) return false;
  if (key.role === 'step-of-total') {
    if (buf[slot.end] === SLASH) record.step = slot.value;
    return false;
  }
  if (slot.end !== end) return false;
  if (key.role === 'metric') record.add(key, slot.value);
  else if (key.role === 'step') record.step = slot.value;
  return true;
}
