// Record templates. A log repeats one record layout thousands of times — `{'loss': …, 'grad_norm': …,
// 'learning_rate': …, 'epoch': …}` or a Megatron iteration line — and only the numbers change. After
// a record has been parsed the slow, general way, the bytes between its numbers become a template;
// the next records are matched against it with a few 8-byte compares and number scans. A record the
// template does not match exactly goes the general way again, so results never depend on templates.

import { exactComparand } from './bytes';
import type { KeyEntry } from './keys';
import type { NumberSlot } from './numberScan';
import { scanDigits, scanNumber } from './numberScan';
import type { RecordScratch } from './record';

/** A number at most this long is remembered with the 16 bytes it starts, which include everything
 * scanNumber looks at to read it (the number plus up to 3 bytes of a rejected exponent). */
const MAX_REMEMBERED = 13;

/** After this many changes in a row a value is compared with the remembered one only once every
 * RETRY_MASK + 1 records. */
const MAX_MISSES = 2;
const RETRY_MASK = 15;

/** How a literal is compared. */
const WORDS = 0; // 8-byte words (the last one overlapping), each read as a float64 (see exactComparand)
const SHORT = 1; // under 8 bytes: two overlapping reads of 4, 2 or 1 bytes as integers
const BYTES = 2; // byte by byte: a literal with a word that is not an exact comparand

const KEY_METRIC = 0;
const KEY_STEP = 1;
const KEY_TIME = 2;
const KEY_OTHER = 3;

const scratch = new DataView(new ArrayBuffer(8));

function loadScratch(bytes: Uint8Array, pos: number): DataView {
  for (let k = 0; k < 8; k++) scratch.setUint8(k, bytes[pos + k] ?? 0);
  return scratch;
}

/** `bytes[pos…]` read as literalAt reads a word of the buffer. */
const wordAt = (bytes: Uint8Array, pos: number): number => loadScratch(bytes, pos).getFloat64(0, true);

/** `bytes[pos…]` read as literalAt reads `size` bytes (< 8) of the buffer. */
function shortAt(bytes: Uint8Array, pos: number, size: number): number {
  const view = loadScratch(bytes, pos);
  return size === 4 ? view.getInt32(0, true) : size === 2 ? view.getInt16(0, true) : view.getUint8(0);
}

export class RecordTemplate {
  /** Literal i (before value i; the last one after the last value) is `literalLength[i]` bytes,
   * compared as `literalKind[i]` says: WORDS with words[literalWord[i]…], SHORT with shortFirst[i]
   * and shortLast[i] read `shortSize[i]` bytes at a time, BYTES with `literals[i]`. All in flat
   * typed arrays, so that matching is one tight loop. */
  private readonly literalLength: Int32Array;
  private readonly literalKind: Uint8Array;
  private readonly literalWord: Int32Array;
  private readonly words: Float64Array;
  private readonly shortSize: Uint8Array;
  private readonly shortFirst: Float64Array;
  private readonly shortLast: Float64Array;
  private readonly literals: Uint8Array[];
  private readonly keys: KeyEntry[];
  private readonly keyRole: Uint8Array;
  /** 1 for values that must be plain digits, as the general parser read them. */
  private readonly digitsOnly: Uint8Array;
  /** Per value: the 16 bytes where it started last time (as two 8-byte comparands), its length (-1:
   * not remembered) and value. Fields that rarely change (batch size, loss scale, a learning rate
   * printed with 4 digits, epoch) then cost two compares instead of a scan. */
  private readonly lastBytes: Float64Array;
  private readonly lastBytes2: Float64Array;
  private readonly lastLength: Int32Array;
  private readonly lastValue: Float64Array;
  /** Per value: how many times in a row it was not what it was before (up to MAX_MISSES). */
  private readonly misses: Uint8Array;
  /** Records matched, for retrying values that keep changing every RETRY_MASK + 1 records. */
  private matches = 0;

  /**
   * Learns from the record parsed into `record`, which occupied `buf[start, end)` and whose values
   * were all numbers (see RecordScratch.templatable). Literals keep their padding: Megatron
   * right-aligns integers in fixed widths, so the padding changes only when a number gains a digit,
   * and then one record is parsed the general way and becomes the new template.
   */
  constructor(buf: Uint8Array, start: number, end: number, record: RecordScratch) {
    const count = record.slotCount;
    this.literals = [];
    for (let i = 0, previous = start; i <= count; i++) {
      this.literals.push(buf.slice(previous, i < count ? (record.slotStarts[i] ?? 0) : end));
      previous = record.slotEnds[i] ?? 0;
    }
    this.literalLength = Int32Array.from(this.literals, (literal) => literal.length);
    this.literalKind = new Uint8Array(count + 1);
    this.literalWord = new Int32Array(count + 1);
    this.shortSize = new Uint8Array(count + 1);
    this.shortFirst = new Float64Array(count + 1);
    this.shortLast = new Float64Array(count + 1);
    const words: number[] = [];
    this.literals.forEach((literal, i) => {
      const length = literal.length;
      if (length < 8) {
        const size = length >= 4 ? 4 : length >= 2 ? 2 : 1;
        this.literalKind[i] = SHORT;
        this.shortSize[i] = length === 0 ? 0 : size;
        if (length > 0) {
          this.shortFirst[i] = shortAt(literal, 0, size);
          this.shortLast[i] = shortAt(literal, length - size, size);
        }
        return;
      }
      // Whole words, then the last 8 bytes (overlapping the one before unless length is a multiple of 8).
      const offsets = [...Array.from({ length: (length - 1) >> 3 }, (_, w) => 8 * w), length - 8];
      const comparands = offsets.map((offset) => wordAt(literal, offset));
      this.literalKind[i] = comparands.every(exactComparand) ? WORDS : BYTES;
      this.literalWord[i] = words.length;
      words.push(...comparands);
    });
    this.words = Float64Array.from(words);
    this.keys = record.slotKeys.slice(0, count);
    this.keyRole = Uint8Array.from(this.keys, (key) => (key.role === 'metric' ? KEY_METRIC : key.role === 'step' ? KEY_STEP : key.role === 'time' ? KEY_TIME : KEY_OTHER));
    this.digitsOnly = Uint8Array.from(record.slotDigits.slice(0, count));
    this.lastBytes = new Float64Array(count);
    this.lastBytes2 = new Float64Array(count);
    this.lastLength = new Int32Array(count).fill(-1);
    this.lastValue = new Float64Array(count);
    this.misses = new Uint8Array(count);
  }

  /** Whether literal i is at `buf[k…]`, which has room for it. */
  private literalAt(data: DataView, buf: Uint8Array, i: number, k: number, length: number): boolean {
    const kind = this.literalKind[i];
    if (kind === WORDS) {
      const words = this.words;
      let w = this.literalWord[i] as number;
      const last = k + length - 8;
      for (let at = k; at < last; at += 8) if (data.getFloat64(at, true) !== words[w++]) return false;
      return data.getFloat64(last, true) === words[w];
    }
    if (kind === SHORT) {
      const size = this.shortSize[i];
      if (size === 4) return data.getInt32(k, true) === this.shortFirst[i] && data.getInt32(k + length - 4, true) === this.shortLast[i];
      if (size === 2) return data.getInt16(k, true) === this.shortFirst[i] && data.getInt16(k + length - 2, true) === this.shortLast[i];
      return size === 0 || buf[k] === this.shortFirst[i];
    }
    const literal = this.literals[i] as Uint8Array;
    for (let j = 0; j < length; j++) if (buf[k + j] !== literal[j]) return false;
    return true;
  }

  /** Matches the record at `start` (before `end`) into `record`; returns its end, or -1 (then parse
   * it the general way). `data` views the same memory as `buf`. */
  match(data: DataView, buf: Uint8Array, start: number, end: number, record: RecordScratch, slot: NumberSlot): number {
    const { literalLength, lastBytes, lastBytes2, lastLength, lastValue, misses } = this;
    const count = this.keys.length;
    this.matches++;
    let k = start;
    for (let i = 0; ; i++) {
      const length = literalLength[i] as number;
      if (k + length > end || !this.literalAt(data, buf, i, k, length)) return -1;
      k += length;
      if (i === count) return k;
      let value: number;
      // A value that changed the last few times (a loss, a sample count) is likely to change again:
      // comparing and remembering it costs more than it saves, so it is only tried now and then.
      const tryRemembered = (misses[i] as number) < MAX_MISSES || (this.matches & RETRY_MASK) === 0;
      const fits = tryRemembered && k + 16 <= end;
      const bytes = fits ? data.getFloat64(k, true) : NaN;
      const bytes2 = fits ? data.getFloat64(k + 8, true) : NaN;
      if (fits && (lastLength[i] as number) >= 0 && bytes === lastBytes[i] && bytes2 === lastBytes2[i]) {
        value = lastValue[i] as number;
        k += lastLength[i] as number;
        misses[i] = 0;
      } else {
        if (this.digitsOnly[i] === 1 ? !scanDigits(buf, k, end, slot) : !scanNumber(buf, k, end, slot)) return -1;
        value = slot.value;
        if (tryRemembered) {
          const valueLength = slot.end - k;
          // (exactComparand written out: a double passed to a call that is not inlined is boxed.)
          if (valueLength <= MAX_REMEMBERED && bytes === bytes && bytes !== 0 && bytes2 === bytes2 && bytes2 !== 0) {
            lastBytes[i] = bytes;
            lastBytes2[i] = bytes2;
            lastLength[i] = valueLength;
            lastValue[i] = value;
          } else lastLength[i] = -1;
          if ((misses[i] as number) < MAX_MISSES) misses[i] = (misses[i] as number) + 1;
        }
        k = slot.end;
      }
      const role = this.keyRole[i];
      if (role === KEY_METRIC) record.addKey(this.keys[i] as KeyEntry).values[record.count - 1] = value;
      else if (role === KEY_STEP) record.step = value;
      else if (role === KEY_TIME) record.time = value;
    }
  }
}
