import { closeSync, openSync, readSync } from 'node:fs';
import { TrainingLogParser } from '../../../../shared/trainingLog';
import type { LogParserOptions, ParsedLog } from '../../../../shared/trainingLog';

const CHUNK_BYTES = 16 * 1024 * 1024;

/** memchr-speed search for the parser, which (in shared/) cannot use Buffer itself. */
export const nodeByteSearch: NonNullable<LogParserOptions['search']> = (hay, needle, from) => Buffer.prototype.indexOf.call(hay, needle, from);

/**
 * Parses a log file of any size in fixed chunks read straight into the parser's buffer: a
 * 100 MB tqdm line or a 2 GB file never becomes one string, and memory stays bounded.
 */
export function parseLogFile(path: string, options: Omit<LogParserOptions, 'search'> = {}, onProgress?: (bytes: number) => void): ParsedLog {
  const parser = new TrainingLogParser({ ...options, search: nodeByteSearch });
  const fd = openSync(path, 'r');
  try {
    let total = 0;
    for (;;) {
      const into = parser.reserve(CHUNK_BYTES);
      const read = readSync(fd, into, 0, into.length, null);
      if (read === 0) break;
      parser.commit(read);
      total += read;
      onProgress?.(total);
    }
  } finally {
    closeSync(fd);
  }
  return parser.end();
}
