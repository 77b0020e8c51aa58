// The two-thread image probe gives every path exactly the facts one thread gives, whichever
// thread probed it, and validating a file with many images reports what probing them one by one
// reports.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeImageSync } from '../../../electron/main/services/dataset/imageProbe';
import { ImageProbePool } from '../../../electron/main/services/dataset/imageProbePool';
import { validateDatasetFile } from '../../../electron/main/services/dataset/validateDatasetFile';
import type { ImageFacts } from '../../../shared/dataset/imageFacts';

const IMAGES = 'test/fixtures/images';
const folder = mkdtempSync(join(tmpdir(), 'qvl-probe-pool-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** 1,500 paths (several batches): every fixture whole and cut short, missing files, folders, text. */
function mixedPaths(): string[] {
  const fixtures = readdirSync(IMAGES).filter((name) => !name.endsWith('.md'));
  mkdirSync(join(folder, 'mixed'));
  const paths: string[] = [];
  for (let k = 0; k < 1500; k++) {
    const path = join(folder, 'mixed', `${k}`);
    const bytes = readFileSync(join(IMAGES, fixtures[k % fixtures.length] ?? ''));
    switch (k % 5) {
      case 0:
        writeFileSync(path, bytes);
        break;
      case 1:
        writeFileSync(path, bytes.subarray(0, bytes.length - 1 - (k % 17)));
        break;
      case 2:
        break; // missing
      case 3:
        mkdirSync(path);
        break;
      default:
        writeFileSync(path, `not an image ${k}`);
    }
    paths.push(path);
  }
  return paths;
}

describe('ImageProbePool', () => {
  it('gives each of many paths the facts a single-thread probe gives', async () => {
    const paths = mixedPaths();
    const pool = new ImageProbePool();
    for (const path of paths) pool.add(path);
    const facts = await pool.finish();
    expect(facts.size).toBe(paths.length);
    const expected = new Map<string, ImageFacts>(paths.map((path) => [path, probeImageSync(path)]));
    expect(facts).toEqual(expected);
    expect(new Set([...facts.values()].map((found) => found.reason)).size).toBeGreaterThan(5);
  });

  it('probes a handful of paths on the calling thread', async () => {
    const pool = new ImageProbePool();
    pool.add(join(IMAGES, 'rgb-12x8.jpg'));
    pool.add(join(folder, 'absent.png'));
    const facts = await pool.finish();
    expect(facts.get(join(IMAGES, 'rgb-12x8.jpg'))).toMatchObject({ decodes: true, width: 12, height: 8 });
    expect(facts.get(join(folder, 'absent.png'))).toMatchObject({ exists: false, reason: 'no such file' });
  });
});

describe('validating a dataset of many distinct images', () => {
  it('reports every image problem at its sample, as probing one by one does', async () => {
    const images = join(folder, 'many');
    mkdirSync(images);
    const jpeg = readFileSync(join(IMAGES, 'rgb-12x8.jpg'));
    const records = [];
    for (let k = 0; k < 2000; k++) {
      // Every 7th image is missing, every 11th cut short; a few samples share a path, written two ways.
      if (k % 7 !== 0) writeFileSync(join(images, `${k}.jpg`), k % 11 === 0 ? jpeg.subarray(0, 300) : jpeg);
      const path = k % 13 === 0 ? `./many/${k - (k % 2)}.jpg` : `many/${k}.jpg`;
      records.push({ id: `s${k}`, conversations: [{ from: 'user', value: `Picture 1: <img>${path}</img>\n框出图中的猫` }, { from: 'assistant', value: '<ref>猫</ref><box>(10,10),(500,500)</box>' }] });
    }
    const file = join(folder, 'many.json');
    writeFileSync(file, JSON.stringify(records, null, 2));
    const report = await validateDatasetFile(file);
    const missing = report.problems.filter((entry) => entry.code === 'image-missing').map((entry) => entry.sample);
    const damaged = report.problems.filter((entry) => entry.code === 'image-corrupt').map((entry) => entry.sample);
    const expectedMissing = records.map((_, k) => k).filter((k) => (k % 13 === 0 ? (k - (k % 2)) % 7 === 0 : k % 7 === 0));
    const expectedDamaged = records.map((_, k) => k).filter((k) => {
      const named = k % 13 === 0 ? k - (k % 2) : k;
      return named % 7 !== 0 && named % 11 === 0;
    });
    expect(missing).toEqual(expectedMissing);
    expect(damaged).toEqual(expectedDamaged);
  });
});
