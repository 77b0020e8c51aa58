import { TERMINAL_FLOW } from '../../../../shared/terminal/terminalApi';

/**
 * Counts characters xterm has parsed and reports them in batches, so a flood costs one ack call per
 * batch instead of one per chunk. xterm calls the write callbacks of every chunk it parsed in one go
 * back to back; their counts are sent together once that run is over (a microtask later), which
 * halves the acks of a flood without delaying the one that lets the main process resume. The
 * remainder below a batch is never sent: the main process resumes below TERMINAL_FLOW.low, which is
 * at least one batch, so it cannot stall on it.
 */
export class AckBatcher {
  private pending = 0;
  private scheduled = false;

  constructor(
    private readonly send: (chars: number) => void,
    private readonly batch: number = TERMINAL_FLOW.ackBatch,
    // Called as a method, the browser's queueMicrotask would throw "Illegal invocation".
    private readonly later: (task: () => void) => void = (task) => queueMicrotask(task),
  ) {}

  parsed(chars: number): void {
    this.pending += chars;
    if (this.scheduled) return;
    this.scheduled = true;
    this.later(() => {
      this.scheduled = false;
      if (this.pending < this.batch) return;
      this.send(this.pending);
      this.pending = 0;
    });
  }
}
