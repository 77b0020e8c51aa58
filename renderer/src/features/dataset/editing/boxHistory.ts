/**
 * Undo and redo over immutable states. `record` is given the state before an edit; a bounded
 * number of steps is kept, the oldest dropped first. Edits that share a `coalesceKey` in a row
 * (a held arrow key) make one step, so a long nudge neither floods nor evicts the history.
 */
export class BoxHistory<State> {
  private readonly past: State[] = [];
  private future: State[] = [];
  private openKey: string | undefined;

  constructor(private readonly limit: number) {}

  record(before: State, coalesceKey?: string): void {
    this.future = [];
    if (coalesceKey !== undefined && coalesceKey === this.openKey) return;
    this.openKey = coalesceKey;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
  }

  /** The state to go back to, given the one shown now; undefined when there is nothing to undo. */
  undo(current: State): State | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.openKey = undefined;
    this.future.push(current);
    return previous;
  }

  redo(current: State): State | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.openKey = undefined;
    this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
