// "Write an upright copy" through the workspace service: the copy is checked against the original
// (turned size, no EXIF rotation), written beside it under a new name, and the sample points at
// it with its boxes turned; the original stays, and a wrong copy leaves nothing behind.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../../electron/main/services/dataset/workspaceService';
import { rgbPng } from '../../support/pngImages';

const root = mkdtempSync(join(tmpdir(), 'qvl-upright-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an upright copy of an EXIF-rotated image', () => {
  it('is written beside the original and the sample points at it with its boxes turned', async () => {
    const folder = join(root, 'set');
    const file = join(folder, 'train.json');
    const original = readFileSync('test/fixtures/images/exif-orientation-6-16x9.jpg');
    mkdirSync(join(folder, 'imgs'), { recursive: true });
    writeFileSync(join(folder, 'imgs', 'turned.jpg'), original);
    // (0,0)-(500,333) of the stored 16×9 pixels is (0,0)-(8,3) px.
    writeFileSync(file, JSON.stringify([{ id: 'a', conversations: [{ from: 'user', value: 'Picture 1: <img>imgs/turned.jpg</img>\n框出图中的狗' }, { from: 'assistant', value: '<ref>狗</ref><box>(0,0),(500,333)</box>' }] }]));
    const datasets = new DatasetWorkspaceService({ dataDir: join(root, 'data'), home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
    const info = await datasets.open({ file, autosave: false });

    // A copy of the wrong size is refused and not kept.
    const wrong = rgbPng(16, 9, () => [0, 0, 0]);
    await expect(datasets.writeUprightCopy(info.id, 0, 'imgs/turned.jpg', 'image/png', wrong)).rejects.toThrow(/not imgs\/turned.jpg turned upright \(9×16/);
    expect(readdirSync(join(folder, 'imgs'))).toEqual(['turned.jpg']);

    const upright = rgbPng(9, 16, (x, y) => [x * 20, y * 10, 0]);
    const result = await datasets.writeUprightCopy(info.id, 0, 'imgs/turned.jpg', 'image/png', upright);
    expect(readdirSync(join(folder, 'imgs')).sort()).toEqual(['turned.jpg', 'turned.upright.png']);
    expect(readFileSync(join(folder, 'imgs', 'turned.upright.png')).equals(upright)).toBe(true);
    expect(readFileSync(join(folder, 'imgs', 'turned.jpg')).equals(original)).toBe(true);
    // Orientation 6 turns a quarter clockwise: (0,0)-(8,3) px of 16×9 is (6,0)-(9,8) px of 9×16.
    const turns = datasets.sample(info.id, 0).sample.turns.map((turn) => turn.value);
    expect(turns).toEqual(['Picture 1: <img>imgs/turned.upright.png</img>\n框出图中的狗', '<ref>狗</ref><box>(667,0),(999,500)</box>']);
    expect(result.problems.map((problem) => problem.code)).not.toContain('image-exif-rotated');
    expect(datasets.sample(info.id, 0).images[0]).toMatchObject({ path: 'imgs/turned.upright.png', width: 9, height: 16, exifOrientation: null });

    // The sample no longer uses the original: no second copy of it through this sample.
    await expect(datasets.writeUprightCopy(info.id, 0, 'imgs/turned.jpg', 'image/png', upright)).rejects.toThrow(/not a picture of sample 0/);
    await datasets.close(info.id);
    expect(readFileSync(file, 'utf8')).toContain('imgs/turned.upright.png');
  });
});
