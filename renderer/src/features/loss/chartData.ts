// Lining runs up on one x axis. uPlot wants one ascending x array shared by every series. A single
// run whose x already ascends is handed over as it is — the typed arrays, uncopied, so a
// million-point log costs no per-point work here. Several runs are joined on x, and each gets null
// where it has no point.

export interface XY {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** A series on the joined x: typed when it has a point at every x, else null where it has none.
 * NaN/±Inf are kept (they are findings). */
export type AlignedValues = Float64Array | (number | null)[];

export interface Aligned {
  x: Float64Array;
  ys: AlignedValues[];
}

/**
 * What to do with points that share an x. `last`: keep the later one (a resumed run logging a step
 * again replaces it). `spread`: keep them all, each a hair after the one before (an epoch printed
 * with two decimals, points that arrived together): a chart must not hide points.
 */
export type Ties = 'last' | 'spread';

/** 2: every x above the one before; 1: never below it (ties, or NaN to drop); 0: out of order. */
function orderOf(x: ArrayLike<number>): 0 | 1 | 2 {
  let previous = -Infinity;
  let order: 1 | 2 = 2;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] ?? NaN;
    if (value > previous) previous = value;
    else if (value === previous || Number.isNaN(value)) order = 1;
    else return 0;
  }
  return order;
}

const asFloat64 = (values: ArrayLike<number>): Float64Array => (values instanceof Float64Array ? values : Float64Array.from(values));

/** The smallest step above `value` that still changes it, with room for thousands of ties. */
const nudge = (value: number): number => value + Math.max(Math.abs(value) * 2 ** -46, 2 ** -1000);

/** Points ordered by x with NaN x dropped; equal x as `ties` says. */
export function sortedByX({ x, y }: XY, ties: Ties = 'last'): { x: Float64Array; y: Float64Array } {
  const order = orderOf(x);
  if (order === 2) return { x: asFloat64(x), y: asFloat64(y) };
  const indexes: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] ?? NaN)) indexes.push(i);
  // Stable sort, so among equal x the log order survives. Logs are nearly always in order already.
  if (order === 0) indexes.sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0));
  const xs = new Float64Array(indexes.length);
  const ys = new Float64Array(indexes.length);
  let n = 0;
  for (const i of indexes) {
    const at = x[i] ?? 0;
    const value = y[i] ?? NaN;
    if (n > 0 && at <= (xs[n - 1] ?? 0)) {
      if (ties === 'last' && at === xs[n - 1]) {
        ys[n - 1] = value;
        continue;
      }
      xs[n] = nudge(xs[n - 1] ?? 0);
    } else xs[n] = at;
    ys[n++] = value;
  }
  return { x: xs.subarray(0, n), y: ys.subarray(0, n) };
}

/** Outer join on x (a merge of the runs' sorted x). */
export function alignSeries(inputs: readonly XY[], ties: Ties = 'last'): Aligned {
  const sorted = inputs.map((input) => sortedByX(input, ties));
  const first = sorted[0];
  if (sorted.length === 1 && first) return { x: first.x, ys: [first.y] };
  if (first && sorted.every((series) => sameValues(series.x, first.x))) return { x: first.x, ys: sorted.map((series) => series.y) };
  const heads = sorted.map(() => 0);
  const union: number[] = [];
  for (;;) {
    let next = Infinity;
    sorted.forEach((series, k) => {
      const value = series.x[heads[k] ?? 0];
      if (value !== undefined && value < next) next = value;
    });
    if (next === Infinity) break;
    union.push(next);
    sorted.forEach((series, k) => {
      if (series.x[heads[k] ?? 0] === next) heads[k] = (heads[k] ?? 0) + 1;
    });
  }
  const x = Float64Array.from(union);
  const ys = sorted.map((series) => {
    const column = new Array<number | null>(x.length).fill(null);
    let k = 0;
    for (let i = 0; i < x.length && k < series.x.length; i++) if (series.x[k] === x[i]) column[i] = series.y[k++] ?? null;
    return column;
  });
  return { x, ys };
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What uPlot may draw: it must never see NaN (it breaks auto-ranging). Gaps are bridged anyway
 * (spanGaps), so in a run's own typed series a non-finite value is replaced by the point on the
 * straight line between its finite neighbours (the nearest one at either end): the same line, and
 * the array stays a typed one, which uPlot reads far faster than a million-element array with nulls.
 * The markers and the readout still show the NaN/Inf. Joined series keep null where a run has no point.
 */
export function plottable(values: AlignedValues, x?: ArrayLike<number>): Float64Array | (number | null)[] {
  if (!(values instanceof Float64Array)) return values.map((value) => (value !== null && Number.isFinite(value) ? value : null));
  const n = values.length;
  let bad = 0;
  while (bad < n && Number.isFinite(values[bad])) bad++;
  if (bad === n) return values;
  const out = new Float64Array(values);
  const at = (k: number) => (x ? (x[k] ?? k) : k);
  let previous = bad - 1;
  for (let i = bad; i < n; ) {
    if (Number.isFinite(out[i])) {
      previous = i++;
      continue;
    }
    let next = i;
    while (next < n && !Number.isFinite(out[next])) next++;
    if (previous < 0 && next === n) return new Array<null>(n).fill(null);
    const from = out[previous < 0 ? next : previous] ?? 0;
    const to = out[next === n ? previous : next] ?? 0;
    for (let k = i; k < next; k++) out[k] = previous < 0 || next === n ? from : from + ((to - from) * (at(k) - at(previous))) / (at(next) - at(previous));
    i = next;
  }
  return out;
}

/** The x of every non-finite value, for the markers that stand in for them. */
export function nonFiniteAt(x: Float64Array, values: AlignedValues): number[] {
  const at: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined && !Number.isFinite(value)) at.push(x[i] ?? 0);
  }
  return at;
}
