// The arithmetic of a list whose rows all have one height: which rows a scroll position shows,
// which pages of rows they fall in, and where to scroll so a row is in view.

export interface RowRange {
  /** First position shown (inclusive). */
  first: number;
  /** Past the last position shown (exclusive). */
  end: number;
}

/** The rows in view, plus `overscan` on each side so a small scroll finds them already built. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): RowRange {
  if (count === 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + Math.max(viewportHeight, 0)) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}

/** The pages (of `pageSize` positions) a range touches. */
export function pagesOf(range: RowRange, pageSize: number): number[] {
  if (range.end <= range.first) return [];
  const pages: number[] = [];
  for (let page = Math.floor(range.first / pageSize); page * pageSize < range.end; page++) pages.push(page);
  return pages;
}

/** The scrollTop that brings `position` fully into view with the least movement; null when it already is. */
export function scrollToReveal(position: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const top = position * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}

/**
 * Sample indices (ascending) split into runs that one dataset:rows call can fetch: a run spans at
 * most `maxSpan` consecutive indices and skips at most `maxGap` unwanted ones at a time, so a sparse
 * filter costs a few small calls rather than fetching thousands of rows nobody sees.
 */
export function fetchRuns(indices: readonly number[], maxSpan: number, maxGap: number): Array<{ from: number; count: number }> {
  const runs: Array<{ from: number; count: number }> = [];
  let start = -1;
  let last = -1;
  for (const index of indices) {
    if (start !== -1 && index > last && index - last <= maxGap + 1 && index - start < maxSpan) {
      last = index;
      continue;
    }
    if (start !== -1) runs.push({ from: start, count: last - start + 1 });
    start = index;
    last = index;
  }
  if (start !== -1) runs.push({ from: start, count: last - start + 1 });
  return runs;
}

/** The position of `index` in ascending `indices` (binary search), or -1. */
export function positionOf(indices: ArrayLike<number>, index: number): number {
  let low = 0;
  let high = indices.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = indices[middle] as number;
    if (value === index) return middle;
    if (value < index) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The first position of ascending `indices` holding a value above `value` (length when none). */
export function firstAbove(indices: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = indices.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((indices[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
