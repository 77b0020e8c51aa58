// Lining runs up on one x axis. uPlot wants one ascending x array shared by every series; runs log
// at different steps, so their x values are joined and each run gets null where it has no point.

export interface XY {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface Aligned {
  x: Float64Array;
  /** Per input: its value at each x, null where it has none. NaN/±Inf are kept. */
  ys: (number | null)[][];
}

/** Points ordered by x with NaN x dropped; when an x repeats, the later point wins (as a resumed run does). */
export function sortedByX({ x, y }: XY): { x: Float64Array; y: Float64Array } {
  const order: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] ?? NaN)) order.push(i);
  // Stable sort, so among equal x the log order survives and the last one is kept below.
  if (!isAscending(order.map((i) => x[i] ?? 0))) order.sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const i of order) {
    const at = x[i] ?? 0;
    const value = y[i] ?? NaN;
    if (xs.length > 0 && xs[xs.length - 1] === at) ys[ys.length - 1] = value;
    else {
      xs.push(at);
      ys.push(value);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) < (values[i - 1] ?? 0)) return false;
  return true;
}

/** Outer join on x. */
export function alignSeries(inputs: readonly XY[]): Aligned {
  const sorted = inputs.map(sortedByX);
  const all = new Float64Array(sorted.reduce((sum, series) => sum + series.x.length, 0));
  let offset = 0;
  for (const series of sorted) {
    all.set(series.x, offset);
    offset += series.x.length;
  }
  all.sort();
  let unique = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[unique - 1]) all[unique++] = all[i] ?? 0;
  const x = all.slice(0, unique);
  const ys = sorted.map((series) => {
    const column = new Array<number | null>(x.length).fill(null);
    let k = 0;
    for (let i = 0; i < x.length && k < series.x.length; i++) {
      if (series.x[k] === x[i]) column[i] = series.y[k++] ?? null;
    }
    return column;
  });
  return { x, ys };
}

/** What uPlot may draw: it must never see NaN (it breaks auto-ranging), so non-finite values become gaps. */
export function plottable(values: readonly (number | null)[]): (number | null)[] {
  return values.map((value) => (value !== null && Number.isFinite(value) ? value : null));
}

/** The x of every non-finite value, for the markers that stand in for them. */
export function nonFiniteAt(x: Float64Array, values: readonly (number | null)[]): number[] {
  const at: number[] = [];
  values.forEach((value, i) => {
    if (value !== null && !Number.isFinite(value)) at.push(x[i] ?? 0);
  });
  return at;
}
