import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

export interface BatchOptions {
  /** How long chunks that follow one another closely wait for company before they are sent. */
  delayMs: number;
  /** A batch this big goes out at once. */
  maxChars: number;
}

const DEFAULT_BATCH: BatchOptions = { delayMs: 4, maxChars: 64 * 1024 };

/**
 * Turns a channel's bytes into text for the view: a UTF-8 sequence split across SSH packets is
 * held back until it is whole, and chunks arriving within a few milliseconds of the last event go
 * out as one (a busy shell sends many tiny packets). The first chunk after a quiet spell goes at
 * once: it is usually an echo or a prompt, and the user is waiting for it. Text leaves in the
 * order it arrived.
 */
export class OutputBatcher {
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (text: string) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  /** Adds bytes; answers how many characters of text they completed. */
  push(bytes: Buffer, stream: OutputStream = 'stdout'): number {
    return this.add(this.decoders[stream].write(bytes));
  }

  /** Sends what is waiting now (before a state change, or when no more output is coming for a while). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.lastSent = Date.now();
    this.emit(text);
  }

  /**
   * More output is on its way (a paused flood resumes): the next chunk waits for company like the
   * rest of the flood instead of going out alone, which would cost the view one more message and
   * often one more frame per flow-control window.
   */
  expectMore(): void {
    this.lastSent = Date.now();
  }

  /** The streams ended: a sequence cut off for good is shown as U+FFFD, as a terminal would. */
  end(): number {
    const added = this.add(this.decoders.stdout.end()) + this.add(this.decoders.stderr.end());
    this.flush();
    return added;
  }

  private add(text: string): number {
    if (!text) return 0;
    this.pending += text;
    const quiet = this.timer === undefined && Date.now() - this.lastSent >= this.options.delayMs;
    if (quiet || this.pending.length >= this.options.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.delayMs);
    return text.length;
  }
}
