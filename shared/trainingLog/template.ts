// Record templates. A log repeats one record layout thousands of times — `{'loss': …, 'grad_norm': …,
// 'learning_rate': …, 'epoch': …}` or a Megatron iteration line — and only the numbers change. After
// a record has been parsed the slow, general way, the bytes between its numbers become a template;
// the next records are matched against it with a few 8-byte compares and number scans. A record the
// template does not match exactly goes the general way again, so results never depend on templates.

import { Literal, exactComparand } from './bytes';
import type { KeyEntry } from './keys';
import type { NumberSlot } from './numberScan';
import { scanDigits, scanNumber } from './numberScan';
import type { RecordScratch } from './record';

/** A number at most this long is remembered with the 16 bytes it starts, which include everything
 * scanNumber looks at to read it (the number plus up to 3 bytes of a rejected exponent). */
const MAX_REMEMBERED = 13;

export class RecordTemplate {
  /** literals[i] precedes value i; the last one follows the last value. */
  private readonly literals: Literal[];
  private readonly keys: KeyEntry[];
  /** 1 for values that must be plain digits, as the general parser read them. */
  private readonly digitsOnly: Uint8Array;
  /** Per value: the 16 bytes where it started last time (as two 8-byte comparands), its length (-1:
   * not remembered) and value. Fields that rarely change (batch size, loss scale, a learning rate
   * printed with 4 digits, epoch) then cost two compares instead of a scan. */
  private readonly lastBytes: Float64Array;
  private readonly lastBytes2: Float64Array;
  private readonly lastLength: Int32Array;
  private readonly lastValue: Float64Array;

  /**
   * Learns from the record parsed into `record`, which occupied `buf[start, end)` and whose values
   * were all numbers (see RecordScratch.templatable). Literals keep their padding: Megatron
   * right-aligns integers in fixed widths, so the padding changes only when a number gains a digit,
   * and then one record is parsed the general way and becomes the new template.
   */
  constructor(buf: Uint8Array, start: number, end: number, record: RecordScratch) {
    this.literals = [];
    this.keys = [];
    let previous = start;
    for (let i = 0; i < record.slotCount; i++) {
      this.literals.push(new Literal(buf.slice(previous, record.slotStarts[i] ?? 0)));
      this.keys.push(record.slotKeys[i] as KeyEntry);
      previous = record.slotEnds[i] ?? 0;
    }
    this.literals.push(new Literal(buf.slice(previous, end)));
    this.digitsOnly = Uint8Array.from(record.slotDigits.slice(0, record.slotCount));
    this.lastBytes = new Float64Array(this.keys.length);
    this.lastBytes2 = new Float64Array(this.keys.length);
    this.lastLength = new Int32Array(this.keys.length).fill(-1);
    this.lastValue = new Float64Array(this.keys.length);
  }

  /** Matches the record at `start` (before `end`) into `record`; returns its end, or -1 (then parse
   * it the general way). `data` views the same memory as `buf`. */
  match(data: DataView, buf: Uint8Array, start: number, end: number, record: RecordScratch, slot: NumberSlot): number {
    const { literals, keys, lastBytes, lastBytes2, lastLength, lastValue } = this;
    let k = start;
    const count = keys.length;
    for (let i = 0; i < count; i++) {
      const literal = literals[i] as Literal;
      if (!literal.at(data, buf, k, end)) return -1;
      k += literal.length;
      let value: number;
      const remembered = lastLength[i] as number;
      const fits = k + 16 <= end;
      const bytes = fits ? data.getFloat64(k, true) : NaN;
      const bytes2 = fits ? data.getFloat64(k + 8, true) : NaN;
      if (remembered >= 0 && bytes === lastBytes[i] && bytes2 === lastBytes2[i]) {
        value = lastValue[i] as number;
        k += remembered;
      } else {
        if (this.digitsOnly[i] === 1 ? !scanDigits(buf, k, end, slot) : !scanNumber(buf, k, end, slot)) return -1;
        value = slot.value;
        const length = slot.end - k;
        if (length <= MAX_REMEMBERED && exactComparand(bytes) && exactComparand(bytes2)) {
          lastBytes[i] = bytes;
          lastBytes2[i] = bytes2;
          lastLength[i] = length;
          lastValue[i] = value;
        } else lastLength[i] = -1;
        k = slot.end;
      }
      const key = keys[i] as KeyEntry;
      if (key.role === 'metric') record.add(key, value);
      else if (key.role === 'step') record.step = value;
      else if (key.role === 'time') record.time = value;
    }
    const last = literals[count] as Literal;
    return last.at(data, buf, k, end) ? k + last.length : -1;
  }
}
