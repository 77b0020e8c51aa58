// The image probe on real files (test/fixtures/images, written by PIL, which training uses to
// read them), on those files cut short or padded, on huge and hostile files, and on names that
// are not UTF-8.

import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImage } from '../../../electron/main/services/dataset/imageHeaders';
import { fileSystemPath, probeImage, probeImageSync } from '../../../electron/main/services/dataset/imageProbe';
import type { ImageFacts } from '../../../shared/dataset/imageFacts';

const IMAGES = 'test/fixtures/images';
const folder = mkdtempSync(join(tmpdir(), 'qvl-probe-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
function fileWith(bytes: Uint8Array | string, name = `f${files++}`): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

/** Both drivers must agree; returns the facts. */
async function probe(path: string): Promise<ImageFacts> {
  const facts = await probeImage(path);
  expect(probeImageSync(path)).toEqual(facts);
  return facts;
}

const fixture = (name: string): Buffer => readFileSync(join(IMAGES, name));

describe('whole files', () => {
  it.each([
    ['rgb-7x5.png', 'png', 7, 5, null],
    ['rgb-12x8.jpg', 'jpeg', 12, 8, null],
    ['progressive-16x9.jpg', 'jpeg', 16, 9, null],
    ['exif-orientation-6-16x9.jpg', 'jpeg', 16, 9, 6],
    ['exif-orientation-8-le-12x8.jpg', 'jpeg', 12, 8, 8],
    ['big-icc-12x8.jpg', 'jpeg', 12, 8, null],
    ['palette-10x6.gif', 'gif', 10, 6, null],
    ['rgb-9x7.bmp', 'bmp', 9, 7, null],
    ['lossy-20x10.webp', 'webp', 20, 10, null],
    ['lossless-11x13.webp', 'webp', 11, 13, null],
    ['alpha-14x6.webp', 'webp', 14, 6, null],
  ])('%s: %s %i×%i, orientation %s', async (name, format, width, height, exifOrientation) => {
    expect(await probe(join(IMAGES, name))).toEqual({ exists: true, decodes: true, format, width, height, exifOrientation, reason: null });
  });

  it('reads a JPEG whose frame header lies past the first 64 KiB (an 80 KB ICC profile first)', () => {
    expect(fixture('big-icc-12x8.jpg').length).toBeGreaterThan(64 * 1024 + 1000);
    expect(probeImageSync(join(IMAGES, 'big-icc-12x8.jpg'))).toMatchObject({ width: 12, height: 8, decodes: true });
  });

  it('accepts bytes after the end, as PIL does', async () => {
    for (const name of readdirSync(IMAGES).filter((file) => !file.endsWith('.md'))) {
      const padded = Buffer.concat([fixture(name), Buffer.alloc(100), Buffer.from('trailing junk')]);
      expect(await probe(fileWith(padded)), name).toMatchObject({ decodes: true });
    }
  });
});

describe('damaged files', () => {
  // How much to cut so PIL fails too (checked with PIL 9.4): any byte of a JPEG or WebP, the
  // IEND chunk of a PNG, the trailer of a GIF, more than the last row's padding of a BMP.
  it.each([
    ['rgb-7x5.png', 12, 'no IEND chunk'],
    ['rgb-12x8.jpg', 1, 'no end-of-image marker'],
    ['progressive-16x9.jpg', 2, 'no end-of-image marker'],
    ['palette-10x6.gif', 1, 'no trailer'],
    ['rgb-9x7.bmp', 2, 'cut short: 248 bytes where the header needs 249'],
    ['lossy-20x10.webp', 1, 'cut short'],
    ['lossless-11x13.webp', 1, 'cut short'],
  ])('%s cut by %i bytes is damaged: %s', async (name, cut, reason) => {
    const bytes = fixture(name);
    const facts = await probe(fileWith(bytes.subarray(0, bytes.length - cut)));
    expect(facts).toMatchObject({ exists: true, decodes: false });
    expect(facts.reason).toContain(reason);
  });

  it('any truncation of any fixture is damaged, and says why', () => {
    for (const name of readdirSync(IMAGES).filter((file) => !file.endsWith('.md'))) {
      const bytes = fixture(name);
      const lastCut = name.endsWith('.bmp') ? 2 : name.endsWith('.gif') ? 1 : name.endsWith('.png') ? 12 : 1;
      for (let length = 0; length <= bytes.length - lastCut; length += Math.max(1, Math.floor(bytes.length / 97))) {
        const facts = probeImageSync(fileWith(bytes.subarray(0, length), 'cut'));
        expect(facts.decodes, `${name} at ${length}`).toBe(false);
        expect(facts.reason, `${name} at ${length}`).toBeTruthy();
      }
    }
  });

  it('names what it found instead of an image', async () => {
    expect(await probe(fileWith(''))).toMatchObject({ exists: true, decodes: false, reason: 'the file is empty' });
    expect((await probe(fileWith('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12345\n'))).reason).toContain('Git LFS pointer');
    expect((await probe(fileWith('<html><body>404 Not Found</body></html>'))).reason).toContain('text, not an image');
    expect(await probe(fileWith(Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02])))).toMatchObject({ exists: true, decodes: null, format: null });
    const noFrame = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]), Buffer.from([0x12, 0x34, 0xff, 0xd9])]);
    expect((await probe(fileWith(noFrame))).reason).toContain('no frame header');
    expect((await probe(fileWith(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x00])))).reason).toContain('cut short');
    expect((await probe(fileWith(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78])))).reason).toContain('no segment marker at byte 8');
  });
});

describe('what is not there', () => {
  it('missing files, folders and paths through a file', async () => {
    expect(await probe(join(folder, 'nope.jpg'))).toMatchObject({ exists: false, reason: 'no such file' });
    mkdirSync(join(folder, 'dir.jpg'));
    expect(await probe(join(folder, 'dir.jpg'))).toMatchObject({ exists: false, reason: 'a folder, not a file' });
    expect(await probe(join(fileWith('x'), 'inside.jpg'))).toMatchObject({ exists: false });
  });
});

describe('huge and hostile files', () => {
  it('a 4 GB image costs a few small reads, whatever its size', async () => {
    // A PNG header declaring 100000×100000, 4 GB of holes, and an IEND chunk at the very end.
    const png = fixture('rgb-7x5.png');
    const header = Buffer.from(png.subarray(0, 33));
    header.writeUInt32BE(100_000, 16);
    header.writeUInt32BE(100_000, 20);
    const path = join(folder, 'huge.png');
    const fd = openSync(path, 'w');
    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, png.subarray(png.length - 12), 0, 12, 4 * 1024 ** 3);
    closeSync(fd);
    const started = performance.now();
    expect(await probe(path)).toMatchObject({ decodes: true, width: 100_000, height: 100_000 });
    expect(performance.now() - started).toBeLessThan(1000);
    const requested: number[] = [];
    const inspection = inspectImage(4 * 1024 ** 3 + 12);
    for (let step = inspection.next(); !step.done; ) {
      requested.push(step.value.length);
      const bytes = step.value.offset === 0 ? header : png.subarray(png.length - Math.min(step.value.length, 12));
      step = inspection.next(new Uint8Array(bytes));
    }
    expect(requested).toEqual([64 * 1024, 4096]);
  });

  it('a JPEG of endless empty segments stops after a bounded number of reads', () => {
    const segment = Buffer.from([0xff, 0xe2, 0xff, 0xff]);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8]), ...Array.from({ length: 40 }, () => Buffer.concat([segment, Buffer.alloc(0xfffd)]))]);
    const facts = probeImageSync(fileWith(bytes));
    expect(facts).toMatchObject({ decodes: false, reason: 'too many segments before the image data' });
  });
});

describe('file names that are not UTF-8', () => {
  it('opens the file Python names "caf\\udce9.jpg" (bytes 63 61 66 E9), as Python would', async () => {
    const latin1 = Buffer.concat([Buffer.from(join(folder, 'caf')), Buffer.from([0xe9]), Buffer.from('.jpg')]);
    writeFileSync(latin1, fixture('rgb-12x8.jpg'));
    const written = join(folder, 'caf\udce9.jpg');
    expect(fileSystemPath(written)).toEqual(latin1);
    expect(fileSystemPath('/data/中文.jpg')).toBe('/data/中文.jpg');
    expect(await probe(written)).toMatchObject({ exists: true, decodes: true, width: 12 });
    expect(await probe(join(folder, 'café.jpg'))).toMatchObject({ exists: false });
  });
});
