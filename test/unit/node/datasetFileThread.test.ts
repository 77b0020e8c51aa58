// The dataset file off the main thread: what the worker reads and parses rebuilds exactly the
// document openDataset gives, the text to save sent piece by piece is exactly saveDataset's, a
// text that is not the list it should be is never written, and a save's mark keeps its place in
// the journal while its hash is still being computed.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetFileThread } from '../../../electron/main/services/dataset/datasetFileThread';
import { DatasetJournal, readJournal, sha256Of } from '../../../electron/main/services/dataset/workspaceJournal';
import { openDataset, reopenDataset, saveDataset, savedPieces } from '../../../shared/dataset/datasetDocument';
import type { DatasetDocument, DatasetOutline } from '../../../shared/dataset/datasetDocument';
import { setTurnValue } from '../../../shared/dataset/sampleEdits';
import { createSample } from '../../../shared/dataset/sampleModel';
import { generateDataset, readQwenFixture, seeded } from '../shared/datasetSupport';

const folder = mkdtempSync(join(tmpdir(), 'qvl-file-thread-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function rebuilt(text: string, outline: DatasetOutline, perStep: number): DatasetDocument {
  const steps = reopenDataset(text, outline, perStep);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const TEXTS: Record<string, string> = {
  'the README example': readQwenFixture('readme_example_aa00ed0.json'),
  'the synthetic grounding sample': readQwenFixture('synthetic_grounding_sample.json'),
  'CRLF, tabs, odd spacing, unknown fields, a byte-order mark': '\ufeff\t[\r\n\t{ "id" : "a\\u4e2d" ,"conversations":[{"from":"user","value":"x"},{"value":"y","from":"assistant","extra":[1]}], "meta":{}}\r\n, 7, {"id": 1}]\r\n',
  'not a list': '{"data": []}',
  'not JSON': '[{"id": "a",]',
};

describe('opening in the worker', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: the document openDataset gives, rebuilt from the worker's outline`, async () => {
      const file = join(folder, `${name}.json`);
      writeFileSync(file, text);
      const thread = DatasetFileThread.start();
      try {
        const opened = await thread.open(file);
        expect(opened.sha256).toBe(sha256Of(readFileSync(file)));
        expect(opened.text).toBe(text);
        if (!opened.outline) throw new Error('no outline');
        for (const perStep of [1, 3, 1000]) expect(rebuilt(opened.text, opened.outline, perStep)).toEqual(openDataset(text));
      } finally {
        thread.close();
      }
    });
  }

  it('reads an absent file as empty, and refuses a folder', async () => {
    const thread = DatasetFileThread.start();
    try {
      expect(await thread.open(join(folder, 'absent.json'))).toMatchObject({ text: '', sha256: null, outline: null });
      await expect(thread.open(folder)).rejects.toThrow();
    } finally {
      thread.close();
    }
  });
});

describe('saving through the worker', () => {
  it('the pieces make exactly the text saveDataset gives, for any step, edited or not', () => {
    const random = seeded(7);
    for (let round = 0; round < 20; round++) {
      const document = openDataset(generateDataset(random, 12).text);
      const samples = document.samples.map((sample, k) => (k % 3 === 1 && sample.turns.length > 0 ? setTurnValue(sample, 0, `edited ${k} "新"`) : sample));
      samples.push(createSample('added', [{ from: 'user', value: 'hi' }]));
      const expected = saveDataset(document, samples);
      for (const perStep of [1, 2, 5, 1000]) expect([...savedPieces(document, samples, perStep)].join('')).toBe(expected);
    }
  });

  it.each([
    ['in a worker', () => Promise.resolve(DatasetFileThread.start())],
    ['on the calling thread, for a small file', () => DatasetFileThread.forFile(join(folder, 'saved.json'))],
  ])('%s: writes a checked text atomically, and never one that is not the list of samples it should be', async (_, start) => {
    const file = join(folder, 'saved.json');
    const text = readQwenFixture('readme_example_aa00ed0.json');
    const document = openDataset(text);
    const thread = await start();
    try {
      for (const piece of savedPieces(document, document.samples, 1)) thread.append(piece);
      expect(await thread.check(document.samples.length)).toEqual({ sha256: sha256Of(text) });
      const written = await thread.write(file, 0o640);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(written.mode).toBe(0o640);

      thread.append(text);
      expect(await thread.check(document.samples.length + 1)).toEqual({ unwritable: expect.stringContaining(`instead of ${document.samples.length + 1}`) as string });
      await expect(thread.write(file, null)).rejects.toThrow('no checked text');
      thread.append(text.slice(0, -3));
      expect(await thread.check(document.samples.length)).toMatchObject({ unwritable: expect.stringContaining('not valid JSON') as string });
      expect(readFileSync(file, 'utf8')).toBe(text);
    } finally {
      thread.close();
    }
  });
});

describe("a save's mark in the journal", () => {
  it('keeps its place while the hash is computed; edits made meanwhile land after it', async () => {
    const path = join(folder, 'pending-mark.jsonl');
    const journal = await DatasetJournal.start(path, join(folder, 'x.json'), null, []);
    const first = { kind: 'remove' as const, index: 1 };
    const later = { kind: 'remove' as const, index: 2 };
    await journal.append(first);
    let settle: (sha: string) => void = () => undefined;
    const mark = journal.mark(new Promise<string>((resolve) => (settle = resolve)));
    expect(mark.covered).toHaveLength(1);
    let laterOnDisk = false;
    const appended = journal.append(later).then(() => (laterOnDisk = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(laterOnDisk).toBe(false);
    settle(sha256Of('text'));
    await Promise.all([mark.done, appended]);
    expect((await readJournal(path))?.entries).toEqual([first, { kind: 'saved', sha256: sha256Of('text') }, later]);
    await journal.close();
  });

  it('writes no mark when the hash fails, and the journal goes on', async () => {
    const path = join(folder, 'failed-mark.jsonl');
    const journal = await DatasetJournal.start(path, join(folder, 'y.json'), null, []);
    const mark = journal.mark(Promise.reject(new Error('cannot build the text')));
    await mark.done;
    journal.unmark(mark.covered);
    await journal.append({ kind: 'remove', index: 0 });
    expect((await readJournal(path))?.entries).toEqual([{ kind: 'remove', index: 0 }]);
    await journal.close();
  });
});
