// The dataset crash journal on disk: what a reader makes of complete, torn and damaged journals,
// which records a file still lacks (base, marks, someone else's file), and the writer's order,
// marks, resets and failures.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalContents, JournalRecord } from '../../../electron/main/services/dataset/workspaceJournal';
import { DatasetJournal, journalPathFor, keepJournalAside, readJournal, recordsToReplay, sha256Of } from '../../../electron/main/services/dataset/workspaceJournal';

const folder = mkdtempSync(join(tmpdir(), 'qvl-journal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let journals = 0;
const nextPath = (): string => join(folder, `j${journals++}`, 'journal.jsonl');

const SHA_A = sha256Of('a');
const SHA_B = sha256Of('b');
const update = (index: number, value: string): JournalRecord => ({ kind: 'update', index, sample: { id: `s${index}`, turns: [{ from: 'user', value }], reviewed: false } });
const lines = (...entries: object[]): string => entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
const base = (sha256: string | null) => ({ kind: 'base', version: 1, file: '/data/train.json', sha256 });

function written(text: string): string {
  const path = nextPath();
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('reading a journal', () => {
  it('reads the header and every record', async () => {
    const contents = await readJournal(written(lines(base(SHA_A), update(0, 'x'), { kind: 'saved', sha256: SHA_B }, { kind: 'remove', index: 2 })));
    expect(contents).toEqual({ base: base(SHA_A), entries: [update(0, 'x'), { kind: 'saved', sha256: SHA_B }, { kind: 'remove', index: 2 }], torn: false, damagedLine: null });
  });

  it('ignores a last line a kill cut short', async () => {
    const whole = lines(base(SHA_A), update(0, 'x'), update(1, 'y'));
    const contents = await readJournal(written(whole.slice(0, -20)));
    expect(contents).toMatchObject({ entries: [update(0, 'x')], torn: true, damagedLine: null });
    // Cut right after a newline, nothing is torn.
    expect(await readJournal(written(whole))).toMatchObject({ torn: false });
  });

  it('stops at a damaged line before the last and says where', async () => {
    const contents = await readJournal(written(`${lines(base(SHA_A), update(0, 'x'))}{not json\n${lines(update(1, 'y'))}`));
    expect(contents).toMatchObject({ entries: [update(0, 'x')], damagedLine: 3, torn: false });
    // A line of valid JSON that is not a record is damaged too.
    expect(await readJournal(written(lines(base(SHA_A), { kind: 'update', index: -1 }, update(0, 'x'))))).toMatchObject({ entries: [], damagedLine: 2 });
  });

  it('has nothing to replay without a journal or with an unreadable header', async () => {
    expect(await readJournal(join(folder, 'none.jsonl'))).toBeNull();
    expect(await readJournal(written('{"kind":"base","vers'))).toBeNull();
    expect(await readJournal(written(lines({ kind: 'base', version: 2, file: 'x', sha256: null }, update(0, 'x'))))).toBeNull();
  });
});

describe('what the file still lacks', () => {
  const contents = (...entries: JournalContents['entries']): JournalContents => ({ base: base(SHA_A) as JournalContents['base'], entries, torn: false, damagedLine: null });

  it('is every record when the file is still the base', () => {
    expect(recordsToReplay(contents(update(0, 'x'), { kind: 'saved', sha256: SHA_B }, update(1, 'y')), SHA_A)).toEqual([update(0, 'x'), update(1, 'y')]);
  });

  it('is the records after the save whose text the file holds', () => {
    const journal = contents(update(0, 'x'), { kind: 'saved', sha256: SHA_B }, update(1, 'y'), { kind: 'saved', sha256: sha256Of('c') }, update(2, 'z'));
    expect(recordsToReplay(journal, SHA_B)).toEqual([update(1, 'y'), update(2, 'z')]);
    expect(recordsToReplay(journal, sha256Of('c'))).toEqual([update(2, 'z')]);
  });

  it('is unknown when someone else wrote the file (or it is gone)', () => {
    expect(recordsToReplay(contents(update(0, 'x')), sha256Of('theirs'))).toBeNull();
    expect(recordsToReplay(contents(update(0, 'x')), null)).toBeNull();
    expect(recordsToReplay({ ...contents(update(0, 'x')), base: { ...base(null), kind: 'base', version: 1 } }, null)).toEqual([update(0, 'x')]);
  });
});

describe('writing a journal', () => {
  it('starts with the base and the pending records, appends in order, one fsync each', async () => {
    const path = nextPath();
    const journal = await DatasetJournal.start(path, '/data/train.json', SHA_A, [update(0, 'recovered')]);
    await Promise.all([journal.append(update(1, 'a')), journal.append(update(2, 'b')), journal.append({ kind: 'remove', index: 0 })]);
    expect(readFileSync(path, 'utf8')).toBe(lines(base(SHA_A), update(0, 'recovered'), update(1, 'a'), update(2, 'b'), { kind: 'remove', index: 0 }));
    await journal.close();
  });

  it('marks a save between the edits it holds and those after, and starts over from the saved text', async () => {
    const path = nextPath();
    const journal = await DatasetJournal.start(path, '/data/train.json', SHA_A, []);
    void journal.append(update(0, 'in the save'));
    const mark = journal.mark(SHA_B);
    const after = journal.append(update(1, 'after the save'));
    await Promise.all([mark.done, after]);
    expect(readFileSync(path, 'utf8')).toBe(lines(base(SHA_A), update(0, 'in the save'), { kind: 'saved', sha256: SHA_B }, update(1, 'after the save')));
    // After the write: the file is the base, and only the later edit is left.
    await journal.rebase(SHA_B);
    await journal.append(update(2, 'later'));
    expect(readFileSync(path, 'utf8')).toBe(lines(base(SHA_B), update(1, 'after the save'), update(2, 'later')));
    await journal.remove();
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('gives the edits back to the next save when a write fails', async () => {
    const path = nextPath();
    const journal = await DatasetJournal.start(path, '/data/train.json', SHA_A, []);
    await journal.append(update(0, 'x'));
    const mark = journal.mark(SHA_B);
    await mark.done;
    journal.unmark(mark.covered);
    await journal.rebase(sha256Of('c'));
    expect(readFileSync(path, 'utf8')).toBe(lines(base(sha256Of('c')), update(0, 'x')));
    await journal.close();
  });

  it('moves to another path after a save as', async () => {
    const path = nextPath();
    const moved = join(path, '..', 'moved.jsonl');
    const journal = await DatasetJournal.start(path, '/data/a.json', SHA_A, []);
    await journal.append(update(0, 'x'));
    journal.mark(SHA_B);
    await journal.append(update(1, 'y'));
    await journal.rebase(SHA_B, '/data/b.json', moved);
    await journal.append(update(2, 'z'));
    expect(readdirSync(join(path, '..'))).toEqual(['moved.jsonl']);
    expect(readFileSync(moved, 'utf8')).toBe(lines({ ...base(SHA_B), file: '/data/b.json' }, update(1, 'y'), update(2, 'z')));
    expect(journal.location).toBe(moved);
    await journal.close();
  });

  it('refuses appends once it cannot write, until a reset rewrites it whole', async () => {
    const path = nextPath();
    const journal = await DatasetJournal.start(path, '/data/train.json', SHA_A, []);
    // A closed journal cannot write, like one whose disk failed.
    await journal.close();
    await expect(journal.append(update(0, 'lost?'))).rejects.toThrow();
    await expect(journal.append(update(1, 'after'))).rejects.toThrow();
    await journal.rebase(SHA_A);
    await journal.append(update(2, 'ok'));
    // Nothing is dropped: the failed edits are in memory, so the reset writes them.
    expect(readFileSync(path, 'utf8')).toBe(lines(base(SHA_A), update(0, 'lost?'), update(1, 'after'), update(2, 'ok')));
    await journal.close();
  });

  it('keeps a journal that cannot be replayed under a new name', async () => {
    const path = written(lines(base(SHA_A), update(0, 'x')));
    const kept = await keepJournalAside(path, new Date('2026-01-02T03:04:05.678Z'));
    expect(kept).toBe(path.replace(/\.jsonl$/, '.kept-2026-01-02T03-04-05-678Z.jsonl'));
    expect(readFileSync(kept, 'utf8')).toContain('"x"');
  });

  it('keys journals by the dataset path', () => {
    expect(journalPathFor('/app', '/data/a.json')).toMatch(/^\/app\/dataset-journals\/[0-9a-f]{32}\.jsonl$/);
    expect(journalPathFor('/app', '/data/a.json')).not.toBe(journalPathFor('/app', '/data/b.json'));
  });
});
