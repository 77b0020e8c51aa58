// A typed array that grows by doubling, so appending n values costs O(n) in total, and whose
// current values are a view (no copy) that uPlot can draw as it is. A view stays valid until the
// next push that grows the buffer: readers take a fresh one after every change.

type NumberArray = Float64Array | Int32Array | Uint8Array;

const INITIAL_CAPACITY = 64;

export class Growable<T extends NumberArray> {
  length = 0;
  private buffer: T;

  constructor(private readonly make: (length: number) => T) {
    this.buffer = make(INITIAL_CAPACITY);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.reserve(this.length + 1);
    this.buffer[this.length++] = value;
  }

  /** The value at `index` (the last one for -1). */
  at(index: number): number {
    return this.buffer[index < 0 ? this.length + index : index] ?? NaN;
  }

  /** Drops values from `length` on (a resumed run replacing the steps it repeats). */
  truncate(length: number): void {
    this.length = Math.min(this.length, Math.max(0, length));
  }

  view(): T {
    return this.buffer.subarray(0, this.length) as T;
  }

  private reserve(length: number): void {
    const next = this.make(Math.max(length, this.buffer.length * 2));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}

export const growableFloat64 = () => new Growable((n) => new Float64Array(n));
export const growableInt32 = () => new Growable((n) => new Int32Array(n));
export const growableUint8 = () => new Growable((n) => new Uint8Array(n));
