/**
 * Moves a byte range in fixed-size chunks over several channels (of one or several SSH
 * connections), each with several requests in flight. Chunks are handed out in increasing order
 * from one cursor, and a chunk is handed out only if it ends within `RESUME_REWIND_BYTES` of the
 * oldest unfinished one: however far one channel lags behind the others, every byte more than
 * that before the partial file's end has been written, so a resume restarts that far back.
 */

export const CHUNK_BYTES = 254 * 1024;
/** Bytes a resume goes back from the partial file's end: the most the pump ever runs ahead of its oldest unfinished chunk. */
export const RESUME_REWIND_BYTES = 16 * 1024 * 1024;
/**
 * Requests in flight, all lanes together: half the rewind (32 of 254 KiB, about 8 MiB), so that
 * chunks finishing out of order (on different channels) leave room to keep going instead of
 * waiting for the oldest one at every step. 4 channels' SSH windows (2 MiB each with OpenSSH)
 * hold no more anyway.
 */
export const MAX_REQUESTS_IN_FLIGHT = Math.floor(RESUME_REWIND_BYTES / 2 / CHUNK_BYTES);

export interface PumpLane {
  /** Copies [offset, offset + length); resolves when the far side confirmed it. */
  copy(offset: number, length: number): Promise<void>;
}

export interface PumpOptions {
  start: number;
  end: number;
  lanes: PumpLane[];
  requestsPerLane: number;
  onChunk: (offset: number, bytes: number) => void;
  signal?: AbortSignal | undefined;
}

export async function pumpChunks(options: PumpOptions): Promise<void> {
  if (options.lanes.length * options.requestsPerLane > MAX_REQUESTS_IN_FLIGHT) throw new RangeError('In-flight window larger than half the resume rewind');
  let cursor = options.start;
  let failure: unknown;
  const unfinished = new UnfinishedChunks();
  const take = async (): Promise<[number, number] | undefined> => {
    for (;;) {
      if (failure !== undefined || options.signal?.aborted || cursor >= options.end) return undefined;
      const offset = cursor;
      const length = Math.min(CHUNK_BYTES, options.end - offset);
      const oldest = unfinished.oldest();
      if (oldest !== undefined && offset + length - oldest > RESUME_REWIND_BYTES) {
        await unfinished.progress();
        continue;
      }
      cursor += length;
      unfinished.add(offset);
      return [offset, length];
    }
  };
  const worker = async (lane: PumpLane) => {
    for (let next = await take(); next; next = await take()) {
      const [offset, length] = next;
      try {
        await lane.copy(offset, length);
        options.onChunk(offset, length);
      } catch (error) {
        failure ??= error;
      } finally {
        unfinished.finish(offset);
      }
    }
  };
  await Promise.all(options.lanes.flatMap((lane) => Array.from({ length: options.requestsPerLane }, () => worker(lane))));
  if (failure !== undefined) throw failure;
}

/** Offsets of chunks in flight, added in increasing order; wakes waiters whenever one finishes. */
class UnfinishedChunks {
  private readonly offsets: number[] = [];
  private readonly done = new Set<number>();
  private head = 0;
  private waiters: Array<() => void> = [];

  add(offset: number): void {
    this.offsets.push(offset);
  }

  oldest(): number | undefined {
    return this.offsets[this.head];
  }

  finish(offset: number): void {
    this.done.add(offset);
    for (let first = this.offsets[this.head]; first !== undefined && this.done.delete(first); first = this.offsets[this.head]) this.head++;
    // Drop the finished front now and then, so the list stays about as long as the window.
    if (this.head > 1024) {
      this.offsets.splice(0, this.head);
      this.head = 0;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  progress(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
