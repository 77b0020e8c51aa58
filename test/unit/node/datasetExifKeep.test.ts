// "Keep as training sees it" for an image with an EXIF rotation: the warning goes in every sample
// that uses the image, the answer survives closing and reopening the dataset, and a file replaced
// by one with another orientation is flagged again.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../../electron/main/services/dataset/workspaceService';

const IMAGES = 'test/fixtures/images';
const root = mkdtempSync(join(tmpdir(), 'qvl-exif-keep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const record = (id: string, image: string) => ({ id, conversations: [{ from: 'user', value: `Picture 1: <img>${image}</img>\n框出图中的狗` }, { from: 'assistant', value: '<ref>狗</ref><box>(1,1),(100,100)</box>' }] });

function service(dataDir: string): DatasetWorkspaceService {
  return new DatasetWorkspaceService({ dataDir, home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
}

const exifProblems = (datasets: DatasetWorkspaceService, id: string, index: number) => datasets.sample(id, index).problems.filter((problem) => problem.code === 'image-exif-rotated').length;

describe('keeping an EXIF rotation as training sees it', () => {
  it('clears the warning in every sample using the image, for good, until the file changes orientation', async () => {
    const file = join(root, 'train.json');
    const dataDir = join(root, 'data');
    copyFileSync(join(IMAGES, 'exif-orientation-6-16x9.jpg'), join(root, 'rotated.jpg'));
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(root, 'plain.jpg'));
    writeFileSync(file, JSON.stringify([record('a', 'rotated.jpg'), record('b', 'rotated.jpg'), record('c', 'plain.jpg')]));

    const datasets = service(dataDir);
    const info = await datasets.open({ file, autosave: false });
    await datasets.validate(info.id);
    expect([0, 1, 2].map((index) => exifProblems(datasets, info.id, index))).toEqual([1, 1, 0]);
    expect(datasets.sample(info.id, 0).images[0]).toMatchObject({ exifOrientation: 6, exifKept: false });
    await expect(datasets.keepExifRotation(info.id, 2, 'plain.jpg')).rejects.toThrow(/no EXIF rotation/);
    await expect(datasets.keepExifRotation(info.id, 0, '../elsewhere.jpg')).rejects.toThrow(/not an image this dataset uses/);

    const kept = await datasets.keepExifRotation(info.id, 0, 'rotated.jpg');
    expect(kept.problems.map((problem) => problem.code)).not.toContain('image-exif-rotated');
    expect(kept.row.warnings).toBe(0);
    expect([0, 1].map((index) => exifProblems(datasets, info.id, index))).toEqual([0, 0]);
    // The tag is still reported as it is; only the warning is gone.
    expect(datasets.sample(info.id, 1).images[0]).toMatchObject({ exifOrientation: 6, exifKept: true });
    expect(datasets.list()[0]?.warnings).toBe(0);
    await datasets.close(info.id);

    const again = service(dataDir);
    const second = await again.open({ file, autosave: false });
    expect((await again.validate(second.id)).problems.filter((problem) => problem.code === 'image-exif-rotated')).toEqual([]);

    // Another file with another orientation under the same name is asked about again.
    copyFileSync(join(IMAGES, 'exif-orientation-8-le-12x8.jpg'), join(root, 'rotated.jpg'));
    expect((await again.validate(second.id)).problems.filter((problem) => problem.code === 'image-exif-rotated').map((problem) => problem.sample)).toEqual([0, 1]);
    await again.close(second.id);
  });
});
