// The crash journal when the dataset file is parsed, checked and written in the workspace's
// worker thread (files of 1 MiB and more): a process editing a 5,000-sample file while autosaves
// run is killed with SIGKILL, and every edit it had acknowledged is there when the file is opened
// again, with nothing applied twice.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../electron/main/services/dataset/workspaceService';
import { editAndKill } from '../support/datasetEditKill';

const root = mkdtempSync(join(tmpdir(), 'qvl-worker-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SAMPLES = 5000;

function bigDataset(file: string): void {
  const records = Array.from({ length: SAMPLES }, (_, k) => ({
    id: `identity_${k}`,
    conversations: [
      { from: 'user', value: `Picture 1: <img>images/img_${k}.jpg</img>\n框出图中的行人，以及它旁边的那辆红色汽车` },
      { from: 'assistant', value: `<ref>行人</ref><box>(${k % 800},10),(${(k % 800) + 90},200)</box><ref>红色汽车</ref><box>(5,5),(60,70)</box>` },
    ],
  }));
  writeFileSync(file, JSON.stringify(records, null, 2));
}

describe('a SIGKILL while the worker saves a big file', () => {
  it('loses no acknowledged edit', async () => {
    const file = join(root, 'big.json');
    const dataDir = join(root, 'data');
    bigDataset(file);
    expect(statSync(file).size).toBeGreaterThan(1024 * 1024);
    const original = readFileSync(file, 'utf8');
    const { opened, acked } = await editAndKill(dataDir, file, 40, 5, 15);
    expect(opened).toBe(SAMPLES);
    // The kill landed among autosaves: the file was rewritten at least once.
    expect(readFileSync(file, 'utf8')).not.toBe(original);

    const service = new DatasetWorkspaceService({ dataDir, home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
    const info = await service.open({ file });
    expect(info.keptJournal).toBeNull();
    // Edit n rewrote sample n (n < SAMPLES); every fifth edit first appended "new-n".
    for (let n = 0; n <= acked; n++) expect(service.sample(info.id, n).sample.turns[0]?.value, `sample ${n}`).toBe(`edit ${n}`);
    const inserted = Array.from({ length: Math.floor(acked / 5) + 1 }, (_, k) => `new-${k * 5}`);
    const rows = service.rows(info.id, SAMPLES, inserted.length + 2).rows.map((row) => row.id);
    // An edit written but not yet acknowledged when the kill came may add one more.
    expect(rows.slice(0, inserted.length)).toEqual(inserted);
    expect(new Set(rows).size).toBe(rows.length);
    expect(service.sample(info.id, acked + 2).sample.turns[0]?.value).not.toMatch(/^edit/);
    await service.closeAll();
  }, 120_000);
});
