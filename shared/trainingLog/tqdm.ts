// tqdm progress bars: `\r 17%|█▋        | 1/6 [00:00<00:00,  6.66it/s]`. Bars are never parsed
// one by one (a raw log holds millions of frames); only the frame just before a record is read,
// backwards from the record, for its `n` — the optimizer step the Trainer has reached.

import { LBRACKET, SPACE, isDigit } from './bytes';

/** The `n` of a `n/total [` counter whose `[` is at `bracket`, or -1. */
export function counterAt(buf: Uint8Array, bracket: number): number {
  if (buf[bracket - 1] !== SPACE) return -1;
  let k = bracket - 2;
  const totalEnd = k;
  while (k >= 0 && isDigit(buf[k])) k--;
  if (k === totalEnd || buf[k] !== 0x2f) return -1;
  const slash = k;
  k--;
  while (k >= 0 && isDigit(buf[k])) k--;
  if (k === slash - 1 || slash - 1 - k > 15) return -1;
  const before = buf[k];
  if (k >= 0 && before !== SPACE && before !== 0x7c) return -1;
  let n = 0;
  for (let j = k + 1; j < slash; j++) n = n * 10 + ((buf[j] ?? 0) - 0x30);
  return n;
}

/** Four `[` bytes, for finding one among four bytes at once. */
const BRACKETS = 0x5b5b5b5b;
/** Eight spaces read as a float64: the clear-line before a dict is skipped eight bytes at a time. */
const EIGHT_SPACES = new DataView(Uint8Array.from('        ', (char) => char.charCodeAt(0)).buffer).getFloat64(0, true);

/** The `n` of the counter lastCounter() found last (a typed array: n may not be a small integer,
 * and a module-level `let` holding any other number is a heap allocation per store). */
const found = new Float64Array(1);

/** Where the last tqdm counter in `buf[lowerBound, before)` starts (its `[`), or -1; its `n` is
 * then lastCounterValue(). `data` views the same memory: what lies between a counter and the
 * record after it — the line tqdm clears before a dict (dozens of spaces), the rest of the frame —
 * is skipped eight spaces or four bytes without a `[` at a time. */
export function lastCounter(buf: Uint8Array, data: DataView, before: number, lowerBound: number): number {
  let k = before - 1;
  while (k >= lowerBound) {
    while (k - 7 >= lowerBound && data.getFloat64(k - 7, true) === EIGHT_SPACES) k -= 8;
    while (k - 3 >= lowerBound) {
      // Whether a byte of the word is '[' (the classic "has a zero byte" test on word ^ BRACKETS).
      const x = data.getInt32(k - 3, true) ^ BRACKETS;
      if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
      k -= 4;
    }
    const stop = Math.max(lowerBound, k - 3);
    for (; k >= stop; k--) {
      if (buf[k] !== LBRACKET) continue;
      const n = counterAt(buf, k);
      if (n >= 0) {
        found[0] = n;
        return k;
      }
    }
  }
  return -1;
}

/** The `n` of the counter the last successful lastCounter() call found. */
export function lastCounterValue(): number {
  return found[0] as number;
}

/** The `n` of the last tqdm counter in `buf[lowerBound, before)`, or -1. */
export function counterBefore(buf: Uint8Array, data: DataView, before: number, lowerBound: number): number {
  return lastCounter(buf, data, before, lowerBound) < 0 ? -1 : lastCounterValue();
}

/** The `n` of the first tqdm counter in `buf[from, end)`, or -1 (for a loss in a bar's description). */
export function counterAfter(buf: Uint8Array, from: number, end: number): number {
  for (let k = from; k < end; k++) {
    if (buf[k] === LBRACKET) {
      const n = counterAt(buf, k);
      if (n >= 0) return n;
    }
  }
  return -1;
}

const RATE_UNITS = ['it/s]', 's/it]', 'it/s,', 's/it,'];

/** Whether `buf[start, end)` holds a tqdm bar: a counter followed by a rate like `6.66it/s]`. */
export function hasProgressBar(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    if (buf[k] !== LBRACKET || counterAt(buf, k) < 0) continue;
    const window = String.fromCharCode(...buf.subarray(k, Math.min(end, k + 48)));
    if (RATE_UNITS.some((unit) => window.includes(unit))) return true;
  }
  return false;
}
