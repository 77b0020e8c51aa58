// Finds the EXIF Orientation tag in JPEG (APP1) and WebP (EXIF chunk) bytes, and writes another
// value into a copy. Browsers rotate images by this tag when decoding, and Chromium has no
// decoding option that ignores it (createImageBitmap's "none" still means "from the image" there),
// so the canvas decodes a copy that says 1 to get the pixels as PIL reads them for training.

export interface OrientationTag {
  /** 1–8 as stored; 1 is upright. */
  readonly value: number;
  /** Where the 16-bit value sits in the file. */
  readonly offset: number;
  readonly littleEndian: boolean;
}

const ORIENTATION = 0x0112;
const TYPE_SHORT = 3;
const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));
const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) => prefix.every((byte, i) => bytes[at + i] === byte);

/** The tag in a TIFF structure (EXIF's container) between `start` and `end`. */
function inTiff(bytes: Uint8Array, start: number, end: number): OrientationTag | null {
  const littleEndian = ascii(bytes, start, 'II');
  if (!littleEndian && !ascii(bytes, start, 'MM')) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, Math.min(end, bytes.length));
  const u16 = (at: number) => (at + 2 <= view.byteLength ? view.getUint16(at, littleEndian) : -1);
  const u32 = (at: number) => (at + 4 <= view.byteLength ? view.getUint32(at, littleEndian) : -1);
  if (u16(start + 2) !== 42) return null;
  const ifd = start + u32(start + 4);
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > view.byteLength) return null;
    if (u16(entry) === ORIENTATION && u16(entry + 2) === TYPE_SHORT) return { value: u16(entry + 8), offset: entry + 8, littleEndian };
  }
  return null;
}

function inJpeg(bytes: Uint8Array): OrientationTag | null {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // Start of scan or end of image: the metadata segments are all before it.
    if (marker === 0xda || marker === 0xd9) return null;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (marker === 0xe1 && startsWith(bytes, at + 4, EXIF_HEADER)) return inTiff(bytes, at + 10, at + 2 + length);
    at += 2 + length;
  }
  return null;
}

function inWebp(bytes: Uint8Array): OrientationTag | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    if (ascii(bytes, at, 'EXIF')) {
      // Some writers keep JPEG's "Exif\0\0" in front of the TIFF header.
      const start = startsWith(bytes, at + 8, EXIF_HEADER) ? at + 14 : at + 8;
      return inTiff(bytes, start, at + 8 + size);
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

export function findOrientationTag(bytes: Uint8Array): OrientationTag | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return inJpeg(bytes);
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return inWebp(bytes);
  return null;
}

/** A copy of the file whose tag says `value`; the input is left as it is. */
export function withOrientation(bytes: Uint8Array, tag: OrientationTag, value: number): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint16(tag.offset, value, tag.littleEndian);
  return copy;
}
