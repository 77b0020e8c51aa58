import { sh } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';
import { hashFileInWorker } from './localHash';
import type { FileHashes } from './localHash';

/**
 * Big files are verified in 64 MiB segments: the server hashes each segment (dd into OpenSSL)
 * as soon as every byte of it has been acknowledged, while the rest is still on its way, so only
 * the last segment is hashed after the upload. Matching every segment is matching the file.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const DD_BLOCK = 1024 * 1024;

export function segmentCount(size: number): number {
  return Math.max(1, Math.ceil(size / SEGMENT_BYTES));
}

/** One local pass, on a worker thread: the sha256 of each segment, and of the whole file (the reported hash). */
export function localSegmentHashes(path: string, signal?: AbortSignal): Promise<FileHashes> {
  return hashFileInWorker(path, { segmentBytes: SEGMENT_BYTES, signal });
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
    const segment = sh`dd if=${this.path} bs=${DD_BLOCK} skip=${index * blocks} count=${blocks} status=none`;
    // OpenSSL uses the CPU's SHA instructions (x86 SHA-NI, ARMv8 SHA2), which coreutils' sha256sum
    // often does not: about 4× less server CPU and a shorter wait for the last segment.
    // sha256sum stays the fallback where openssl is missing or fails.
    const result = await this.session.run(sh`${segment} | openssl dgst -sha256 2>/dev/null || ${segment} | sha256sum`, { signal: this.signal });
    // "SHA2-256(stdin)= <hex>" (OpenSSL 3), "(stdin)= <hex>" (1.x) or "<hex>  -" (sha256sum).
    return /\b([0-9a-f]{64})\b/.exec(result.stdout)?.[1];
  }
}
