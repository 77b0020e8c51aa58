// Points on their way to the renderer. The parser's new points are taken (drainPoints) and sent at
// most every FLUSH_MS while bytes keep coming — a backlog being read becomes a few large events, and
// draining costs the parser more than per point, so it must not run per SSH packet — and at once
// after a quiet spell, so a single new line is not held back. Batches are columnar and numbered by
// their place in the run's point sequence. Arrival times are kept per point, so any stretch of the
// sequence can be sent again to a renderer that missed it.

import { encodeBatch, MAX_BATCH_POINTS } from '../../../../shared/logs/logStreamApi';
import type { LogPointBatch, LogStreamId } from '../../../../shared/logs/logStreamApi';
import { toPoints } from '../../../../shared/trainingLog';
import type { ParsedLog, Point } from '../../../../shared/trainingLog';

/** The least time between two drains of a burst. */
export const FLUSH_MS = 25;

export class LogFollowerBatcher {
  /** Points sent: the `from` of the next batch. */
  private sent = 0;
  /** Arrival of every point in ms, NaN when unknown. */
  private arrivals = new Float64Array(1024);
  /** Bytes were parsed whose points have not been drained; whether they were written while watched. */
  private waiting: { live: boolean } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private drainedAt = 0;

  constructor(
    private readonly id: LogStreamId,
    private readonly drain: () => Point[],
    private readonly emit: (batch: LogPointBatch) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Points sent so far (flush() first to count the parsed ones too). */
  get count(): number {
    return this.sent;
  }

  /** Bytes were parsed; `live`: written while we watched (their points get an arrival time). */
  parsed(live: boolean): void {
    // One drain holds points of the backlog or live ones, never both.
    if (this.waiting && this.waiting.live !== live) this.flush();
    this.waiting = { live };
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.drainedAt + FLUSH_MS - this.now()));
  }

  /** Drains the parser and sends its new points now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.waiting) return;
    const arrival = this.waiting.live ? this.now() : null;
    this.waiting = null;
    this.drainedAt = this.now();
    const points = this.drain();
    for (let start = 0; start < points.length; start += MAX_BATCH_POINTS) {
      const slice = points.slice(start, start + MAX_BATCH_POINTS);
      for (let i = 0; i < slice.length; i++) this.remember(this.sent + i, arrival);
      const batch = encodeBatch(this.id, this.sent, slice, slice.map(() => arrival));
      this.sent += slice.length;
      this.emit(batch);
    }
  }

  /** Up to MAX_BATCH_POINTS points of the sent sequence from `from`, read back from the parser. */
  resend(log: ParsedLog, from: number): LogPointBatch {
    const start = Math.min(from, this.sent);
    const end = Math.min(this.sent, start + MAX_BATCH_POINTS);
    const points = toPoints(log.points, log.series, start, end);
    const arrivals = points.map((_, i) => {
      const arrival = this.arrivals[start + i] ?? NaN;
      return Number.isNaN(arrival) ? null : arrival;
    });
    return encodeBatch(this.id, start, points, arrivals);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private remember(index: number, arrival: number | null): void {
    if (index >= this.arrivals.length) {
      const grown = new Float64Array(Math.max(index + 1, this.arrivals.length * 2));
      grown.set(this.arrivals);
      this.arrivals = grown;
    }
    this.arrivals[index] = arrival ?? NaN;
  }
}
