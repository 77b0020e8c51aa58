import type { TerminalData, TerminalInfo } from '../../../../shared/terminal/terminalApi';

export interface TerminalSink {
  write(data: string): void;
}

/**
 * Beyond this many held characters an unclaimed terminal cannot be one this window is opening:
 * the main process pauses a terminal long before (TERMINAL_FLOW.high) until its view acknowledges.
 */
const UNCLAIMED_LIMIT = 1 << 20;

/**
 * Hands terminal:onDidData to the view of each terminal. A shell can print its first prompt before
 * terminal:open has answered, so while an open is in flight output for unknown terminals is held;
 * the answer claims its own, and whatever is left belongs to another window and is dropped. A
 * claimed terminal's output is held until its view attaches.
 */
export class TerminalDataRouter {
  private readonly sinks = new Map<string, TerminalSink>();
  private readonly held = new Map<string, { chunks: string[]; chars: number }>();
  private readonly claimed = new Set<string>();
  /** Unclaimed terminals found to be another window's while opens are in flight. */
  private readonly foreign = new Set<string>();
  private opening = 0;

  readonly receive = ({ id, data }: TerminalData): void => {
    const sink = this.sinks.get(id);
    if (sink) {
      sink.write(data);
      return;
    }
    const ours = this.claimed.has(id);
    if (!ours && (this.opening === 0 || this.foreign.has(id))) return;
    const held = this.held.get(id) ?? { chunks: [], chars: 0 };
    if (!ours && held.chars + data.length > UNCLAIMED_LIMIT) {
      this.held.delete(id);
      this.foreign.add(id);
      return;
    }
    held.chunks.push(data);
    held.chars += data.length;
    this.held.set(id, held);
  };

  /** Runs terminal:open and claims the terminal it opened. */
  async open(run: () => Promise<TerminalInfo>): Promise<TerminalInfo> {
    this.opening++;
    try {
      const info = await run();
      this.claimed.add(info.id);
      return info;
    } finally {
      this.opening--;
      if (this.opening === 0) {
        for (const id of this.held.keys()) if (!this.claimed.has(id)) this.held.delete(id);
        this.foreign.clear();
      }
    }
  }

  /** Delivers what was held, then everything that follows, until the returned function releases the terminal. */
  attach(id: string, sink: TerminalSink): () => void {
    for (const chunk of this.held.get(id)?.chunks ?? []) sink.write(chunk);
    this.held.delete(id);
    this.sinks.set(id, sink);
    return () => this.release(id);
  }

  /** Forgets a terminal this window no longer shows: its output is dropped from now on. */
  release(id: string): void {
    this.sinks.delete(id);
    this.held.delete(id);
    this.claimed.delete(id);
  }
}
