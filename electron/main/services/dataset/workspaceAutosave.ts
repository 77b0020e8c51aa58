/**
 * When the dataset file is rewritten after edits: a short quiet time after the last edit (a drag
 * sends many edits; one write after it ends is enough), but never later than `maxWaitMs` after the
 * first unsaved edit, so a long session of steady editing still reaches the file. The journal
 * protects the edits in between.
 */

export const AUTOSAVE_DELAY_MS = 1000;
export const AUTOSAVE_MAX_WAIT_MS = 10_000;

export class AutosaveScheduler {
  private timer: NodeJS.Timeout | null = null;
  private firstEditAt: number | null = null;
  /** When the pending save will run (epoch ms), or null. */
  dueAt: number | null = null;

  constructor(
    private readonly run: () => void,
    private readonly delayMs = AUTOSAVE_DELAY_MS,
    private readonly maxWaitMs = AUTOSAVE_MAX_WAIT_MS,
  ) {}

  /** An edit happened. */
  touch(now = Date.now()): void {
    this.firstEditAt ??= now;
    const due = Math.min(now + this.delayMs, this.firstEditAt + this.maxWaitMs);
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.cancel();
      this.run();
    }, Math.max(0, due - now));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.firstEditAt = null;
    this.dueAt = null;
  }
}
