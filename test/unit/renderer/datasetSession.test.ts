// The screen's sample session and list rows against the real dataset service (the one browser
// mode and Electron run), in-process: how soon edits reach it, that a drag's moves are not sent,
// that leaving a sample sends what it held, and how the list fetches and follows rows.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../../electron/main/services/dataset/workspaceService';
import { setReviewed, setTurnValue } from '../../../shared/dataset/sampleEdits';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import type { WireSample } from '../../../shared/dataset/workspaceApi';
import { findTemplate } from '../../../shared/dataset/templates';
import type { SampleTemplate } from '../../../shared/dataset/templates';
import { applyTemplateToAll } from '../../../renderer/src/features/dataset/conversation/templateAll';
import { RowStore } from '../../../renderer/src/features/dataset/sampleList/rowStore';
import { SampleSession, SEND_DELAY_MS } from '../../../renderer/src/features/dataset/workspace/sampleSession';
import { blackPng } from '../../support/pngImages';

let folder: string;
let service: DatasetWorkspaceService;

const SAMPLES = 2500;

/** A dataset file of its own for each test, so one test's edits do not meet another's. */
function datasetFile(name: string): string {
  const records = Array.from({ length: SAMPLES }, (_, k) => ({
    id: `s${k}`,
    conversations: [
      { from: 'user', value: `Picture 1: <img>img${k}.png</img>\n框出图中的${k % 3 === 0 ? '猫' : '狗'}` },
      { from: 'assistant', value: `<ref>${k % 3 === 0 ? '猫' : '狗'}</ref><box>(10,20),(300,400)</box>` },
    ],
    ...(k % 5 === 0 && { reviewed: true }),
  }));
  const file = join(folder, name);
  writeFileSync(file, JSON.stringify(records, null, 2));
  return file;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'qvl-session-'));
  service = new DatasetWorkspaceService({ dataDir: join(folder, 'data'), home: folder, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
});

afterAll(async () => {
  await service.closeAll();
  rmSync(folder, { recursive: true, force: true });
});

/** The service behind the session's two calls, counting the updates it receives. */
function connect(id: string) {
  const sent: Array<{ index: number; at: number }> = [];
  const api = {
    sample: ({ index }: { id: string; index: number }) => Promise.resolve(service.sample(id, index)),
    update: async ({ index, sample }: { id: string; index: number; sample: WireSample }) => {
      sent.push({ index, at: performance.now() });
      return service.update(id, index, sample);
    },
  };
  return { session: new SampleSession(api, id), sent };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const valueOf = (id: string, index: number, turn: number) => service.sample(id, index).sample.turns[turn]?.value;

describe('the sample session', () => {
  it('sends committed edits within the send delay, several edits in one update, and reports the state', async () => {
    const info = await service.open({ file: datasetFile('send.json') });
    const { session, sent } = connect(info.id);
    await session.load(1);
    const sample = session.getSnapshot().sample as EditableSample;
    session.edit(setTurnValue(sample, 1, '<ref>狗</ref><box>(10,20),(300,401)</box>'), 'text');
    // A timer of the send delay started with the first edit: the update must be out before it fires,
    // however late a busy machine fires both.
    const deadline = new Promise<number>((fired) => setTimeout(() => fired(performance.now()), SEND_DELAY_MS));
    session.edit(setTurnValue(session.getSnapshot().sample as EditableSample, 1, '<ref>狗</ref><box>(10,20),(300,402)</box>'), 'text');
    expect(session.getSnapshot().send).toBe('waiting');
    expect(sent).toEqual([]);
    const firedAt = await deadline;
    expect(sent).toHaveLength(1);
    expect(sent[0]?.at).toBeLessThanOrEqual(firedAt);
    await session.flush();
    expect(valueOf(info.id, 1, 1)).toBe('<ref>狗</ref><box>(10,20),(300,402)</box>');
    expect(session.getSnapshot().send).toBe('idle');
    expect(session.hasUnacknowledgedEdits).toBe(false);
  });

  it('holds a drag’s moves until the drag ends, and sends what it holds when another sample is shown', async () => {
    const info = await service.open({ file: datasetFile('drag.json') });
    const { session, sent } = connect(info.id);
    await session.load(2);
    const sample = session.getSnapshot().sample as EditableSample;
    session.edit(setTurnValue(sample, 1, '<ref>狗</ref><box>(11,20),(300,400)</box>'), 'canvas', { pending: true });
    await sleep(SEND_DELAY_MS + 50);
    expect(sent).toEqual([]);
    expect(session.getSnapshot().sample?.turns[1]?.value).toBe('<ref>狗</ref><box>(11,20),(300,400)</box>');
    session.edit(setReviewed(session.getSnapshot().sample as EditableSample, true), 'command');
    // Leaving the sample sends at once, before the delay is up.
    await session.load(3);
    await session.flush();
    expect(sent.map(({ index }) => index)).toEqual([2]);
    expect(service.sample(info.id, 2).sample).toMatchObject({ reviewed: true, turns: [{}, { value: '<ref>狗</ref><box>(11,20),(300,400)</box>' }] });
    expect(session.getSnapshot().index).toBe(3);
  });

  it('keeps failed edits and says so', async () => {
    const info = await service.open({ file: datasetFile('closed.json') });
    const { session } = connect(info.id);
    await session.load(4);
    await service.close(info.id);
    session.edit(setReviewed(session.getSnapshot().sample as EditableSample, true), 'command');
    await session.flush();
    expect(session.getSnapshot().send).toBe('failed');
    expect(session.getSnapshot().sendError).toMatch(/\S/);
    expect(session.hasUnacknowledgedEdits).toBe(true);
  });
});

describe('the list rows', () => {
  it('fetches only the pages in view, in few calls, and follows an edited row', async () => {
    const info = await service.open({ file: datasetFile('rows.json') });
    const calls: Array<[number, number]> = [];
    let arrivals = 0;
    const fetchRows = (from: number, count: number) => {
      calls.push([from, count]);
      return Promise.resolve(service.rows(info.id, from, count));
    };
    const all = new RowStore(fetchRows, null, SAMPLES, () => arrivals++);
    all.ensure({ first: 1200, end: 1230 });
    await expect.poll(() => arrivals).toBe(1);
    expect(calls).toEqual([[1200, 100]]);
    expect(all.rowAt(1229)?.id).toBe('s1229');
    expect(all.rowAt(1300)).toBeUndefined();
    all.ensure({ first: 1210, end: 1240 });
    expect(calls).toHaveLength(1);

    // A filter keeps every fifth sample (the reviewed ones): one call spans the page's indices.
    const reviewed = service.filter(info.id, { reviewed: true }).indices;
    expect(reviewed.length).toBe(SAMPLES / 5);
    calls.length = 0;
    arrivals = 0;
    const filtered = new RowStore(fetchRows, reviewed, SAMPLES, () => arrivals++);
    filtered.ensure({ first: 0, end: 20 });
    await expect.poll(() => arrivals).toBe(1);
    expect(calls).toEqual([[0, 496]]);
    expect(filtered.rowAt(3)).toMatchObject({ index: 15, id: 's15', reviewed: true, labels: ['猫'], boxCount: 1 });
    expect(filtered.positionOf(15)).toBe(3);
    expect(filtered.positionOf(16)).toBe(-1);
    // Neighbours of a sample the filter leaves out are where it would be.
    expect(filtered.neighbour(16, 1)).toBe(20);
    expect(filtered.neighbour(16, -1)).toBe(15);
    expect(filtered.neighbour(0, -1)).toBeUndefined();

    const edited = await service.update(info.id, 15, { ...service.sample(info.id, 15).sample, reviewed: false });
    filtered.update(edited.row);
    expect(filtered.rowAt(3)?.reviewed).toBe(false);
    expect(arrivals).toBe(2);
  });
});

/** A black greyscale PNG: what the service needs to know an image's size. */
function writePng(path: string, width: number, height: number): void {
  writeFileSync(path, blackPng(width, height));
}

describe('a template applied to every sample with boxes', () => {
  it('rewrites those with one picture, skips the others, and keeps the rest as they were', async () => {
    const dir = join(folder, 'template');
    mkdirSync(dir);
    writePng(join(dir, 'a.png'), 200, 100);
    writePng(join(dir, 'b.png'), 200, 100);
    const records = [
      { id: 'boxed', conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\nwhat?' }, { from: 'assistant', value: '<ref>cat</ref><box>(100,100),(500,500)</box> and <ref>dog</ref><box>(600,600),(900,900)</box>' }] },
      { id: 'plain', conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\nhello' }, { from: 'assistant', value: 'hi' }] },
      { id: 'two', conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\n' }, { from: 'assistant', value: '<ref>cat</ref><box>(1,1),(50,50)</box>' }] },
    ];
    writeFileSync(join(dir, 'train.json'), JSON.stringify(records, null, 2));
    const info = await service.open({ file: join(dir, 'train.json') });
    const api = {
      rows: ({ from, count }: { id: string; from: number; count: number }) => Promise.resolve(service.rows(info.id, from, count)),
      sample: ({ index }: { id: string; index: number }) => Promise.resolve(service.sample(info.id, index)),
      update: ({ index, sample }: { id: string; index: number; sample: WireSample }) => service.update(info.id, index, sample),
    };
    const progress: Array<[number, number]> = [];
    const result = await applyTemplateToAll(api, info.id, findTemplate('grounding-en') as SampleTemplate, new AbortController().signal, (done, total) => progress.push([done, total]));
    expect(result).toEqual({ changed: 1, skipped: 1, cancelled: false });
    expect(progress).toEqual([[3, 3]]);
    expect(service.sample(info.id, 0).sample.turns.map((turn) => turn.value)).toEqual([
      'Picture 1: <img>a.png</img>\nBox the cat in the image',
      '<ref>cat</ref><box>(100,100),(500,500)</box>',
      'Box the dog in the image',
      '<ref>dog</ref><box>(600,600),(900,900)</box>',
    ]);
    expect(service.sample(info.id, 1).sample.turns[1]?.value).toBe('hi');
    expect(service.sample(info.id, 2).sample.turns[1]?.value).toBe('<ref>cat</ref><box>(1,1),(50,50)</box>');
  });
});
