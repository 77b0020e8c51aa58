/**
 * Moves a byte range in fixed-size chunks over several channels, each with several requests in
 * flight. Chunks are handed out in increasing order from one cursor, so at any moment every
 * chunk more than `maxInFlight` chunks behind the newest one is done: a resume may restart
 * `RESUME_REWIND_BYTES` before the partial file's end and rewrite only what may have holes.
 */

export const CHUNK_BYTES = 254 * 1024;
/** Bytes a resume goes back from the partial file's end; above the largest in-flight window. */
export const RESUME_REWIND_BYTES = 16 * 1024 * 1024;

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
  if (options.lanes.length * options.requestsPerLane * CHUNK_BYTES > RESUME_REWIND_BYTES) {
    throw new RangeError('In-flight window larger than the resume rewind');
  }
  let cursor = options.start;
  let failure: unknown;
  const take = (): [number, number] | undefined => {
    if (failure !== undefined || options.signal?.aborted || cursor >= options.end) return undefined;
    const offset = cursor;
    const length = Math.min(CHUNK_BYTES, options.end - offset);
    cursor += length;
    return [offset, length];
  };
  const worker = async (lane: PumpLane) => {
    for (let next = take(); next; next = take()) {
      const [offset, length] = next;
      try {
        await lane.copy(offset, length);
        options.onChunk(offset, length);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(options.lanes.flatMap((lane) => Array.from({ length: options.requestsPerLane }, () => worker(lane))));
  if (failure !== undefined) throw failure;
}
