// Byte-level helpers. Logs are scanned as bytes and only small matched regions are ever decoded,
// because decoding a whole log (or a 100 MB tqdm-only line) to a string is what makes parsers slow.

export const LF = 0x0a;
export const CR = 0x0d;
export const TAB = 0x09;
export const SPACE = 0x20;
export const ESC = 0x1b;
export const QUOTE = 0x27; // '
export const DQUOTE = 0x22; // "
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const PIPE = 0x7c;
export const SLASH = 0x2f;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;

/**
 * Finds `needle` in `hay` at or after `from`; -1 when absent. A number needle is one byte.
 * Node's `Buffer.prototype.indexOf` has exactly this contract and searches with memchr, several
 * times faster than anything pure ES2022 offers, so Node callers pass it in (see LogParserOptions).
 */
export type ByteSearch = (hay: Uint8Array, needle: Uint8Array | number, from: number) => number;

const typedIndexOf = Uint8Array.prototype.indexOf;

// How common a byte is in training logs (higher = more common). The portable search looks for a
// needle's rarest byte first, so "iteration" is found through its 'i's less often than its 't's.
function commonness(byte: number): number {
  if (byte === SPACE) return 100;
  if (byte >= DIGIT_0 && byte <= DIGIT_9) return 60;
  if (byte >= 0x61 && byte <= 0x7a) return 'etaoinsrlcd'.includes(String.fromCharCode(byte)) ? 50 : 30;
  if (byte >= 0x41 && byte <= 0x5a) return 5;
  if (byte === 0x2e || byte === COMMA || byte === COLON || byte === PIPE || byte === SLASH || byte === 0x5f) return 40;
  return 10;
}

const rarestOffset = new WeakMap<Uint8Array, number>();

function rarestByteOffset(needle: Uint8Array): number {
  let offset = rarestOffset.get(needle);
  if (offset === undefined) {
    offset = 0;
    for (let k = 1; k < needle.length; k++) if (commonness(needle[k] ?? 0) < commonness(needle[offset] ?? 0)) offset = k;
    rarestOffset.set(needle, offset);
  }
  return offset;
}

/** The pure ES2022 search: TypedArray#indexOf on the needle's rarest byte, then a compare. */
export const portableSearch: ByteSearch = (hay, needle, from) => {
  if (typeof needle === 'number') return typedIndexOf.call(hay, needle, from);
  const length = needle.length;
  if (length === 1) return typedIndexOf.call(hay, needle[0] ?? 0, from);
  const offset = rarestByteOffset(needle);
  const probe = needle[offset] ?? 0;
  const last = hay.length - length;
  let start = from;
  while (start <= last) {
    const hit = typedIndexOf.call(hay, probe, start + offset);
    if (hit < 0 || hit - offset > last) return -1;
    const candidate = hit - offset;
    if (matchesAt(hay, candidate, needle)) return candidate;
    start = candidate + 1;
  }
  return -1;
};

/** True when `needle` occurs in `buf` at `pos` (false when it would run past the end). */
export function matchesAt(buf: Uint8Array, pos: number, needle: Uint8Array): boolean {
  if (pos < 0 || pos + needle.length > buf.length) return false;
  for (let k = 0; k < needle.length; k++) if (buf[pos + k] !== needle[k]) return false;
  return true;
}

/** ASCII text to bytes, for the parser's fixed needles. */
export function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k) & 0x7f;
  return bytes;
}

export function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_9;
}

export function isAsciiLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a);
}

export function isBlank(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB;
}

/** Position after an ANSI CSI/OSC escape starting at `pos` (which holds ESC), bounded by `end`. */
function skipAnsi(buf: Uint8Array, pos: number, end: number): number {
  let k = pos + 1;
  if (k >= end) return end;
  if (buf[k] === LBRACKET) {
    k++;
    while (k < end) {
      const byte = buf[k++] ?? 0;
      if (byte >= 0x40 && byte <= 0x7e) return k;
    }
    return end;
  }
  return k + 1;
}

/** Skips spaces, tabs and ANSI escapes. */
export function skipBlanks(buf: Uint8Array, pos: number, end: number): number {
  let k = pos;
  while (k < end) {
    const byte = buf[k];
    if (byte === SPACE || byte === TAB) k++;
    else if (byte === ESC) k = skipAnsi(buf, k, end);
    else break;
  }
  return k;
}

/** Index of the first CR/LF in `buf[from, end)`, or -1. */
export function lineEndIn(buf: Uint8Array, from: number, end: number): number {
  for (let k = from; k < end; k++) {
    const byte = buf[k];
    if (byte === LF || byte === CR) return k;
  }
  return -1;
}

/** Start of the line holding `pos`: after the last CR/LF within `lookback` bytes, else `pos - lookback`. */
export function lineStartBefore(buf: Uint8Array, pos: number, lookback: number): number {
  const bound = Math.max(0, pos - lookback);
  for (let k = pos - 1; k >= bound; k--) {
    const byte = buf[k];
    if (byte === LF || byte === CR) return k + 1;
  }
  return bound;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The 8 bytes at `bytes[pos…]` as DataView.getFloat64 reads them (little-endian). */
function chunkAt(bytes: Uint8Array, pos: number): number {
  for (let k = 0; k < 8; k++) scratch.setUint8(k, bytes[pos + k] ?? 0);
  return scratch.getFloat64(0, true);
}

/** Usable as an exact 8-byte comparand: equal doubles have equal bits, except NaNs (never equal)
 * and ±0 (equal with different bits). */
export function exactComparand(value: number): boolean {
  return value === value && value !== 0;
}

/**
 * A byte string compared 8 bytes at a time: DataView.getFloat64 reads eight bytes in one operation,
 * about six times faster than comparing them one by one in JS. The last chunk overlaps the one before.
 */
export class Literal {
  private readonly chunks: Float64Array;
  private readonly last: number;
  private readonly fast: boolean;

  constructor(readonly bytes: Uint8Array) {
    const length = bytes.length;
    const chunks: number[] = [];
    for (let k = 0; k + 8 <= length; k += 8) chunks.push(chunkAt(bytes, k));
    this.last = length >= 8 ? chunkAt(bytes, length - 8) : 0;
    this.chunks = Float64Array.from(chunks);
    this.fast = length >= 8 && chunks.every(exactComparand) && exactComparand(this.last);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Whether the literal is at `buf[pos…]` (`data` views the same memory as `buf`); it must fit
   * before `end`. */
  at(data: DataView, buf: Uint8Array, pos: number, end: number): boolean {
    const length = this.bytes.length;
    if (pos < 0 || pos + length > end) return false;
    if (!this.fast) return matchesAt(buf, pos, this.bytes);
    const chunks = this.chunks;
    for (let j = 0; j < chunks.length; j++) if (data.getFloat64(pos + 8 * j, true) !== chunks[j]) return false;
    return data.getFloat64(pos + length - 8, true) === this.last;
  }
}
