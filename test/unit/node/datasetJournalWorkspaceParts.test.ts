// The pieces the crash-safe workspace is built from: edits coming back from the screen finding
// their origins again (so saves splice only what changed), image paths seen from another folder,
// the autosave's timing, the last guard before a write, what the image server sends, and the
// index's totals and filters kept right through edits.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveScheduler } from '../../../electron/main/services/dataset/workspaceAutosave';
import { unwritableReason } from '../../../electron/main/services/dataset/workspaceDisk';
import { SampleIndex, inspect, summarise } from '../../../electron/main/services/dataset/workspaceIndex';
import { sniffImageMime } from '../../../electron/main/services/dataset/workspaceImageServing';
import { isInside, rewriteImagePaths, writtenImagePath } from '../../../electron/main/services/dataset/workspacePaths';
import { toWireSample } from '../../../electron/main/services/dataset/workspaceWire';
import { mergeWireSample } from '../../../shared/dataset/sampleMerge';
import { openDataset, saveDataset } from '../../../shared/dataset/datasetDocument';
import { sampleUnchanged } from '../../../shared/dataset/sampleModel';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { readQwenFixture } from '../shared/datasetSupport';

const readme = () => openDataset(readQwenFixture('readme_example_aa00ed0.json'));

describe('an edit coming back from the screen', () => {
  it('is the file’s own sample again when nothing changed', () => {
    const document = readme();
    const merged = document.samples.map((sample) => mergeWireSample(JSON.parse(JSON.stringify(toWireSample(sample))), sample));
    expect(merged.every(sampleUnchanged)).toBe(true);
    expect(saveDataset(document, merged)).toBe(document.text);
  });

  it('splices only the changed value, keeping an unknown field of that turn', () => {
    const text = '[\n  {"id": "a", "conversations": [{"from": "user", "value": "hi", "lang": "en"}, {"from": "assistant", "value": "yo"}]}\n]\n';
    const document = openDataset(text);
    const original = document.samples[0] as EditableSample;
    const wire = toWireSample(original);
    const edited = mergeWireSample({ ...wire, turns: wire.turns.map((turn, k) => (k === 1 ? { ...turn, value: 'hello' } : turn)) }, original);
    expect(saveDataset(document, [edited])).toBe(text.replace('"yo"', '"hello"'));
    // With a turn removed, the remaining identical turn keeps its origin (and its unknown field).
    const shortened = mergeWireSample({ ...wire, turns: [wire.turns[0] as (typeof wire.turns)[number]] }, original);
    expect(saveDataset(document, [shortened])).toBe('[\n  {"id": "a", "conversations": [{"from": "user", "value": "hi", "lang": "en"}]}\n]\n');
  });

  it('keeps an id that is not a string as the file wrote it, and the editor’s box pixels', () => {
    const text = '[{"id": {"n": 1}, "conversations": [{"from": "user", "value": "<ref>a</ref><box>(1,2),(3,4)</box>"}]}]';
    const document = openDataset(text);
    const original = document.samples[0] as EditableSample;
    const hint = { start: 12, coords: { x1: 1, y1: 2, x2: 3, y2: 4 }, pixels: { x1: 1.2, y1: 2.1, x2: 3.3, y2: 4.4 } };
    const wire = JSON.parse(JSON.stringify(toWireSample(original)));
    wire.turns[0].pixelHints = [hint];
    const merged = mergeWireSample(wire, original);
    expect(merged.id).toBe(original.id);
    expect(merged.turns[0]?.pixelHints).toEqual([hint]);
    expect(sampleUnchanged(merged)).toBe(true);
    expect(toWireSample(merged).turns[0]?.pixelHints).toEqual([hint]);
  });

  it('is a fresh sample when inserted', () => {
    const merged = mergeWireSample({ id: 'n', turns: [{ from: 'user', value: 'q' }], reviewed: true }, undefined);
    expect(merged).toEqual({ id: 'n', turns: [{ from: 'user', value: 'q' }], reviewed: true });
  });
});

describe('image paths', () => {
  it('are relative (with forward slashes) only inside the dataset’s folder', () => {
    expect(writtenImagePath('/data/set', '/data/set/img/a.jpg')).toBe('img/a.jpg');
    expect(writtenImagePath('/data/set', '/data/settings/a.jpg')).toBe('/data/settings/a.jpg');
    expect(writtenImagePath('/data/set', '/data/a.jpg')).toBe('/data/a.jpg');
    expect(isInside('/data/set', '/data/set')).toBe(true);
    expect(isInside('/data/set', '/data/set/../x')).toBe(false);
  });

  it('are rewritten in place, moving the box hints that follow them', () => {
    const hint = { start: 40, coords: { x1: 1, y1: 2, x2: 3, y2: 4 }, pixels: { x1: 1, y1: 2, x2: 3, y2: 4 } };
    const sample: EditableSample = { id: 'a', reviewed: false, turns: [{ from: 'user', value: 'Picture 1: <img>a.jpg</img>\nlook: <ref>x</ref><box>(1,2),(3,4)</box>', pixelHints: [hint] }] };
    const rewritten = rewriteImagePaths(sample, (path) => (path === 'a.jpg' ? '/remote/a.jpg' : null));
    expect(rewritten.turns[0]?.value).toBe('Picture 1: <img>/remote/a.jpg</img>\nlook: <ref>x</ref><box>(1,2),(3,4)</box>');
    expect(rewritten.turns[0]?.pixelHints).toEqual([{ ...hint, start: 48 }]);
    expect(rewriteImagePaths(sample, () => null)).toBe(sample);
  });
});

describe('the autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a second after the last edit, and at the latest ten seconds after the first', () => {
    const run = vi.fn();
    const autosave = new AutosaveScheduler(run, 1000, 10_000);
    autosave.touch(Date.now());
    vi.advanceTimersByTime(900);
    autosave.touch(Date.now());
    vi.advanceTimersByTime(900);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(run).toHaveBeenCalledTimes(1);
    expect(autosave.dueAt).toBeNull();
    // Steady editing: one edit every half second still saves within ten seconds.
    for (let t = 0; t < 12_000; t += 500) {
      autosave.touch(Date.now());
      vi.advanceTimersByTime(500);
    }
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('says when it will run, and forgets it when cancelled', () => {
    const run = vi.fn();
    const autosave = new AutosaveScheduler(run, 1000, 10_000);
    autosave.touch(5000);
    expect(autosave.dueAt).toBe(6000);
    autosave.cancel();
    vi.advanceTimersByTime(5000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('the last guard before a write', () => {
  it('refuses text that is not a JSON list of the expected length', () => {
    expect(unwritableReason('[{"a": 1}, {"b": 2}]', 2)).toBeNull();
    expect(unwritableReason('\ufeff[]', 0)).toBeNull();
    expect(unwritableReason('[{"a": 1},]', 1)).toMatch(/not valid JSON/);
    expect(unwritableReason('{"a": []}', 0)).toMatch(/not a JSON list/);
    expect(unwritableReason('[1, 2]', 3)).toMatch(/holds 2 samples instead of 3/);
  });
});

describe('the image server', () => {
  it('recognises the images a browser shows by their first bytes, and nothing else', () => {
    const bytes = (...parts: Array<string | number[]>): Uint8Array => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
    expect(sniffImageMime(bytes([0x89], 'PNG\r\n'))).toBe('image/png');
    expect(sniffImageMime(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageMime(bytes('GIF89a'))).toBe('image/gif');
    expect(sniffImageMime(bytes('BM6'))).toBe('image/bmp');
    expect(sniffImageMime(bytes('RIFF', [0, 0, 0, 0], 'WEBP'))).toBe('image/webp');
    expect(sniffImageMime(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull();
    expect(sniffImageMime(bytes('root:x:0:0'))).toBeNull();
    expect(sniffImageMime(bytes(''))).toBeNull();
  });
});

describe('the sample index', () => {
  const sample = (id: string, answer: string, reviewed = false): EditableSample => ({ id, reviewed, turns: [{ from: 'user', value: 'Picture 1: <img>a.jpg</img>\nq' }, { from: 'assistant', value: answer }] });
  const indexOf = (samples: EditableSample[]): SampleIndex => {
    const index = new SampleIndex(() => '/data');
    index.reset(
      samples.map((entry, k) => {
        const summary = summarise(entry);
        inspect(summary, entry, k);
        return summary;
      }),
    );
    return index;
  };

  it('keeps the totals right through edits, and counts a duplicate id on the later sample only', () => {
    const samples = [sample('a', '<ref>cat</ref><box>(1,1),(500,500)</box>'), sample('b', '<ref>cat</ref><box>(500,1),(1,500)</box>'), sample('a', 'fine')];
    const index = indexOf(samples);
    expect(index.totals()).toEqual({ errors: 2, warnings: 0 });
    expect(index.row(2)).toMatchObject({ errors: 1, labels: [] });
    expect(index.row(0)).toMatchObject({ errors: 0, labels: ['cat'], boxCount: 1, image: 'a.jpg' });
    // Fixing the inverted box (same id: counted incrementally).
    const fixed = sample('b', '<ref>cat</ref><box>(1,1),(500,500)</box>');
    const summary = summarise(fixed);
    inspect(summary, fixed, 1);
    index.set(1, summary);
    expect(index.totals()).toEqual({ errors: 1, warnings: 0 });
    // Renaming the duplicate (the id changes: counted again).
    const renamed = sample('c', 'fine');
    const renamedSummary = summarise(renamed);
    inspect(renamedSummary, renamed, 2);
    index.set(2, renamedSummary);
    expect(index.totals()).toEqual({ errors: 0, warnings: 0 });
    expect(index.labels()).toEqual([{ label: 'cat', count: 2 }]);
  });

  it('knows which local files the samples use, as long as one does', () => {
    const index = indexOf([sample('a', 'x'), sample('b', 'y')]);
    expect(index.usesFile('/data/a.jpg')).toBe(true);
    index.remove(0);
    expect(index.usesFile('/data/a.jpg')).toBe(true);
    index.remove(0);
    expect(index.usesFile('/data/a.jpg')).toBe(false);
  });

  it('filters by text without regard to case, treating the text literally', () => {
    const samples = [sample('Alpha', 'a (1+1) b'), sample('beta', 'nothing'), sample('gamma', 'A (1+1) B', true)];
    const index = indexOf(samples);
    expect(index.filter({ text: '(1+1)' }, (k) => samples[k])).toEqual([0, 2]);
    expect(index.filter({ text: 'ALPHA' }, (k) => samples[k])).toEqual([0]);
    expect(index.filter({ text: '(1+1)', reviewed: false }, (k) => samples[k])).toEqual([0]);
    expect(index.filter({ text: '.*' }, (k) => samples[k])).toEqual([]);
  });
});
