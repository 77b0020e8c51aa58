// The dataset builder's workspace through the API dispatcher (so every result is checked against
// the contract's schemas): lossless saves of the real fixtures, images folders, filters on 100,000
// samples, the image server's limits, the crash journal (with a real SIGKILL), conflicts with
// other writers, read-only files and the upload plan.

import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppBackend } from '../../electron/main/services/appBackend';
import type { AppBackend } from '../../electron/main/services/appBackend';
import { MemoryHostsRepository } from '../../electron/main/services/hosts/hostsRepository';
import { MemorySecretStore } from '../../electron/main/services/hosts/secretStore';
import { MemorySettingsRepository } from '../../electron/main/services/settings/jsonFileSettingsRepository';
import { journalPathFor } from '../../electron/main/services/dataset/workspaceJournal';
import { DatasetWorkspaceService } from '../../electron/main/services/dataset/workspaceService';
import type { CallResult } from '../../shared/api/contractTypes';
import type { FolderListing, ImageResult, ListResult, RowsResult, SampleResult, UploadPlan, ValidationReport, WireSample, WorkspaceInfo } from '../../shared/dataset/workspaceApi';
import { editAndKill } from '../support/datasetEditKill';

const QWEN_DATA = 'test/fixtures/qwen-vl-data';
const IMAGES = 'test/fixtures/images';

let root: string;
let dataDir: string;
let backend: AppBackend;
const changes: WorkspaceInfo[] = [];

async function call<T>(method: string, input?: unknown): Promise<T> {
  const result: CallResult = await backend.dispatcher.dispatch(method, input, { clientId: 'test' });
  if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.message}`), { code: result.error.code });
  return result.value as T;
}

async function failure(method: string, input: unknown): Promise<{ code: string; message: string }> {
  const result: CallResult = await backend.dispatcher.dispatch(method, input, { clientId: 'test' });
  if (result.ok) throw new Error(`${method} succeeded`);
  return result.error;
}

/** Waits until the workspace reports `done` (autosave written, checks finished…), from its change events. */
async function until(id: string, done: (info: WorkspaceInfo) => boolean, timeoutMs = 20_000): Promise<WorkspaceInfo> {
  const deadline = Date.now() + timeoutMs;
  let info = (await call<WorkspaceInfo[]>('dataset:workspaces')).find((entry) => entry.id === id);
  for (let seen = changes.length; !(info && done(info)); seen = changes.length) {
    if (Date.now() > deadline) throw new Error(`timed out; last state ${JSON.stringify(info && { ...info, labels: undefined })}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    info = changes.slice(seen).reverse().find((entry) => entry.id === id) ?? info;
  }
  return info;
}

function newBackend(): AppBackend {
  return createAppBackend({ runtime: 'web', settings: new MemorySettingsRepository(), hosts: new MemoryHostsRepository(), secrets: new MemorySecretStore(), launchLanguage: null, dataDir, home: root, userKnownHosts: [] });
}

let case_ = 0;
/** A fresh folder for one test, with the named fixtures copied in. */
function folderWith(...fixtures: string[]): string {
  const folder = join(root, `case-${case_++}`);
  mkdirSync(folder, { recursive: true });
  for (const name of fixtures) copyFileSync(join(QWEN_DATA, name), join(folder, name));
  return folder;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'qvl-workspace-'));
  dataDir = join(root, 'app-data');
  backend = newBackend();
  changes.length = 0;
  backend.events.subscribe((event, payload) => {
    if (event === 'dataset:onDidChange') changes.push(payload as WorkspaceInfo);
  });
});
afterEach(async () => {
  for (const info of await call<WorkspaceInfo[]>('dataset:workspaces')) await call('dataset:close', { id: info.id });
  backend.shutdown();
  rmSync(root, { recursive: true, force: true });
});

describe('saving', () => {
  it.each(['readme_example_aa00ed0.json', 'synthetic_grounding_sample.json'])('rewrites %s byte for byte when every sample comes back unchanged', async (name) => {
    const folder = folderWith(name);
    const file = join(folder, name);
    const original = readFileSync(file);
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    expect(info).toMatchObject({ file, folder, readOnly: false, recovered: 0, dirty: false, saveState: 'saved' });
    // Each sample goes to the screen and back as an edit: origins must be found again.
    for (let index = 0; index < info.sampleCount; index++) {
      const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index });
      await call('dataset:update', { id: info.id, index, sample });
    }
    const saved = await call<WorkspaceInfo>('dataset:save', { id: info.id });
    expect(saved).toMatchObject({ dirty: false, saveState: 'saved' });
    expect(saved.savedAt).not.toBeNull();
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  it('changes only the box that was moved', async () => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    const original = readFileSync(file, 'utf8');
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index: 0 });
    const turns = sample.turns.map((turn) => ({ ...turn, value: turn.value.replace('(520,850)', '(520,851)') }));
    const edit = await call<{ problems: unknown[]; row: { boxCount: number; labels: string[] } }>('dataset:update', { id: info.id, index: 0, sample: { ...sample, turns } });
    expect(edit.row).toMatchObject({ boxCount: 1, labels: ['红色汽车'] });
    await until(info.id, (state) => state.saveState === 'saved' && !state.dirty);
    expect(readFileSync(file, 'utf8')).toBe(original.replace('(520,850)', '(520,851)'));
    expect(changes.some((state) => state.saveState === 'pending' && state.autosaveAt !== null)).toBe(true);
  });

  it('inserts, removes and marks samples reviewed in the file’s own style', async () => {
    const folder = folderWith('readme_example_aa00ed0.json');
    const file = join(folder, 'readme_example_aa00ed0.json');
    const original = readFileSync(file, 'utf8');
    const info = await call<WorkspaceInfo>('dataset:open', { file, autosave: false });
    const added: WireSample = { id: 'identity_3', turns: [{ from: 'user', value: '你好' }, { from: 'assistant', value: '你好！' }], reviewed: true };
    await call('dataset:insert', { id: info.id, index: 3, sample: added });
    await call('dataset:remove', { id: info.id, index: 0 });
    expect(readFileSync(file, 'utf8')).toBe(original);
    await call('dataset:save', { id: info.id });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; reviewed?: boolean }>;
    expect(saved.map((sample) => sample.id)).toEqual(['identity_1', 'identity_2', 'identity_3']);
    expect(saved[2]?.reviewed).toBe(true);
    // The untouched samples are copied as they were, odd spacing included.
    expect(readFileSync(file, 'utf8')).toContain(original.slice(original.indexOf('  { \n    "id": "identity_2"'), original.lastIndexOf('}') + 1));
  });

  it('creates a new dataset, and saves as another file with image paths still naming the same files', async () => {
    const folder = join(root, 'new');
    mkdirSync(join(folder, 'pics'), { recursive: true });
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(folder, 'pics', 'a.png'));
    const file = join(folder, 'train.json');
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    expect(info).toMatchObject({ sampleCount: 0, fileProblems: [], readOnly: false });
    await call('dataset:insert', { id: info.id, index: 0, sample: { id: 'a', turns: [{ from: 'user', value: 'Picture 1: <img>pics/a.png</img>\nhi' }, { from: 'assistant', value: 'ok' }], reviewed: false } });
    await call('dataset:save', { id: info.id });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ id: 'a', conversations: [{ from: 'user', value: 'Picture 1: <img>pics/a.png</img>\nhi' }, { from: 'assistant', value: 'ok' }] }]);
    expect(statSync(file).mode & 0o777).toBe(0o644);

    const elsewhere = join(root, 'elsewhere', 'copy.json');
    mkdirSync(join(root, 'elsewhere'));
    const moved = await call<WorkspaceInfo>('dataset:save', { id: info.id, file: elsewhere });
    expect(moved).toMatchObject({ file: elsewhere, saveState: 'saved' });
    expect(readFileSync(elsewhere, 'utf8')).toContain(`<img>${join(folder, 'pics', 'a.png')}</img>`);
    const { images } = await call<SampleResult>('dataset:sample', { id: info.id, index: 0 });
    expect(images[0]).toMatchObject({ exists: true, width: 7, height: 5, format: 'png' });
    expect(existsSync(journalPathFor(dataDir, file))).toBe(false);
  });

  it('opens a file that is not a JSON list read-only and never writes it', async () => {
    const name = 'issue352_grounding_sample_VERBATIM_invalid_json.txt';
    const folder = folderWith(name);
    const file = join(folder, name);
    const original = readFileSync(file);
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    expect(info.readOnly).toBe(true);
    expect(info.fileProblems.map((entry) => entry.code)).toEqual(['json-syntax']);
    expect((await failure('dataset:insert', { id: info.id, index: 0, sample: { turns: [], reviewed: false } })).code).toBe('read-only');
    expect((await failure('dataset:save', { id: info.id, overwrite: true })).code).toBe('read-only');
    await call('dataset:close', { id: info.id });
    expect(readFileSync(file).equals(original)).toBe(true);

    // A list, but not UTF-8: writing it back would replace the bytes that do not decode.
    const latin1 = join(folder, 'latin1.json');
    writeFileSync(latin1, Buffer.from('[{"id": "caf\xe9", "conversations": []}]', 'latin1'));
    const notUtf8 = await call<WorkspaceInfo>('dataset:open', { file: latin1 });
    expect(notUtf8).toMatchObject({ readOnly: true, sampleCount: 1 });
    expect(notUtf8.fileProblems.map((entry) => entry.code)).toContain('file-not-utf8');
  });
});

describe('an images folder', () => {
  it('becomes one sample per image not used yet, in name order, with paths relative to the dataset', async () => {
    const folder = join(root, 'shots');
    mkdirSync(join(folder, 'b'), { recursive: true });
    mkdirSync(join(folder, '.thumbs'));
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(folder, 'img10.jpg'));
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(folder, 'img2.jpg'));
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(folder, 'b', 'img2.PNG'));
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(folder, '.thumbs', 'x.png'));
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
    const info = await call<WorkspaceInfo>('dataset:open', { images: folder });
    expect(info).toMatchObject({ file: join(folder, 'dataset.json'), imagesFolder: folder, sampleCount: 3, dirty: true });
    const rows = await call<RowsResult>('dataset:rows', { id: info.id, from: 0, count: 10 });
    expect(rows.rows.map((row) => [row.id, row.image])).toEqual([
      ['img2', 'b/img2.PNG'],
      ['img2-2', 'img2.jpg'],
      ['img10', 'img10.jpg'],
    ]);
    const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index: 1 });
    expect(sample.turns).toEqual([{ from: 'user', value: 'Picture 1: <img>img2.jpg</img>\n' }]);
    await until(info.id, (state) => state.saveState === 'saved' && state.checked);
    // Opening the folder again with the dataset adds only what is new.
    copyFileSync(join(IMAGES, 'rgb-9x7.bmp'), join(folder, 'b', 'img1.bmp'));
    await call('dataset:close', { id: info.id });
    const again = await call<WorkspaceInfo>('dataset:open', { file: join(folder, 'dataset.json'), images: folder });
    expect(again.sampleCount).toBe(4);
    const last = await call<RowsResult>('dataset:rows', { id: again.id, from: 3, count: 1 });
    expect(last.rows[0]?.image).toBe('b/img1.bmp');
  });

  it('writes absolute paths for images outside the dataset’s folder', async () => {
    const images = join(root, 'outside');
    mkdirSync(images);
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(images, 'a.png'));
    const file = join(root, 'data', 'train.json');
    mkdirSync(join(root, 'data'));
    const info = await call<WorkspaceInfo>('dataset:open', { file, images });
    const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index: 0 });
    expect(sample.turns[0]?.value).toBe(`Picture 1: <img>${join(images, 'a.png')}</img>\n`);
  });
});

describe('serving images', () => {
  it('sends images the dataset uses, and nothing else', async () => {
    const folder = join(root, 'serve');
    mkdirSync(join(folder, 'img'), { recursive: true });
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(folder, 'img', 'a.jpg'));
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(folder, 'unused.png'));
    writeFileSync(join(folder, 'secret.txt'), 'password');
    // 65 MiB with a PNG signature: sparse, so it costs no disk.
    const huge = join(folder, 'img', 'huge.png');
    writeFileSync(huge, readFileSync(join(IMAGES, 'rgb-7x5.png')));
    truncateSync(huge, 65 * 1024 * 1024);
    const samples = ['img/a.jpg', 'secret.txt', 'img/huge.png'].map((path, k) => ({ id: `s${k}`, conversations: [{ from: 'user', value: `Picture 1: <img>${path}</img>\nx` }, { from: 'assistant', value: 'y' }] }));
    const file = join(folder, 'train.json');
    writeFileSync(file, JSON.stringify(samples, null, 2));
    const info = await call<WorkspaceInfo>('dataset:open', { file });

    const image = await call<ImageResult>('dataset:image', { id: info.id, path: 'img/a.jpg' });
    expect(image.mime).toBe('image/jpeg');
    expect(Buffer.from(image.base64, 'base64').equals(readFileSync(join(folder, 'img', 'a.jpg')))).toBe(true);
    // The same file named another way is still that file.
    expect((await call<ImageResult>('dataset:image', { id: info.id, path: join(folder, 'img', 'x', '..', 'a.jpg') })).mime).toBe('image/jpeg');

    for (const path of ['unused.png', '../../../../etc/passwd', '/etc/passwd', 'img/../unused.png', join(folder, 'unused.png')]) {
      expect((await failure('dataset:image', { id: info.id, path })).code, path).toBe('forbidden');
    }
    const notImage = await failure('dataset:image', { id: info.id, path: 'secret.txt' });
    expect(notImage.code).toBe('forbidden');
    expect(notImage.message).not.toContain('password');
    const tooLarge = await failure('dataset:image', { id: info.id, path: 'img/huge.png' });
    expect(tooLarge).toMatchObject({ code: 'too-large' });
    expect(tooLarge.message).toContain('65.0 MiB');
  });

  it('sends any image of the opened images folder', async () => {
    const folder = join(root, 'pics');
    mkdirSync(folder);
    copyFileSync(join(IMAGES, 'lossy-20x10.webp'), join(folder, 'w.webp'));
    const info = await call<WorkspaceInfo>('dataset:open', { file: join(root, 'train.json'), images: folder });
    expect((await call<ImageResult>('dataset:image', { id: info.id, path: join(folder, 'w.webp') })).mime).toBe('image/webp');
  });
});

describe('problems and filters', () => {
  it('counts problems per sample and filters on them, on labels, review state and text', async () => {
    const folder = join(root, 'filters');
    mkdirSync(folder);
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(folder, 'ok.jpg'));
    copyFileSync(join(IMAGES, 'exif-orientation-6-16x9.jpg'), join(folder, 'rotated.jpg'));
    const sample = (id: string, image: string, answer: string, reviewed = false) => ({ id, conversations: [{ from: 'user', value: `Picture 1: <img>${image}</img>\n框出图中的狗` }, { from: 'assistant', value: answer }], ...(reviewed && { reviewed: true }) });
    const samples = [
      sample('a', 'ok.jpg', '<ref>狗</ref><box>(10,10),(500,500)</box>', true),
      sample('b', 'missing.jpg', '<ref>Cat</ref><box>(10,10),(500,500)</box>'),
      sample('c', 'rotated.jpg', '<ref>狗</ref><box>(500,10),(10,500)</box><ref>狗</ref><box>(1,1),(100,100)</box>'),
      sample('a', 'ok.jpg', 'plain answer'),
    ];
    const file = join(folder, 'train.json');
    writeFileSync(file, JSON.stringify(samples, null, 2));
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    const checked = await until(info.id, (state) => state.checked);
    expect(checked.labels).toEqual([
      { label: '狗', count: 3 },
      { label: 'Cat', count: 1 },
    ]);
    const { rows } = await call<RowsResult>('dataset:rows', { id: info.id, from: 0, count: 10 });
    expect(rows.map((row) => [row.errors > 0, row.warnings > 0])).toEqual([
      [false, false],
      [true, false], // image-missing
      [true, true], // box-inverted, image-exif-rotated
      [true, false], // id-duplicate
    ]);
    expect(checked).toMatchObject({ errors: 3, warnings: 1 });
    const list = async (filter: object): Promise<number[]> => (await call<ListResult>('dataset:list', { id: info.id, filter })).indices;
    expect(await list({})).toEqual([0, 1, 2, 3]);
    expect(await list({ problems: true })).toEqual([1, 2, 3]);
    expect(await list({ problems: false })).toEqual([0]);
    expect(await list({ reviewed: true })).toEqual([0]);
    expect(await list({ label: '狗' })).toEqual([0, 2]);
    expect(await list({ text: 'PLAIN' })).toEqual([3]);
    expect(await list({ text: 'cat', reviewed: false })).toEqual([1]);
    expect(await list({ text: '(1,1)' })).toEqual([2]);

    const detail = await call<SampleResult>('dataset:sample', { id: info.id, index: 2 });
    expect(detail.problems.map((entry) => entry.code).sort()).toEqual(['box-inverted', 'image-exif-rotated']);
    expect(detail.images).toEqual([{ path: 'rotated.jpg', resolved: join(folder, 'rotated.jpg'), exists: true, width: 16, height: 9, exifOrientation: 6, exifKept: false, decodes: true, format: 'jpeg', reason: null }]);

    const report = await call<ValidationReport>('dataset:validate', { id: info.id });
    expect(report.problems.map((entry) => [entry.sample, entry.code])).toEqual([
      [1, 'image-missing'],
      [2, 'image-exif-rotated'],
      [2, 'box-inverted'],
      [3, 'id-duplicate'],
    ]);
    expect(report).toMatchObject({ samples: 4, errors: 3, warnings: 1 });
  });

  it('filters 100,000 samples quickly', async () => {
    const labels = ['cat', 'dog', '红色汽车', 'person', 'bicycle'];
    const n = 100_000;
    const samples = Array.from({ length: n }, (_, i) => ({
      id: `identity_${i}`,
      conversations: [
        { from: 'user', value: `Picture 1: <img>images/img_${i}.jpg</img>\n框出图中的${labels[i % 5]}` },
        { from: 'assistant', value: `<ref>${labels[i % 5]}</ref><box>(${i % 500},${i % 400}),(${500 + (i % 400)},${600 + (i % 300)})</box>` },
      ],
      ...(i % 10 === 0 && { reviewed: true }),
    }));
    const file = join(root, 'big.json');
    writeFileSync(file, JSON.stringify(samples, null, 2));
    const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now();
      const result = await work();
      return [result, Math.round(performance.now() - start)];
    };
    const [info, openMs] = await time(() => call<WorkspaceInfo>('dataset:open', { file, autosave: false }));
    expect(info.sampleCount).toBe(n);
    expect(info.labels.map((entry) => entry.count)).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
    const [label, labelMs] = await time(() => call<ListResult>('dataset:list', { id: info.id, filter: { label: '红色汽车' } }));
    const [text, textMs] = await time(() => call<ListResult>('dataset:list', { id: info.id, filter: { text: 'IMG_9999.jpg' } }));
    const [reviewed, reviewedMs] = await time(() => call<ListResult>('dataset:list', { id: info.id, filter: { reviewed: false } }));
    const [rows, rowsMs] = await time(() => call<RowsResult>('dataset:rows', { id: info.id, from: 50_000, count: 100 }));
    expect(label.indices.length).toBe(20_000);
    expect(label.indices[1]).toBe(7);
    expect(text.indices).toEqual([9999]);
    expect(reviewed.indices.length).toBe(90_000);
    expect(rows.rows[0]).toMatchObject({ index: 50_000, id: 'identity_50000', image: 'images/img_50000.jpg', labels: ['cat'], boxCount: 1 });
    const [, checkMs] = await time(() => until(info.id, (state) => state.checked, 120_000));
    const [problems, problemsMs] = await time(() => call<ListResult>('dataset:list', { id: info.id, filter: { problems: true } }));
    expect(problems.indices.length).toBe(n); // every image is missing
    const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index: 123 });
    await call('dataset:update', { id: info.id, index: 123, sample: { ...sample, reviewed: true } });
    const [, saveMs] = await time(() => call('dataset:save', { id: info.id }));
    const savedText = readFileSync(file, 'utf8');
    expect(savedText).toBe(JSON.stringify(samples.map((entry, i) => (i === 123 ? { ...entry, reviewed: true } : entry)), null, 2));
    console.log(`100,000 samples: open ${openMs} ms, background check ${checkMs} ms, filters label ${labelMs} / text ${textMs} / reviewed ${reviewedMs} / problems ${problemsMs} ms, 100 rows ${rowsMs} ms, save after one edit ${saveMs} ms`);
    // Loose bounds: two cores shared with other work.
    expect(labelMs + textMs + reviewedMs + problemsMs).toBeLessThan(8000);
    expect(rowsMs).toBeLessThan(500);
  }, 240_000);
});

describe('the crash journal', () => {
  /** With autosaves every few ms, edits paced so several saves land between them. */
  const pauseBetweenEdits = (autosaveMs: number) => (autosaveMs < 1000 ? autosaveMs * 3 : 0);

  /** What the child's edits 0..acked must have left, as the child computes its targets. */
  async function expectAcknowledgedEdits(id: string, opened: number, acked: number): Promise<void> {
    let count = opened;
    const lastEdit = new Map<number, number>();
    const inserted: number[] = [];
    for (let n = 0; n <= acked; n++) {
      if (n % 5 === 0) {
        inserted.push(n);
        count++;
      }
      lastEdit.set(n % count, n);
    }
    const info = (await call<WorkspaceInfo[]>('dataset:workspaces')).find((entry) => entry.id === id);
    expect(info?.sampleCount).toBeGreaterThanOrEqual(count);
    for (const [index, n] of lastEdit) {
      const { sample } = await call<SampleResult>('dataset:sample', { id, index });
      // A later edit may have landed too (written before the kill but not acknowledged yet).
      expect(Number(sample.turns[0]?.value.replace('edit ', '')), `sample ${index}`).toBeGreaterThanOrEqual(n);
    }
    const { rows } = await call<RowsResult>('dataset:rows', { id, from: 0, count: 1000 });
    expect(rows.slice(opened, opened + inserted.length).map((row) => row.id)).toEqual(inserted.map((n) => `new-${n}`));
    // Nothing was applied twice (an insert replayed onto a file that already had it).
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  }

  it.each([
    ['before any autosave', 12, 60_000],
    ['while autosaves run', 60, 5],
  ])('replays every acknowledged edit after a SIGKILL %s', async (_when, acks, autosaveMs) => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    const original = readFileSync(file, 'utf8');
    const { opened, acked } = await editAndKill(dataDir, file, acks, autosaveMs, pauseBetweenEdits(autosaveMs));
    expect(acked).toBe(acks - 1);
    // Without autosave the file is untouched and the journal holds everything; with it, the kill
    // lands among writes of the file, marks and journal resets.
    expect(readFileSync(file, 'utf8') === original).toBe(autosaveMs > 1000);
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    if (autosaveMs > 1000) expect(info.recovered).toBeGreaterThanOrEqual(acks);
    expect(info.keptJournal).toBeNull();
    await expectAcknowledgedEdits(info.id, opened, acked);
    // The replayed edits reach the file.
    await call('dataset:save', { id: info.id });
    await call('dataset:close', { id: info.id });
    expect(existsSync(journalPathFor(dataDir, file))).toBe(false);
    const reopened = await call<WorkspaceInfo>('dataset:open', { file });
    expect(reopened.recovered).toBe(0);
    await expectAcknowledgedEdits(reopened.id, opened, acked);
  }, 60_000);

  it('ignores a last line cut short by the kill', async () => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    const { opened, acked } = await editAndKill(dataDir, file, 4, 60_000, 0);
    appendFileSync(journalPathFor(dataDir, file), '{"kind":"update","index":0,"sample":{"turns":[{"from":"user","va');
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    expect(info.keptJournal).toBeNull();
    await expectAcknowledgedEdits(info.id, opened, acked);
  }, 60_000);

  it('replays removals and inserts left by a process that never closed', async () => {
    const folder = folderWith('readme_example_aa00ed0.json');
    const file = join(folder, 'readme_example_aa00ed0.json');
    const original = readFileSync(file);
    const crashed = new DatasetWorkspaceService({ dataDir, home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
    // Autosave off: nothing of it runs after the test, as nothing runs after a crash.
    const info = await crashed.open({ file, autosave: false });
    await crashed.remove(info.id, 1);
    await crashed.insert(info.id, 0, { id: 'first', turns: [{ from: 'user', value: 'q' }, { from: 'assistant', value: 'a' }], reviewed: false });
    const { sample } = crashed.sample(info.id, 2);
    await crashed.update(info.id, 2, { ...sample, reviewed: true });
    // Never closed: like a crash, except that the process goes on. The file is untouched.
    expect(readFileSync(file).equals(original)).toBe(true);
    const reopened = await call<WorkspaceInfo>('dataset:open', { file });
    expect(reopened).toMatchObject({ recovered: 3, dirty: true, sampleCount: 3 });
    const { rows } = await call<RowsResult>('dataset:rows', { id: reopened.id, from: 0, count: 3 });
    expect(rows.map((row) => [row.id, row.reviewed])).toEqual([
      ['first', false],
      ['identity_0', false],
      ['identity_2', true],
    ]);
    await until(reopened.id, (state) => state.saveState === 'saved' && !state.dirty);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string }>).map((entry) => entry.id)).toEqual(['first', 'identity_0', 'identity_2']);
  });

  it('replays only the edits after the last save when the kill came between writing the file and resetting the journal', async () => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    const journalPath = journalPathFor(dataDir, file);
    const crashed = new DatasetWorkspaceService({ dataDir, home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
    // Autosave off: nothing of it runs after the test, as nothing runs after a crash.
    const info = await crashed.open({ file, autosave: false });
    const added = (id: string): WireSample => ({ id, turns: [{ from: 'user', value: id }, { from: 'assistant', value: 'a' }], reviewed: false });
    await crashed.insert(info.id, 2, added('saved-insert'));
    const beforeSave = readFileSync(journalPath, 'utf8');
    await crashed.save(info.id, {});
    const savedSha = createHash('sha256').update(readFileSync(file)).digest('hex');
    await crashed.insert(info.id, 3, added('after-save'));
    const afterSave = readFileSync(journalPath, 'utf8').split('\n').slice(1).join('\n');
    // The journal as the kill left it: the mark of the write that landed, then the later edit.
    writeFileSync(journalPath, `${beforeSave}${JSON.stringify({ kind: 'saved', sha256: savedSha })}\n${afterSave}`);
    const reopened = await call<WorkspaceInfo>('dataset:open', { file });
    expect(reopened).toMatchObject({ recovered: 1, sampleCount: 4, keptJournal: null });
    const { rows } = await call<RowsResult>('dataset:rows', { id: reopened.id, from: 0, count: 10 });
    expect(rows.map((row) => row.id)).toEqual(['synthetic_0', 'synthetic_1', 'saved-insert', 'after-save']);
  });

  it('keeps the edits aside when the file was changed by someone else before they were replayed', async () => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    await editAndKill(dataDir, file, 3, 60_000, 0);
    writeFileSync(file, '[]\n');
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    expect(info).toMatchObject({ recovered: 0, sampleCount: 0, dirty: false });
    expect(info.keptJournal).not.toBeNull();
    expect(readFileSync(info.keptJournal as string, 'utf8')).toContain('"edit 2"');
    expect(readFileSync(file, 'utf8')).toBe('[]\n');
  }, 60_000);
});

describe('another program writing the file', () => {
  it('is a conflict: nothing is written until the user overwrites or saves elsewhere', async () => {
    const folder = folderWith('synthetic_grounding_sample.json');
    const file = join(folder, 'synthetic_grounding_sample.json');
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    const theirs = readFileSync(file, 'utf8').replace('synthetic_0', 'theirs_0');
    writeFileSync(file, theirs);
    const { sample } = await call<SampleResult>('dataset:sample', { id: info.id, index: 1 });
    await call('dataset:update', { id: info.id, index: 1, sample: { ...sample, reviewed: true } });
    const conflict = await until(info.id, (state) => state.saveState === 'conflict');
    expect(conflict.dirty).toBe(true);
    expect(conflict.saveError).toContain('changed on disk');
    expect(readFileSync(file, 'utf8')).toBe(theirs);
    const journal = readFileSync(journalPathFor(dataDir, file), 'utf8');
    expect(journal).toContain('"reviewed":true');
    // A plain save does not overwrite either.
    expect((await call<WorkspaceInfo>('dataset:save', { id: info.id })).saveState).toBe('conflict');
    expect(readFileSync(file, 'utf8')).toBe(theirs);
    const overwritten = await call<WorkspaceInfo>('dataset:save', { id: info.id, overwrite: true });
    expect(overwritten).toMatchObject({ saveState: 'saved', dirty: false, saveError: null });
    expect(readFileSync(file, 'utf8')).toContain('"synthetic_0"');
    expect(readFileSync(file, 'utf8')).toContain('"reviewed": true');
  });
});

describe('the upload plan', () => {
  it('lists each image once and rewrites every local path to where it lands', async () => {
    const folder = join(root, 'up');
    mkdirSync(join(folder, 'img'), { recursive: true });
    mkdirSync(join(root, 'other'));
    copyFileSync(join(IMAGES, 'rgb-12x8.jpg'), join(folder, 'img', 'a.jpg'));
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(root, 'other', 'a.jpg'));
    const outside = join(root, 'other', 'a.jpg');
    const samples = [
      { id: 's0', conversations: [{ from: 'user', value: 'Picture 1: <img>img/a.jpg</img>\nPicture 2: <img>https://x.org/y.jpg</img>\n框出图中的狗' }, { from: 'assistant', value: '<ref>狗</ref><box>(1,2),(3,4)</box>' }] },
      { id: 's1', conversations: [{ from: 'user', value: `Picture 1: <img>${outside}</img>\nPicture 2: <img>img/a.jpg</img>\nx` }, { from: 'assistant', value: 'y' }] },
      { id: 's2', conversations: [{ from: 'user', value: 'Picture 1: <img>img/gone.jpg</img>\nx' }, { from: 'assistant', value: 'y' }] },
    ];
    const file = join(folder, 'train.json');
    const text = `${JSON.stringify(samples, null, 4)}\n`;
    writeFileSync(file, text);
    const info = await call<WorkspaceInfo>('dataset:open', { file });
    const plan = await call<UploadPlan>('dataset:uploadPlan', { id: info.id, targetDir: '/home/ma-user/ws/data' });
    expect(plan.remoteDataset).toBe('/home/ma-user/ws/data/train.json');
    expect(plan.files).toEqual([
      { local: outside, remote: '/home/ma-user/ws/data/images/a.jpg' },
      { local: join(folder, 'img', 'a.jpg'), remote: '/home/ma-user/ws/data/img/a.jpg' },
    ]);
    expect(plan.problems.map((entry) => [entry.sample, entry.code])).toEqual([[2, 'image-missing']]);
    const expected = text
      .replaceAll('<img>img/a.jpg</img>', '<img>/home/ma-user/ws/data/img/a.jpg</img>')
      .replace(`<img>${outside}</img>`, '<img>/home/ma-user/ws/data/images/a.jpg</img>')
      .replace('<img>img/gone.jpg</img>', '<img>/home/ma-user/ws/data/img/gone.jpg</img>');
    expect(plan.datasetText).toBe(expected);
    // The plan changes nothing locally.
    expect(readFileSync(file, 'utf8')).toBe(text);

    const deep = `/${'d'.repeat(250)}`;
    const long = await call<UploadPlan>('dataset:uploadPlan', { id: info.id, targetDir: deep });
    const tooLong = long.problems.filter((entry) => entry.code === 'image-path-too-long');
    expect(tooLong.map((entry) => entry.sample)).toEqual([0, 1, 1, 2]);
    expect(tooLong[0]?.params).toMatchObject({ path: `${deep}/img/a.jpg`, bytes: 261, limit: 256 });
    expect((await failure('dataset:uploadPlan', { id: info.id, targetDir: 'relative/dir' })).code).toBe('invalid-input');
  });
});

describe('import, export and the file browser', () => {
  it('imports COCO annotations into a new dataset and opens it, never over an open file', async () => {
    const coco = join(root, 'coco');
    mkdirSync(join(coco, 'images'), { recursive: true });
    const input = join(coco, 'instances.json');
    copyFileSync('test/fixtures/dataset-import/coco/instances.json', input);
    copyFileSync(join(IMAGES, 'rgb-7x5.png'), join(coco, 'images', 'street.png'));
    const out = join(root, 'coco.json');
    const result = await call<{ workspace: WorkspaceInfo | null; samples: number; problems: Array<{ message: string }> }>('dataset:import', { from: 'coco', input, images: join(coco, 'images'), file: out, template: 'grounding-en' });
    expect(result.samples).toBe(1);
    expect(result.workspace).toMatchObject({ file: out, sampleCount: 1 });
    expect(result.problems.some((entry) => entry.message.includes('the annotation says 640×480 but the image is 7×5'))).toBe(true);
    const { sample } = await call<SampleResult>('dataset:sample', { id: result.workspace?.id, index: 0 });
    expect(sample.turns[0]?.value).toBe(`Picture 1: <img>${join(coco, 'images', 'street.png')}</img>\nBox the person in the image`);
    expect((await failure('dataset:import', { from: 'coco', input, images: join(coco, 'images'), file: out })).code).toBe('forbidden');
    expect((await failure('dataset:import', { from: 'coco', input, file: input })).code).toBe('invalid-input');
    expect((await failure('dataset:import', { from: 'coco', input, file: join(root, 'x.json'), template: 'no-such-template' })).code).toBe('invalid-input');
  });

  it('exports to the other formats, leaving out what cannot be converted', async () => {
    const folder = folderWith('readme_example_aa00ed0.json');
    const file = join(folder, 'readme_example_aa00ed0.json');
    const info = await call<WorkspaceInfo>('dataset:open', { file, autosave: false });
    await call('dataset:insert', { id: info.id, index: 3, sample: { id: 'bad', turns: [{ from: 'human', value: 'x' }], reviewed: false } });
    const target = join(folder, 'out.jsonl');
    const result = await call<{ written: number; problems: Array<{ id: string }> }>('dataset:export', { id: info.id, to: 'swift', file: target });
    expect(result.written).toBe(3);
    expect(result.problems.map((entry) => entry.id)).toEqual(['bad']);
    expect(readFileSync(target, 'utf8').trim().split('\n')).toHaveLength(3);
    expect((await failure('dataset:export', { id: info.id, to: 'qwen', file })).code).toBe('forbidden');
  });

  it('lists a folder: folders first, numbers in order, hidden entries last', async () => {
    const folder = join(root, 'browse');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    mkdirSync(join(folder, '.hidden'));
    for (const name of ['b10.json', 'b9.json', '.rc']) writeFileSync(join(folder, name), 'x'.repeat(name.length));
    const listing = await call<FolderListing>('files:list', { dir: folder });
    expect(listing).toEqual({
      dir: folder,
      parent: root,
      truncated: false,
      entries: [
        { name: 'sub', path: join(folder, 'sub'), kind: 'dir', size: null },
        { name: 'b9.json', path: join(folder, 'b9.json'), kind: 'file', size: 7 },
        { name: 'b10.json', path: join(folder, 'b10.json'), kind: 'file', size: 8 },
        { name: '.hidden', path: join(folder, '.hidden'), kind: 'dir', size: null },
        { name: '.rc', path: join(folder, '.rc'), kind: 'file', size: 3 },
      ],
    });
    expect((await call<FolderListing>('files:list', {})).dir).toBe(root);
    const crowded = join(root, 'crowded');
    mkdirSync(crowded);
    for (let k = 0; k <= 10_000; k++) writeFileSync(join(crowded, `f${k}`), '');
    mkdirSync(join(crowded, 'zz-folder'));
    const cut = await call<FolderListing>('files:list', { dir: crowded });
    expect(cut.truncated).toBe(true);
    expect(cut.entries).toHaveLength(10_000);
    // What is cut is the end of the listing's order, so folders are never lost among files.
    expect(cut.entries[0]?.name).toBe('zz-folder');
    expect(cut.entries.at(-1)?.name).toBe('f9998');
    expect((await failure('files:list', { dir: join(folder, 'nope') })).code).toBe('not-found');
  });
});
