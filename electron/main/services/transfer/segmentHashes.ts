import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sh } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';

/**
 * Big files are verified in 64 MiB segments: the server hashes each segment (sha256sum over dd)
 * as soon as every byte of it has been acknowledged, while the rest is still on its way, so only
 * the last segment is hashed after the upload. Matching every segment is matching the file.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const DD_BLOCK = 1024 * 1024;

export function segmentCount(size: number): number {
  return Math.max(1, Math.ceil(size / SEGMENT_BYTES));
}

/** One local pass: the sha256 of each segment, and of the whole file (the reported hash). */
export function localSegmentHashes(path: string, signal?: AbortSignal): Promise<{ whole: string; segments: string[] }> {
  return new Promise((resolve, reject) => {
    const whole = createHash('sha256');
    const segments: string[] = [];
    let segment = createHash('sha256');
    let inSegment = 0;
    const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024, signal });
    stream.on('data', (data) => {
      const chunk = data as Buffer;
      whole.update(chunk);
      for (let at = 0; at < chunk.length; ) {
        const take = Math.min(chunk.length - at, SEGMENT_BYTES - inSegment);
        segment.update(chunk.subarray(at, at + take));
        inSegment += take;
        at += take;
        if (inSegment === SEGMENT_BYTES) {
          segments.push(segment.digest('hex'));
          segment = createHash('sha256');
          inSegment = 0;
        }
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      if (inSegment > 0 || segments.length === 0) segments.push(segment.digest('hex'));
      resolve({ whole: whole.digest('hex'), segments });
    });
  });
}

/**
 * Hashes segments of a file on the server, one at a time in the order they become complete.
 * `complete(upTo)` says every byte below `upTo` has been written.
 */
export class RemoteSegmentHasher {
  private readonly hashes: Array<Promise<string | undefined>> = [];
  private queue: Promise<unknown> = Promise.resolve();
  private next = 0;

  constructor(
    private readonly session: SshSession,
    private readonly path: string,
    private readonly size: number,
    private readonly signal?: AbortSignal,
  ) {}

  complete(upTo: number): void {
    const total = segmentCount(this.size);
    while (this.next < total && Math.min(this.size, (this.next + 1) * SEGMENT_BYTES) <= upTo) {
      const index = this.next++;
      const hash = this.queue.then(() => this.hashSegment(index));
      this.queue = hash.catch(() => undefined);
      this.hashes.push(hash);
    }
  }

  /** All segment hashes, once the whole file is written; undefined where the server failed. */
  all(): Promise<Array<string | undefined>> {
    this.complete(this.size);
    return Promise.all(this.hashes.map((hash) => hash.catch(() => undefined)));
  }

  private async hashSegment(index: number): Promise<string | undefined> {
    const blocks = SEGMENT_BYTES / DD_BLOCK;
    const result = await this.session.run(sh`dd if=${this.path} bs=${DD_BLOCK} skip=${index * blocks} count=${blocks} status=none | sha256sum`, { signal: this.signal });
    return /^([0-9a-f]{64})/.exec(result.stdout)?.[1];
  }
}
