// Robust statistics for the verdict (training-logs.md §12): medians, Mann–Kendall trend test,
// Theil–Sen slope, rolling median. Written from the textbook definitions.

/** The k-th smallest value of `work` (0-based), rearranging it (Hoare's quickselect: O(n), where a
 * sort is O(n log n) — a verdict on millions of points takes medians of all of them). */
function select(work: Float64Array, k: number): number {
  let low = 0;
  let high = work.length - 1;
  while (low < high) {
    const pivot = work[(low + high) >> 1] ?? 0;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((work[i] ?? 0) < pivot) i++;
      while ((work[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const swap = work[i] ?? 0;
        work[i++] = work[j] ?? 0;
        work[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else break;
  }
  return work[k] ?? NaN;
}

export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const work = Float64Array.from(values);
  const upper = select(work, n >> 1);
  if (n % 2 === 1) return upper;
  // The lower middle is the largest value left of the upper one after the partition.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if ((work[i] ?? 0) > lower) lower = work[i] ?? 0;
  return (lower + upper) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: ArrayLike<number>): number {
  const center = median(values);
  return median(Array.from(values, (value) => Math.abs(value - center)));
}

/** Mann–Kendall z statistic (with tie correction): below -1.96 a significant fall, above 1.96 a
 * significant rise, at α = 0.05. */
export function mannKendallZ(values: ArrayLike<number>): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign((values[j] ?? 0) - (values[i] ?? 0));
  const ties = new Map<number, number>();
  for (let i = 0; i < n; i++) ties.set(values[i] ?? 0, (ties.get(values[i] ?? 0) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance <= 0 || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}

/** Theil–Sen slope: the median of the pairwise slopes. */
export function theilSenSlope(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length - 1; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = (xs[j] ?? 0) - (xs[i] ?? 0);
      if (dx !== 0) slopes.push(((ys[j] ?? 0) - (ys[i] ?? 0)) / dx);
    }
  }
  return slopes.length > 0 ? median(slopes) : 0;
}

function slice(values: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  return values instanceof Float64Array ? values.subarray(start, end) : Array.prototype.slice.call(values, start, end);
}

/** Medians of up to `blocks` equal step ranges (empty ranges skipped), with each range's middle step. */
export function blockMedians(steps: ArrayLike<number>, values: ArrayLike<number>, blocks: number): { x: number[]; y: number[] } {
  const n = steps.length;
  const x: number[] = [];
  const y: number[] = [];
  if (n === 0 || blocks < 1) return { x, y };
  const first = steps[0] ?? 0;
  const width = ((steps[n - 1] ?? 0) - first) / blocks;
  let start = 0;
  for (let b = 0; b < blocks && start < n; b++) {
    const limit = b === blocks - 1 || width === 0 ? Infinity : first + (b + 1) * width;
    let end = start;
    while (end < n && (steps[end] ?? 0) < limit) end++;
    if (width === 0) end = n;
    if (end > start) {
      x.push(first + (b + 0.5) * width);
      y.push(median(slice(values, start, end)));
    }
    start = end;
  }
  return { x, y };
}

/** For each index, the median of the `width` values before it (NaN until `minimum` values exist):
 * a trailing window, so a falling curve is not mistaken for spikes at its start. */
export function trailingMedian(values: ArrayLike<number>, width: number, minimum: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  // A sorted window updated by one insertion and one removal per step: O(n·width), fine at width 21.
  const window: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = window.length;
    if (m >= minimum) out[i] = m % 2 === 1 ? (window[m >> 1] ?? 0) : ((window[(m >> 1) - 1] ?? 0) + (window[m >> 1] ?? 0)) / 2;
    const value = values[i] ?? 0;
    let k = window.length;
    while (k > 0 && (window[k - 1] ?? 0) > value) k--;
    window.splice(k, 0, value);
    if (i >= width) window.splice(window.indexOf(values[i - width] ?? 0), 1);
  }
  return out;
}
