import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = resolve('dist/cli/qvl.mjs');
const folder = mkdtempSync(join(tmpdir(), 'qvl-dataset-cli-'));

async function qvl(args: string[], cwd = process.cwd()) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'dataset', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function dataset(name: string, samples: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(samples, null, 2));
  return path;
}

const grounding = (id: string, path: string, answer = '<ref>车</ref><box>(250,370),(520,851)</box>') => ({
  id,
  conversations: [
    { from: 'user', value: `Picture 1: <img>${path}</img>\n框出图中的车` },
    { from: 'assistant', value: answer },
  ],
});

describe('qvl dataset validate', () => {
  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-node.mjs', 'cli']);
    mkdirSync(join(folder, 'images'));
    copyFileSync('test/fixtures/images/rgb-12x8.jpg', join(folder, 'images', 'car.jpg'));
    copyFileSync('test/fixtures/images/exif-orientation-6-16x9.jpg', join(folder, 'images', 'turned.jpg'));
    const jpeg = readFileSync('test/fixtures/images/rgb-12x8.jpg');
    writeFileSync(join(folder, 'images', 'cut.jpg'), jpeg.subarray(0, jpeg.length - 40));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('passes a clean file with exit 0 and the documented JSON', async () => {
    const file = dataset('clean.json', [grounding('a', 'images/car.jpg'), grounding('b', join(folder, 'images', 'car.jpg'))]);
    const result = await qvl(['validate', file, '--json'], tmpdir());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ samples: 2, errors: 0, warnings: 0, problems: [] });
  });

  it('lists each problem with exactly the specified fields and exits 1 on errors', async () => {
    const file = dataset('broken.json', [
      grounding('a', 'images/missing.jpg'),
      grounding('b', 'images/cut.jpg', '<box>(5,5),(1000,9)</box>'),
      { id: 'c', conversations: [{ from: 'human', value: 'Picture 1: <img>images/turned.jpg</img>\nhi' }, { from: 'gpt', value: 'hello' }] },
      grounding('a', 'images/car.jpg'),
    ]);
    const result = await qvl(['validate', file, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['samples', 'errors', 'warnings', 'problems']);
    for (const entry of report.problems) expect(Object.keys(entry)).toEqual(['severity', 'sample', 'id', 'turn', 'offset', 'code', 'message']);
    expect(report.problems.map(({ severity, sample, id, turn, offset, code }: Record<string, unknown>) => [severity, sample, id, turn, offset, code])).toEqual([
      ['error', 0, 'a', 0, 16, 'image-missing'],
      ['error', 1, 'b', 0, 16, 'image-corrupt'],
      ['error', 1, 'b', 1, 0, 'box-out-of-range'],
      ['error', 2, 'c', 0, null, 'role-invalid'],
      ['warning', 2, 'c', 0, 16, 'image-exif-rotated'],
      ['error', 2, 'c', 1, null, 'role-invalid'],
      ['error', 3, 'a', null, null, 'id-duplicate'],
    ]);
    expect(report).toMatchObject({ samples: 4, errors: 6, warnings: 1 });
  });

  it('reports malformed JSON as a problem of the whole file, with line and column', async () => {
    const result = await qvl(['validate', 'test/fixtures/qwen-vl-data/issue352_grounding_sample_VERBATIM_invalid_json.txt', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ samples: 0, errors: 1, warnings: 0 });
    expect(report.problems[0]).toMatchObject({ severity: 'error', sample: null, id: null, turn: null, code: 'json-syntax' });
    expect(report.problems[0].message).toContain('line 12, column 8');
  });

  it('resolves relative image paths against --root, by default the file\'s folder', async () => {
    const elsewhere = join(folder, 'elsewhere');
    mkdirSync(join(elsewhere, 'images'), { recursive: true });
    const file = join(elsewhere, 'data.json');
    writeFileSync(file, JSON.stringify([grounding('a', 'images/car.jpg')]));
    expect((await qvl(['validate', file])).code).toBe(1);
    expect((await qvl(['validate', file, '--root', folder])).code).toBe(0);
    expect((await qvl(['validate', 'data.json'], elsewhere)).code).toBe(1);
    expect((await qvl(['validate', 'data.json', '--root', '..'], elsewhere)).code).toBe(0);
  });

  it('says clearly when a name is not UTF-8: an image named in Latin-1, a dataset saved in Latin-1', async () => {
    writeFileSync(Buffer.concat([Buffer.from(join(folder, 'images', 'caf')), Buffer.from([0xe9]), Buffer.from('.jpg')]), readFileSync('test/fixtures/images/rgb-12x8.jpg'));
    // Python's json.dump(os.listdir(...)) writes the undecodable byte as \udce9.
    const file = join(folder, 'latin1-name.json');
    writeFileSync(file, JSON.stringify([grounding('a', 'images/caf\udce9.jpg')]));
    expect(readFileSync(file, 'utf8')).toContain('caf\\udce9.jpg');
    const result = await qvl(['validate', file, '--json']);
    expect(result.code).toBe(1);
    const [entry] = JSON.parse(result.stdout).problems;
    expect(entry).toMatchObject({ code: 'image-path-not-utf8', sample: 0, turn: 0, offset: 26 });
    expect(entry.message).toContain('Rename the file to UTF-8');
    const latin1 = join(folder, 'latin1-text.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from('[{"id": "caf'), Buffer.from([0xe9]), Buffer.from('", "conversations": []}]')]));
    const text = JSON.parse((await qvl(['validate', latin1, '--json'])).stdout);
    expect(text.problems[0]).toMatchObject({ code: 'file-not-utf8', sample: null });
    expect(text.problems[0].message).toContain('byte 0xE9 at line 1, column 13');
  });

  it('prints a readable report without --json', async () => {
    const file = dataset('report.json', [grounding('a', 'images/car.jpg', '<box>(5,5),(1000,9)</box>'), grounding('b', 'images/turned.jpg')]);
    const result = await qvl(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: 2 samples, 1 error, 1 warning`);
    expect(result.stdout).toMatch(/error {3}sample 0 \(a\), turn 1, char 0: \[box-out-of-range\] Coordinate 1000 is outside \[0, 999\]/);
    expect(result.stdout).toMatch(/warning sample 1 \(b\), turn 0, char 16: \[image-exif-rotated\]/);
  });

  it('exits 2 for usage errors and unreadable files', async () => {
    expect(await qvl(['validate', join(folder, 'nope.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    expect(await qvl(['validate', folder])).toMatchObject({ code: 2, stderr: expect.stringContaining('a folder') });
    expect(await qvl(['validate', 'a.json', '--root', join(folder, 'nope')])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a folder') });
    expect((await qvl(['validate'])).code).toBe(2);
    expect((await qvl(['validate', 'a.json', 'b.json'])).code).toBe(2);
    expect((await qvl(['validate', '--bogus', 'a.json'])).code).toBe(2);
    expect(await qvl(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown subcommand "frobnicate"') });
    expect((await qvl([])).code).toBe(2);
    expect(await qvl(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('validate') });
    expect(await qvl(['validate', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: qvl dataset validate <file.json> [--root DIR] [--json]') });
  });
});
