// A label renamed in every sample through the workspace service: one journal record (a kill
// replays all of it), a merge into an existing label, an undo that restores the file byte for
// byte, and samples edited after the rename that the undo leaves alone.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../../electron/main/services/dataset/workspaceService';
import { journalPathFor, readJournal } from '../../../electron/main/services/dataset/workspaceJournal';

const root = mkdtempSync(join(tmpdir(), 'qvl-rename-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

const assistant = (...refs: string[]) => refs.map((label, k) => `<ref>${label}</ref><box>(${k},${k}),(${k + 10},${k + 10})</box>`).join('');
const record = (id: string, answer: string) => ({ id, conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\n框出图中的cat' }, { from: 'assistant', value: answer }] });
/** The file's own style (four-space indent, unknown field), so a byte-for-byte save is not a coincidence of formatting. */
const TEXT = `${JSON.stringify([record('s0', assistant('cat', 'dog')), { ...record('s1', assistant('dog')), source: 'web' }, record('s2', assistant('cat', 'cat')), record('s3', assistant('kitty'))], null, 4)}\n`;

function service(dataDir: string): DatasetWorkspaceService {
  return new DatasetWorkspaceService({ dataDir, home: root, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: 60_000 });
}

function dataset(): { file: string; dataDir: string } {
  const file = join(root, `train-${files++}.json`);
  writeFileSync(file, TEXT);
  return { file, dataDir: join(root, `data-${files}`) };
}

const answers = (datasets: DatasetWorkspaceService, id: string) => [0, 1, 2, 3].map((index) => datasets.sample(id, index).sample.turns[1]?.value);

describe('renaming a label in every sample', () => {
  it('renames every ref as one journaled edit that a kill replays whole, and the undo gives back the file byte for byte', async () => {
    const { file, dataDir } = dataset();
    const datasets = service(dataDir);
    const info = await datasets.open({ file, autosave: false });
    const result = await datasets.renameLabel(info.id, 'cat', '猫');
    expect(result).toMatchObject({ samples: 2, merged: false, undo: expect.any(String), info: { labels: [{ label: '猫', count: 3 }, { label: 'dog', count: 2 }, { label: 'kitty', count: 1 }] } });
    expect(answers(datasets, info.id)).toEqual([assistant('猫', 'dog'), assistant('dog'), assistant('猫', '猫'), assistant('kitty')]);
    // The question's plain text is not a label.
    expect(datasets.sample(info.id, 0).sample.turns[0]?.value).toBe('Picture 1: <img>a.png</img>\n框出图中的cat');
    expect(datasets.list().find((open) => open.id === info.id)?.labels).toEqual([
      { label: '猫', count: 3 },
      { label: 'dog', count: 2 },
      { label: 'kitty', count: 1 },
    ]);
    const journal = await readJournal(journalPathFor(dataDir, file));
    expect(journal?.entries.map((entry) => [entry.kind, entry.kind === 'updates' ? entry.samples.map((sample) => sample.index) : null])).toEqual([['updates', [0, 2]]]);

    // Never closed, like a crash: another process opens the file and replays the rename.
    const after = service(dataDir);
    const reopened = await after.open({ file, autosave: false });
    expect(reopened.recovered).toBe(1);
    expect(answers(after, reopened.id)).toEqual([assistant('猫', 'dog'), assistant('dog'), assistant('猫', '猫'), assistant('kitty')]);
    await after.close(reopened.id);
    expect(readFileSync(file, 'utf8')).toBe(TEXT.replaceAll('<ref>cat</ref>', '<ref>猫</ref>'));

    const again = service(dataDir);
    const third = await again.open({ file, autosave: false });
    const renamed = await again.renameLabel(third.id, '猫', 'cat');
    await again.undoRenameLabel(third.id, renamed.undo as string);
    await again.save(third.id, {});
    expect(readFileSync(file, 'utf8')).toBe(TEXT.replaceAll('<ref>cat</ref>', '<ref>猫</ref>'));
    await again.renameLabel(third.id, '猫', 'cat');
    await again.close(third.id);
    expect(readFileSync(file, 'utf8')).toBe(TEXT);
  });

  it('merges into a label already in use; the undo splits them again except in a sample edited since', async () => {
    const { file, dataDir } = dataset();
    const datasets = service(dataDir);
    const info = await datasets.open({ file, autosave: false });
    const result = await datasets.renameLabel(info.id, 'kitty', 'cat');
    expect(result).toMatchObject({ samples: 1, merged: true });
    const merged = await datasets.renameLabel(info.id, 'dog', 'cat');
    expect(merged).toMatchObject({ samples: 2, merged: true });
    expect(answers(datasets, info.id)).toEqual([assistant('cat', 'cat'), assistant('cat'), assistant('cat', 'cat'), assistant('cat')]);
    expect(datasets.list()[0]?.labels).toEqual([{ label: 'cat', count: 6 }]);

    // Sample 1 is edited after the merge: the undo keeps that edit (and its label).
    const { sample } = datasets.sample(info.id, 1);
    await datasets.update(info.id, 1, { ...sample, reviewed: true });
    expect(await datasets.undoRenameLabel(info.id, merged.undo as string)).toEqual({ restored: 1, kept: 1 });
    expect(answers(datasets, info.id)).toEqual([assistant('cat', 'dog'), assistant('cat'), assistant('cat', 'cat'), assistant('cat')]);
    // An undo is used once.
    await expect(datasets.undoRenameLabel(info.id, merged.undo as string)).rejects.toThrow(/can no longer be undone/);
    await datasets.close(info.id);
  });

  it('changes nothing for a label no sample uses, and refuses a read-only file', async () => {
    const { file, dataDir } = dataset();
    const datasets = service(dataDir);
    const info = await datasets.open({ file, autosave: false });
    expect(await datasets.renameLabel(info.id, 'horse', 'pony')).toMatchObject({ samples: 0, merged: false, undo: null });
    expect(await readJournal(journalPathFor(dataDir, file))).toMatchObject({ entries: [] });
    await datasets.close(info.id);

    const broken = join(root, 'broken.json');
    writeFileSync(broken, '[{"id": "x", "conversations": [{"from": "user", "value": "<ref>cat</ref>"}]');
    const readOnly = await datasets.open({ file: broken, autosave: false });
    expect(readOnly.readOnly).toBe(true);
    await expect(datasets.renameLabel(readOnly.id, 'cat', 'dog')).rejects.toThrow(/never written over/);
    await datasets.close(readOnly.id);
  });
});
