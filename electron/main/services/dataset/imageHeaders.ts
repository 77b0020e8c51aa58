/**
 * Image facts from a file's header and its last bytes, never its pixels: width and height as
 * stored (what PIL opens for training), the JPEG EXIF orientation, and whether the file is
 * whole. "Whole" means a well-formed header and the format's ending (PNG's IEND chunk, JPEG's
 * EOI after the scan, GIF's trailer, BMP's and WebP's declared sizes): a file cut short in a
 * transfer fails there, and PIL fails on it when a rank draws the sample. Reads are bounded
 * (64 KiB windows, a few of them), so a 2 GB image costs what a 2 KB one does. The parser
 * yields the reads it needs; imageProbe.ts answers them from a file.
 */

import type { ImageFacts, ImageFormat } from '../../../../shared/dataset/imageFacts';

/** A read the inspection asks for; the driver answers with the bytes (fewer past the end). A
 * generator lets one parser serve both the synchronous and the asynchronous probe. */
export interface ByteRange {
  offset: number;
  length: number;
}

export type Inspection<T> = Generator<ByteRange, T, Uint8Array>;

const WINDOW = 64 * 1024;
const TAIL = 4096;
/** JPEG segments before the scan rarely number more than a dozen; this bounds a hostile file. */
const MAX_JPEG_READS = 32;

class Bytes {
  constructor(
    readonly data: Uint8Array,
    readonly offset: number,
  ) {}

  has(at: number, length: number): boolean {
    return at >= this.offset && at + length <= this.offset + this.data.length;
  }

  u8(at: number): number {
    return this.data[at - this.offset] ?? 0;
  }

  u16be(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }

  u16le(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8);
  }

  u24le(at: number): number {
    return this.u16le(at) | (this.u8(at + 2) << 16);
  }

  u32be(at: number): number {
    return ((this.u8(at) << 24) | (this.u8(at + 1) << 16) | (this.u8(at + 2) << 8) | this.u8(at + 3)) >>> 0;
  }

  u32le(at: number): number {
    return (this.u8(at) | (this.u8(at + 1) << 8) | (this.u8(at + 2) << 16) | (this.u8(at + 3) << 24)) >>> 0;
  }

  ascii(at: number, length: number): string {
    let text = '';
    for (let k = 0; k < length; k++) text += String.fromCharCode(this.u8(at + k));
    return text;
  }

  /** Offset of the last occurrence of `needle` at or after `from`, or -1. */
  lastIndexOf(needle: readonly number[], from: number): number {
    const end = this.offset + this.data.length - needle.length;
    for (let at = end; at >= Math.max(from, this.offset); at--) {
      if (needle.every((byte, k) => this.u8(at + k) === byte)) return at;
    }
    return -1;
  }
}

type Found = Pick<ImageFacts, 'format' | 'width' | 'height' | 'exifOrientation'>;

function whole(found: Found): ImageFacts {
  return { exists: true, decodes: true, reason: null, ...found };
}

function damaged(format: ImageFormat | null, reason: string, found: Partial<Found> = {}): ImageFacts {
  return { exists: true, decodes: false, format, width: found.width ?? null, height: found.height ?? null, exifOrientation: found.exifOrientation ?? null, reason };
}

function* tail(size: number, head: Bytes): Inspection<Bytes> {
  const start = Math.max(0, size - TAIL);
  return head.has(start, size - start) ? head : new Bytes(yield { offset: start, length: size - start }, start);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The IEND chunk: type and its fixed CRC. */
const PNG_IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function* png(size: number, head: Bytes): Inspection<ImageFacts> {
  if (!head.has(8, 25) || head.u32be(8) !== 13 || head.ascii(12, 4) !== 'IHDR') return damaged('png', 'no IHDR header chunk');
  const width = head.u32be(16);
  const height = head.u32be(20);
  const found = { format: 'png' as const, width, height, exifOrientation: null };
  if (width === 0 || height === 0) return damaged('png', 'the header gives a zero size', found);
  if ((yield* tail(size, head)).lastIndexOf(PNG_IEND, 0) === -1) return damaged('png', 'cut short: no IEND chunk at the end', found);
  return whole(found);
}

function isJpegFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" payload starting at `at`. */
function exifOrientation(bytes: Bytes, at: number, length: number): number | null {
  if (length < 14 || bytes.ascii(at, 6) !== 'Exif\0\0') return null;
  const tiff = at + 6;
  const end = at + length;
  const order = bytes.ascii(tiff, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (offset: number): number => (little ? bytes.u16le(offset) : bytes.u16be(offset));
  const u32 = (offset: number): number => (little ? bytes.u32le(offset) : bytes.u32be(offset));
  if (u16(tiff + 2) !== 42) return null;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return null;
  const entries = u16(ifd);
  for (let k = 0; k < entries; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > end) return null;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

function* jpeg(size: number, head: Bytes): Inspection<ImageFacts> {
  let window = head;
  let reads = 0;
  // Called only when `window` lacks the bytes, so the common case costs no generator.
  function* refill(at: number, length: number): Inspection<boolean> {
    if (at + length > size || ++reads > MAX_JPEG_READS) return false;
    window = new Bytes(yield { offset: at, length: Math.max(length, WINDOW) }, at);
    return window.has(at, length);
  }
  let width: number | null = null;
  let height: number | null = null;
  let orientation: number | null = null;
  let scan = -1;
  for (let at = 2; scan === -1; ) {
    if (!window.has(at, 4) && !(yield* refill(at, 4))) return damaged('jpeg', reads > MAX_JPEG_READS ? 'too many segments before the image data' : 'cut short before the image data', { width, height, exifOrientation: orientation });
    if (window.u8(at) !== 0xff) return damaged('jpeg', `no segment marker at byte ${at}`);
    const marker = window.u8(at + 1);
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd9) return damaged('jpeg', 'the file ends before any image data');
    const length = window.u16be(at + 2);
    if (length < 2) return damaged('jpeg', `a segment of impossible length at byte ${at}`);
    if (isJpegFrameHeader(marker)) {
      if (!window.has(at, 9) && !(yield* refill(at, 9))) return damaged('jpeg', 'cut short in the frame header');
      height = window.u16be(at + 5);
      width = window.u16be(at + 7);
    } else if (marker === 0xe1 && orientation === null && (window.has(at + 4, length - 2) || (yield* refill(at + 4, length - 2)))) {
      orientation = exifOrientation(window, at + 4, length - 2);
    } else if (marker === 0xda) scan = at;
    at += 2 + length;
  }
  const found = { format: 'jpeg' as const, width, height, exifOrientation: orientation };
  if (width === null || height === null) return damaged('jpeg', 'no frame header (SOF) before the image data', found);
  if (width === 0 || height === 0) return damaged('jpeg', 'the frame header gives a zero size', found);
  if ((yield* tail(size, head)).lastIndexOf([0xff, 0xd9], scan + 2) === -1) return damaged('jpeg', 'cut short: no end-of-image marker after the image data', found);
  return whole(found);
}

function* gif(size: number, head: Bytes): Inspection<ImageFacts> {
  if (!head.has(6, 4)) return damaged('gif', 'cut short in the header');
  const found = { format: 'gif' as const, width: head.u16le(6), height: head.u16le(8), exifOrientation: null };
  if (found.width === 0 || found.height === 0) return damaged('gif', 'the header gives a zero size', found);
  // The last data block's terminator, then the trailer.
  if ((yield* tail(size, head)).lastIndexOf([0x00, 0x3b], 13) === -1) return damaged('gif', 'cut short: no trailer at the end', found);
  return whole(found);
}

function bmp(size: number, head: Bytes): ImageFacts {
  if (!head.has(14, 12)) return damaged('bmp', 'cut short in the header');
  const dibSize = head.u32le(14);
  const pixelsAt = head.u32le(10);
  let width: number;
  let height: number;
  let bits: number;
  let compression = 0;
  let imageBytes = 0;
  if (dibSize === 12) {
    width = head.u16le(18);
    height = head.u16le(20);
    bits = head.u16le(24);
  } else if (dibSize >= 40 && head.has(14, 40)) {
    width = head.u32le(18) | 0;
    height = Math.abs(head.u32le(22) | 0); // negative: rows stored top-down
    bits = head.u16le(28);
    compression = head.u32le(30);
    imageBytes = head.u32le(34);
  } else return damaged('bmp', `an unknown header of ${dibSize} bytes`);
  const found = { format: 'bmp' as const, width, height, exifOrientation: null };
  if (width <= 0 || height === 0 || bits === 0) return damaged('bmp', 'the header gives a zero size', found);
  // Uncompressed rows are padded to 4 bytes; PIL does not need the last row's padding.
  const uncompressed = compression === 0 || compression === 3 || compression === 6;
  const needed = uncompressed ? pixelsAt + Math.ceil((bits * width) / 32) * 4 * (height - 1) + Math.ceil((bits * width) / 8) : pixelsAt + imageBytes;
  if (size < needed) return damaged('bmp', `cut short: ${size} bytes where the header needs ${needed}`, found);
  return whole(found);
}

function webp(size: number, head: Bytes): ImageFacts {
  if (!head.has(12, 18)) return damaged('webp', 'cut short in the header');
  const chunk = head.ascii(12, 4);
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    if (head.u8(23) !== 0x9d || head.u8(24) !== 0x01 || head.u8(25) !== 0x2a) return damaged('webp', 'no VP8 frame start code');
    width = head.u16le(26) & 0x3fff;
    height = head.u16le(28) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (head.u8(20) !== 0x2f) return damaged('webp', 'no VP8L signature');
    const bits = head.u32le(21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    width = head.u24le(24) + 1;
    height = head.u24le(27) + 1;
  } else return damaged('webp', `an unknown first chunk "${chunk}"`);
  const found = { format: 'webp' as const, width, height, exifOrientation: null };
  const declared = head.u32le(4) + 8;
  if (size < declared) return damaged('webp', `cut short: ${size} bytes where the header declares ${declared}`, found);
  return whole(found);
}

/** Each format's first bytes; null matches any byte (WebP's RIFF size). */
const SIGNATURES: ReadonlyArray<[ImageFormat, ReadonlyArray<number | null>]> = [
  ['png', PNG_SIGNATURE],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38]],
  ['bmp', [0x42, 0x4d]],
  ['webp', [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50]],
];

/** The format whose signature the whole (short) file is the start of. */
function cutInSignature(head: Bytes): ImageFormat | null {
  const length = head.data.length;
  for (const [format, signature] of SIGNATURES) {
    if (length < signature.length && signature.slice(0, length).every((byte, k) => byte === null || byte === head.u8(k))) return format;
  }
  return null;
}

/** Files that often sit where an image should: a Git LFS pointer, an HTML error page, text. */
function notAnImage(head: Bytes): string | null {
  const start = head.ascii(0, Math.min(head.data.length, 64));
  if (start.startsWith('version https://git-lfs')) return 'a Git LFS pointer, not the image: run git lfs pull';
  const sample = head.data.subarray(0, 512);
  const text = sample.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || byte >= 0x20);
  return text ? `text, not an image (it starts "${start.slice(0, 24).replace(/\s+/g, ' ')}")` : null;
}

/** The facts of an existing file of `size` bytes, from its header and its end. */
export function* inspectImage(size: number): Inspection<ImageFacts> {
  if (size === 0) return damaged(null, 'the file is empty');
  const head = new Bytes(yield { offset: 0, length: Math.min(size, WINDOW) }, 0);
  if (PNG_SIGNATURE.every((byte, k) => head.u8(k) === byte)) return yield* png(size, head);
  if (head.u8(0) === 0xff && head.u8(1) === 0xd8 && head.u8(2) === 0xff) return yield* jpeg(size, head);
  const magic = head.ascii(0, 6);
  if (magic === 'GIF87a' || magic === 'GIF89a') return yield* gif(size, head);
  if (magic.startsWith('BM')) return bmp(size, head);
  if (magic.startsWith('RIFF') && head.ascii(8, 4) === 'WEBP') return webp(size, head);
  const cut = cutInSignature(head);
  if (cut) return damaged(cut, 'cut short in the header');
  const other = notAnImage(head);
  if (other) return damaged(null, other);
  return { exists: true, decodes: null, format: null, width: null, height: null, exifOrientation: null, reason: null };
}
