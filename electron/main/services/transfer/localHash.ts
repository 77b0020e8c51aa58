import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a local file, streamed in large blocks so a 20 GB shard never sits in memory. */
export function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: 4 * 1024 * 1024, signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
