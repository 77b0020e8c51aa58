// A look at the head of the stream, to explain a log that yields no loss: is it binary (a checkpoint,
// an event file), or a log with only progress bars?

import { CR, ESC, LF, TAB } from './bytes';
import { countMalformedUtf8 } from './utf8';

/** How much of the head is examined. */
export const PROBE_WINDOW = 65536;

/** NUL bytes, other control bytes and malformed UTF-8 make up more than 5 % of the window. */
export function looksBinary(buf: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  let suspicious = countMalformedUtf8(buf, start, end);
  for (let k = start; k < end; k++) {
    const byte = buf[k] ?? 0;
    if (byte < 0x20 && byte !== LF && byte !== CR && byte !== TAB && byte !== ESC && byte !== 0x08 && byte !== 0x0c) suspicious++;
  }
  return suspicious * 20 > end - start;
}
