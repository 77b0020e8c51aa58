import { TERMINAL_FLOW } from '../../../../shared/terminal/terminalApi';

/** What the gate opens and closes: the terminal's SSH channel. */
export interface Valve {
  pause(): void;
  resume(): void;
}

export interface FlowLimits {
  high: number;
  low: number;
}

/**
 * Counts characters handed to the view and not yet acknowledged. Above `high` it pauses the
 * valve; it resumes only once the count falls below `low`, so a busy view is not flooded by a
 * pause/resume flutter around one threshold.
 */
export class FlowGate {
  private pending = 0;
  private closed = false;

  constructor(
    private readonly valve: Valve,
    private readonly limits: FlowLimits = TERMINAL_FLOW,
  ) {
    if (!(limits.low < limits.high)) throw new RangeError('The low watermark must be below the high one');
  }

  get unacknowledged(): number {
    return this.pending;
  }

  get paused(): boolean {
    return this.closed;
  }

  sent(chars: number): void {
    this.pending += chars;
    if (!this.closed && this.pending > this.limits.high) {
      this.closed = true;
      this.valve.pause();
    }
  }

  /** A view that attaches late may acknowledge more than it saw: the count never goes below zero. */
  acknowledged(chars: number): void {
    this.pending = Math.max(0, this.pending - chars);
    if (this.closed && this.pending < this.limits.low) {
      this.closed = false;
      this.valve.resume();
    }
  }
}
