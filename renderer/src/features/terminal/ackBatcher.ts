import { TERMINAL_FLOW } from '../../../../shared/terminal/terminalApi';

/**
 * Counts characters xterm has parsed and reports them in batches, so a flood costs one ack call per
 * batch instead of one per chunk. The remainder below a batch is never sent: the main process
 * resumes below TERMINAL_FLOW.low, which is at least one batch, so it cannot stall on it.
 */
export class AckBatcher {
  private pending = 0;

  constructor(
    private readonly send: (chars: number) => void,
    private readonly batch: number = TERMINAL_FLOW.ackBatch,
  ) {}

  parsed(chars: number): void {
    this.pending += chars;
    if (this.pending < this.batch) return;
    this.send(this.pending);
    this.pending = 0;
  }
}
