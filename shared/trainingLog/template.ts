// Record templates. A log repeats one record layout thousands of times — `{'loss': …, 'grad_norm': …,
// 'learning_rate': …, 'epoch': …}` or a Megatron iteration line — and only the numbers change. After
// a record has been parsed the slow, general way, the bytes between its numbers become a template;
// the next records are matched against it with a few 8-byte compares and number scans. A record the
// template does not match exactly goes the general way again, so results never depend on templates.
// Values that stay the same line after line (a batch size, a loss scale, a total) are then frozen
// into the literals around them: the bytes are compared anyway, so such a value costs nothing more.

import { exactComparand } from './bytes';
import type { KeyEntry } from './keys';
import { NumberSlot, scanDigits, scanNumber } from './numberScan';
import type { RecordScratch } from './record';

/** A number at most this long is remembered with the 16 bytes it starts, which include everything
 * scanNumber looks at to read it (the number plus up to 3 bytes of a rejected exponent). */
const MAX_REMEMBERED = 13;

/** After this many changes in a row a value is compared with the remembered one only once every
 * RETRY_MASK + 1 records. */
const MAX_MISSES = 2;
const RETRY_MASK = 15;

/** A value read from the same bytes this many records in a row makes the template freezable. Each
 * freeze, and each change of a frozen value, sends one record the general way: a value must stay
 * put long enough to pay for that. */
const FREEZE_AFTER = 256;

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

/** Where a frozen value is read. */
const frozenSlot = new NumberSlot();

/**
 * Whether slot i of the record can become part of a literal: the literal then covers the value and
 * the byte after it, which must be all that scanNumber looked at — so not an `e`/`E` that it read
 * as the start of an exponent and rejected.
 */
function freezable(buf: Uint8Array, record: RecordScratch, i: number, end: number): boolean {
  const valueEnd = record.slotEnds[i] ?? 0;
  const next = i + 1 < record.slotCount ? (record.slotStarts[i + 1] ?? 0) : end;
  return valueEnd < next && ((buf[valueEnd] ?? 0) | 0x20) !== 0x65;
}

export class RecordTemplate {
  /** Literal j (before variable value j; the last one after the last) is `literalLength[j]` bytes,
   * compared as `literalKind[j]` says: WORDS with words[literalWord[j]…], SHORT with shortFirst[j]
   * and shortLast[j] read `shortSize[j]` bytes at a time, BYTES with `literals[j]`. All in flat
   * typed arrays, so that matching is one tight loop. */
  private readonly literalLength: Int32Array;
  private readonly literalKind: Uint8Array;
  private readonly literalWord: Int32Array;
  private readonly words: Float64Array;
  private readonly shortSize: Uint8Array;
  private readonly shortFirst: Float64Array;
  private readonly shortLast: Float64Array;
  private readonly literals: Uint8Array[];
  /** The slot of each variable value; the other slots are frozen into the literals. */
  private readonly variable: Int32Array;
  /** Per slot, in record order. */
  private readonly keys: KeyEntry[];
  private readonly keyRole: Uint8Array;
  /** 1 for values that must be plain digits, as the general parser read them. */
  private readonly digitsOnly: Uint8Array;
  /** 1 for a value that is part of the literals. */
  private readonly frozen: Uint8Array;
  /** 1 for a variable value that may be frozen (see freezable()). */
  private readonly canFreeze: Uint8Array;
  /** The value of each slot: frozen, or read by the last match. */
  private readonly values: Float64Array;
  /** Per slot: the 16 bytes where it started last time (as two 8-byte comparands), its length (-1:
   * not remembered) and value. Fields that rarely change (a learning rate printed with 4 digits,
   * epoch) then cost two compares instead of a scan. */
  private readonly lastBytes: Float64Array;
  private readonly lastBytes2: Float64Array;
  private readonly lastLength: Int32Array;
  private readonly lastValue: Float64Array;
  /** Per slot: how many times in a row it was not what it was before (up to MAX_MISSES). */
  private readonly misses: Uint8Array;
  /** Per slot: how many times in a row it was what it was before. */
  private readonly unchanged: Int32Array;
  /** Records matched, for retrying values that keep changing every RETRY_MASK + 1 records. */
  private matches = 0;
  /** Some value that can be frozen has stayed the same FREEZE_AFTER times: the next record parsed
   * the general way may become a template with it frozen (see freeze()). */
  freezable = false;

  /**
   * Learns from the record parsed into `record`, which occupied `buf[start, end)` and whose values
   * were all numbers (see RecordScratch.templatable). Literals keep their padding: Megatron
   * right-aligns integers in fixed widths, so the padding changes only when a number gains a digit,
   * and then one record is parsed the general way and becomes the new template. `freeze[i]` = 1
   * makes slot i's value, as it is in this record, part of the literals.
   */
  constructor(buf: Uint8Array, start: number, end: number, record: RecordScratch, freeze: Uint8Array | null = null) {
    const count = record.slotCount;
    this.keys = record.slotKeys.slice(0, count);
    this.keyRole = Uint8Array.from(this.keys, (key) => (key.role === 'metric' ? KEY_METRIC : key.role === 'step' ? KEY_STEP : key.role === 'time' ? KEY_TIME : KEY_OTHER));
    this.digitsOnly = Uint8Array.from(record.slotDigits.slice(0, count));
    this.frozen = new Uint8Array(count);
    this.canFreeze = new Uint8Array(count);
    this.values = new Float64Array(count);
    const variable: number[] = [];
    this.literals = [];
    let previous = start;
    for (let i = 0; i < count; i++) {
      const valueStart = record.slotStarts[i] ?? 0;
      const valueEnd = record.slotEnds[i] ?? 0;
      const canFreeze = freezable(buf, record, i, end);
      // Read the way the general parser read it, and to the same end.
      if (canFreeze && freeze?.[i] === 1 && (this.digitsOnly[i] === 1 ? scanDigits(buf, valueStart, end, frozenSlot) : scanNumber(buf, valueStart, end, frozenSlot)) && frozenSlot.end === valueEnd) {
        this.frozen[i] = 1;
        this.values[i] = frozenSlot.value;
        continue;
      }
      this.canFreeze[i] = canFreeze ? 1 : 0;
      variable.push(i);
      this.literals.push(buf.slice(previous, valueStart));
      previous = valueEnd;
    }
    this.literals.push(buf.slice(previous, end));
    this.variable = Int32Array.from(variable);
    const literalCount = this.literals.length;
    this.literalLength = Int32Array.from(this.literals, (literal) => literal.length);
    this.literalKind = new Uint8Array(literalCount);
    this.literalWord = new Int32Array(literalCount);
    this.shortSize = new Uint8Array(literalCount);
    this.shortFirst = new Float64Array(literalCount);
    this.shortLast = new Float64Array(literalCount);
    const words: number[] = [];
    this.literals.forEach((literal, j) => {
      const length = literal.length;
      if (length < 8) {
        const size = length >= 4 ? 4 : length >= 2 ? 2 : 1;
        this.literalKind[j] = SHORT;
        this.shortSize[j] = length === 0 ? 0 : size;
        if (length > 0) {
          this.shortFirst[j] = shortAt(literal, 0, size);
          this.shortLast[j] = shortAt(literal, length - size, size);
        }
        return;
      }
      // Whole words, then the last 8 bytes (overlapping the one before unless length is a multiple of 8).
      const offsets = [...Array.from({ length: (length - 1) >> 3 }, (_, w) => 8 * w), length - 8];
      const comparands = offsets.map((offset) => wordAt(literal, offset));
      this.literalKind[j] = comparands.every(exactComparand) ? WORDS : BYTES;
      this.literalWord[j] = words.length;
      words.push(...comparands);
    });
    this.words = Float64Array.from(words);
    this.lastBytes = new Float64Array(count);
    this.lastBytes2 = new Float64Array(count);
    this.lastLength = new Int32Array(count).fill(-1);
    this.lastValue = new Float64Array(count);
    this.misses = new Uint8Array(count);
    this.unchanged = new Int32Array(count);
  }

  /**
   * The template for `record` (parsed the general way from `buf[start, end)`) that freezes what this
   * one has frozen and the values that stayed the same — when the record has this template's keys;
   * else a template that freezes nothing.
   */
  freeze(buf: Uint8Array, start: number, end: number, record: RecordScratch): RecordTemplate {
    const count = this.keys.length;
    let same = record.slotCount === count;
    for (let i = 0; same && i < count; i++) same = record.slotKeys[i] === this.keys[i] && (record.slotDigits[i] ?? 0) === this.digitsOnly[i];
    if (!same) return new RecordTemplate(buf, start, end, record);
    const mask = Uint8Array.from(this.frozen, (frozen, i) => (frozen === 1 || (this.canFreeze[i] === 1 && (this.unchanged[i] as number) >= FREEZE_AFTER) ? 1 : 0));
    return new RecordTemplate(buf, start, end, record, mask);
  }

  /** Whether literal j is at `buf[k…]`, which has room for it. */
  private literalAt(data: DataView, buf: Uint8Array, j: number, k: number, length: number): boolean {
    const kind = this.literalKind[j];
    if (kind === WORDS) {
      const words = this.words;
      let w = this.literalWord[j] as number;
      const last = k + length - 8;
      for (let at = k; at < last; at += 8) if (data.getFloat64(at, true) !== words[w++]) return false;
      return data.getFloat64(last, true) === words[w];
    }
    if (kind === SHORT) {
      const size = this.shortSize[j];
      if (size === 4) return data.getInt32(k, true) === this.shortFirst[j] && data.getInt32(k + length - 4, true) === this.shortLast[j];
      if (size === 2) return data.getInt16(k, true) === this.shortFirst[j] && data.getInt16(k + length - 2, true) === this.shortLast[j];
      return size === 0 || buf[k] === this.shortFirst[j];
    }
    const literal = this.literals[j] as Uint8Array;
    for (let b = 0; b < length; b++) if (buf[k + b] !== literal[b]) return false;
    return true;
  }

  /** Matches the record at `start` (before `end`) into `record`; returns its end, or -1 (then parse
   * it the general way). `data` views the same memory as `buf`. */
  match(data: DataView, buf: Uint8Array, start: number, end: number, record: RecordScratch, slot: NumberSlot): number {
    const { literalLength, variable, values, lastBytes, lastBytes2, lastLength, lastValue, misses, unchanged } = this;
    const variables = variable.length;
    this.matches++;
    let k = start;
    for (let j = 0; ; j++) {
      const length = literalLength[j] as number;
      if (k + length > end || !this.literalAt(data, buf, j, k, length)) return -1;
      k += length;
      if (j === variables) break;
      const i = variable[j] as number;
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
        const run = (unchanged[i] as number) + 1;
        unchanged[i] = run;
        if (run === FREEZE_AFTER && this.canFreeze[i] === 1) this.freezable = true;
      } else {
        if (this.digitsOnly[i] === 1 ? !scanDigits(buf, k, end, slot) : !scanNumber(buf, k, end, slot)) return -1;
        value = slot.value;
        unchanged[i] = 0;
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
      values[i] = value;
    }
    // The values in record order, frozen ones included.
    const { keys, keyRole } = this;
    for (let i = 0; i < keys.length; i++) {
      const role = keyRole[i];
      if (role === KEY_METRIC) record.addKey(keys[i] as KeyEntry).values[record.count - 1] = values[i] as number;
      else if (role === KEY_STEP) record.step = values[i] as number;
      else if (role === KEY_TIME) record.time = values[i] as number;
    }
    return k;
  }
}
