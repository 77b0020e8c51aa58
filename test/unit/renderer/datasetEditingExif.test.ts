import { describe, expect, it } from 'vitest';
import { findOrientationTag, withOrientation } from '../../../renderer/src/features/dataset/canvas/exifOrientation';

const EXIF = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
const JFIF_APP0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
const SCAN = [0xff, 0xda, 0x00, 0x02, 0x12, 0x34, 0xff, 0xd9];

const u16 = (value: number, little: boolean) => (little ? [value & 0xff, value >> 8] : [value >> 8, value & 0xff]);
const u32 = (value: number, little: boolean) => (little ? [value & 0xff, (value >> 8) & 0xff, 0, 0] : [0, 0, (value >> 8) & 0xff, value & 0xff]);

/** A TIFF structure with IFD0 holding a resolution-unit entry, then Orientation = `orientation`. */
function tiff(orientation: number, little: boolean): number[] {
  const entry = (tag: number, type: number, value: number) => [...u16(tag, little), ...u16(type, little), ...u32(1, little), ...u16(value, little), 0, 0];
  return [...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42, little), ...u32(8, little), ...u16(2, little), ...entry(0x0128, 3, 2), ...entry(0x0112, 3, orientation), ...u32(0, little)];
}

function jpeg(orientation: number | null, little = false): Uint8Array {
  const app1 = orientation === null ? [] : [0xff, 0xe1, ...u16(2 + EXIF.length + tiff(orientation, little).length, false), ...EXIF, ...tiff(orientation, little)];
  return new Uint8Array([0xff, 0xd8, ...JFIF_APP0, ...app1, ...SCAN]);
}

function webp(orientation: number, withExifHeader: boolean): Uint8Array {
  const payload = [...(withExifHeader ? EXIF : []), ...tiff(orientation, true)];
  const vp8x = [...'VP8X'].map((char) => char.charCodeAt(0)).concat([10, 0, 0, 0], new Array<number>(10).fill(0));
  const exif = [...'EXIF'].map((char) => char.charCodeAt(0)).concat(u32(payload.length, true), payload, payload.length % 2 ? [0] : []);
  const body = [...[...'WEBP'].map((char) => char.charCodeAt(0)), ...vp8x, ...exif];
  return new Uint8Array([...[...'RIFF'].map((char) => char.charCodeAt(0)), ...u32(body.length, true), ...body]);
}

describe('the EXIF orientation tag', () => {
  it('is found in a JPEG’s APP1 segment after other segments, in either byte order', () => {
    expect(findOrientationTag(jpeg(6))?.value).toBe(6);
    expect(findOrientationTag(jpeg(8, true))?.value).toBe(8);
    expect(findOrientationTag(jpeg(1))?.value).toBe(1);
  });

  it('is found in a WebP EXIF chunk, with or without the JPEG-style header', () => {
    expect(findOrientationTag(webp(3, false))?.value).toBe(3);
    expect(findOrientationTag(webp(5, true))?.value).toBe(5);
  });

  it('is absent from files without it, and garbage or cut files do not throw', () => {
    expect(findOrientationTag(jpeg(null))).toBeNull();
    expect(findOrientationTag(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    const whole = jpeg(6);
    for (let length = 0; length < whole.length; length++) {
      const tag = findOrientationTag(whole.subarray(0, length));
      if (tag) expect(tag.offset + 2).toBeLessThanOrEqual(length);
    }
    expect(findOrientationTag(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, ...EXIF, 0x4d, 0x4d, 0, 42, 0xff, 0xff, 0xff, 0xff]))).toBeNull();
  });

  it('can be rewritten in a copy, leaving the original bytes alone', () => {
    for (const [file, little] of [
      [jpeg(6), false],
      [jpeg(6, true), true],
    ] as const) {
      const tag = findOrientationTag(file);
      expect(tag?.littleEndian).toBe(little);
      const upright = withOrientation(file, tag!, 1);
      expect(findOrientationTag(upright)?.value).toBe(1);
      expect(findOrientationTag(file)?.value).toBe(6);
      expect([...upright].filter((byte, i) => byte !== file[i])).toHaveLength(1);
    }
  });
});
