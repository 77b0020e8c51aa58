// Reading a log file into a TrainingLogParser, shared by the reader and its segment worker.

import { readSync } from 'node:fs';
import type { ByteSearch, TrainingLogParser } from '../../../../shared/trainingLog';

/** Fixed-size reads straight into the parser's buffer: memory stays bounded whatever the file. Small
 * enough that what a read copies is still in the core's cache (2 MiB of L2 here) when the parser
 * scans it: 16 MiB chunks went through memory twice and parsed an HF log a quarter slower. */
export const CHUNK_BYTES = 1024 * 1024;

/** memchr-speed search for the parser, which (in shared/) cannot use Buffer itself. */
export const nodeByteSearch: ByteSearch = (hay, needle, from) => Buffer.prototype.indexOf.call(hay, needle, from);

/** Feeds the parser bytes [from, to) of the open file; `onChunk` gets the bytes fed so far. */
export function feedRange(parser: TrainingLogParser, fd: number, from: number, to: number, onChunk?: (fed: number) => void): void {
  for (let position = from; position < to; ) {
    const into = parser.reserve(Math.min(CHUNK_BYTES, to - position));
    const read = readSync(fd, into, 0, into.length, position);
    if (read === 0) break;
    parser.commit(read);
    position += read;
    onChunk?.(position - from);
  }
}
