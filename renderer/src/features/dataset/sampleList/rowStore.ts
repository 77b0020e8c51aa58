// The rows of the sample list, fetched from the main process a page at a time as they scroll
// into view and forgotten when far away, so 100,000 samples cost what a screenful costs.

import type { RowsResult, SampleRow } from '../../../../../shared/dataset/workspaceApi';
import { MAX_ROWS_PER_CALL } from '../../../../../shared/dataset/workspaceApi';
import { fetchRuns, firstAbove, pagesOf, positionOf } from './listWindow';
import type { RowRange } from './listWindow';

export type FetchRows = (from: number, count: number) => Promise<RowsResult>;

/** Positions per page. */
export const PAGE_SIZE = 100;
/** Pages kept; the ones touched longest ago go first. */
const PAGES_KEPT = 60;
/** Unwanted rows one call may fetch to save another call. */
const MAX_GAP = 64;

export class RowStore {
  private readonly rows = new Map<number, SampleRow>();
  /** Page → the sample indices it holds rows for, in the order pages were last touched. */
  private readonly pages = new Map<number, number[]>();
  private readonly loading = new Set<number>();
  private disposed = false;

  /**
   * `indices`: the sample indices the list shows, ascending (a filter's result); null for every
   * sample of `total`, in order.
   */
  constructor(
    private readonly fetchRows: FetchRows,
    private readonly indices: readonly number[] | null,
    private readonly total: number,
    private readonly onRows: () => void,
  ) {}

  get length(): number {
    return this.indices ? this.indices.length : this.total;
  }

  /** The sample index at a position of the list. */
  indexAt(position: number): number | undefined {
    if (position < 0 || position >= this.length) return undefined;
    return this.indices ? this.indices[position] : position;
  }

  /** The position of a sample in the list, -1 when the list leaves it out. */
  positionOf(index: number): number {
    if (!this.indices) return index >= 0 && index < this.total ? index : -1;
    return positionOf(this.indices, index);
  }

  /**
   * The sample after (or before) `index` in the list's order, whether or not the list holds
   * `index` itself (a sample just edited out of the filter still has neighbours); undefined at an end.
   */
  neighbour(index: number, step: 1 | -1): number | undefined {
    if (!this.indices) {
      const next = index + step;
      return next >= 0 && next < this.total ? next : undefined;
    }
    return step === 1 ? this.indices[firstAbove(this.indices, index)] : this.indices[firstAbove(this.indices, index - 1) - 1];
  }

  rowAt(position: number): SampleRow | undefined {
    const index = this.indexAt(position);
    return index === undefined ? undefined : this.rows.get(index);
  }

  /** Fetches the pages of `range` not held yet; `onRows` is called as they arrive. */
  ensure(range: RowRange): void {
    for (const page of pagesOf(range, PAGE_SIZE)) {
      const held = this.pages.get(page);
      if (held) {
        this.pages.delete(page);
        this.pages.set(page, held);
      } else if (!this.loading.has(page)) void this.load(page);
    }
  }

  /** A row the main process recomputed (after an edit): shown at once where the list has it. */
  update(row: SampleRow): void {
    if (!this.rows.has(row.index)) return;
    this.rows.set(row.index, row);
    this.onRows();
  }

  dispose(): void {
    this.disposed = true;
  }

  private async load(page: number): Promise<void> {
    this.loading.add(page);
    const wanted: number[] = [];
    for (let position = page * PAGE_SIZE; position < Math.min(this.length, (page + 1) * PAGE_SIZE); position++) wanted.push(this.indexAt(position) as number);
    try {
      const answers = await Promise.all(fetchRuns(wanted, MAX_ROWS_PER_CALL, MAX_GAP).map((run) => this.fetchRows(run.from, run.count)));
      if (this.disposed) return;
      const keep = new Set(wanted);
      for (const answer of answers) for (const row of answer.rows) if (keep.has(row.index)) this.rows.set(row.index, row);
      this.pages.set(page, wanted);
      this.forgetOldPages();
      this.onRows();
    } catch {
      // The rows stay unknown; the next scroll over them asks again.
    } finally {
      this.loading.delete(page);
    }
  }

  private forgetOldPages(): void {
    for (const [page, indices] of this.pages) {
      if (this.pages.size <= PAGES_KEPT) return;
      this.pages.delete(page);
      for (const index of indices) this.rows.delete(index);
    }
  }
}
