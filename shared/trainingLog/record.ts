// The record being parsed: filled by a format's scanner, then turned into a point by the parser.
// One instance is reused for every record, so parsing allocates nothing per line.

import type { KeyEntry } from './keys';

/** Scanner results besides "ends at index n": not this format here / needs more bytes / cut off by
 * the end of the stream. */
export const REJECT = -1;
export const INCOMPLETE = -2;
export const TRUNCATED = -3;

export class RecordScratch {
  /** Metric keys and values, in record order. */
  keys: KeyEntry[] = [];
  values = new Float64Array(32);
  count = 0;
  /** Every key in record order (metrics or not): the layout the next record is expected to repeat. */
  layout: KeyEntry[] = [];
  layoutCount = 0;
  /** Where each number value sat, for RecordTemplate; `templatable` turns false at a value that is
   * not a number (a string, None). */
  slotKeys: KeyEntry[] = [];
  slotStarts: number[] = [];
  slotEnds: number[] = [];
  /** 1 where the value was read as plain digits (Megatron's `iteration n/total`), not any number. */
  slotDigits: number[] = [];
  slotCount = 0;
  templatable = true;
  step = NaN;
  time = NaN;
  rank = -1;

  reset(): void {
    this.count = 0;
    this.layoutCount = 0;
    this.slotCount = 0;
    this.templatable = true;
    this.step = NaN;
    this.time = NaN;
    this.rank = -1;
  }

  add(key: KeyEntry, value: number): void {
    this.addKey(key).values[this.count - 1] = value;
  }

  /** Adds a metric whose value the caller then stores at values[count - 1] (so that hot callers
   * do not pass a double to a call, which boxes it). Returns this. */
  addKey(key: KeyEntry): this {
    if (this.count === this.values.length) {
      const values = new Float64Array(this.count * 2);
      values.set(this.values);
      this.values = values;
    }
    this.keys[this.count] = key;
    this.count++;
    return this;
  }

  noteKey(key: KeyEntry): void {
    this.layout[this.layoutCount++] = key;
  }

  noteSlot(key: KeyEntry, start: number, end: number, digitsOnly = false): void {
    this.slotKeys[this.slotCount] = key;
    this.slotStarts[this.slotCount] = start;
    this.slotEnds[this.slotCount] = end;
    this.slotDigits[this.slotCount] = digitsOnly ? 1 : 0;
    this.slotCount++;
  }
}

/** The layout of the previous record of one scanner, used as lookup hints for the next. */
export class Layout {
  private keys: KeyEntry[] = [];
  private count = 0;

  at(index: number): KeyEntry | undefined {
    return index < this.count ? this.keys[index] : undefined;
  }

  /** Takes over the record's layout array (the record gets this one to overwrite). */
  remember(record: RecordScratch): void {
    const keys = this.keys;
    this.keys = record.layout;
    this.count = record.layoutCount;
    record.layout = keys;
  }
}
