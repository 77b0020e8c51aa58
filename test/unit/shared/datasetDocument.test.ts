// The lossless dataset file: open + save without edits gives the same bytes; edits touch only
// what changed, written the way the file's writer writes.

import { describe, expect, it } from 'vitest';
import type { DatasetDocument } from '../../../shared/dataset/datasetDocument';
import { openDataset, saveDataset, scanDataset } from '../../../shared/dataset/datasetDocument';
import { createSample } from '../../../shared/dataset/sampleModel';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { insertTurn, removeTurn, setReviewed, setSampleId, setTurnRole, setTurnValue } from '../../../shared/dataset/sampleEdits';
import type { Json } from './datasetSupport';
import { generateDataset, integer, pick, plainText, readQwenFixture, seeded } from './datasetSupport';

const FIXTURES = ['readme_example_aa00ed0.json', 'synthetic_grounding_sample.json'];

function sampleAt(document: DatasetDocument, index: number): EditableSample {
  const sample = document.samples[index];
  if (!sample) throw new Error(`no sample ${index}`);
  return sample;
}

function replaced(samples: readonly EditableSample[], index: number, sample: EditableSample): EditableSample[] {
  const copy = samples.slice();
  copy[index] = sample;
  return copy;
}

/** What a reader of the file sees: id, turns and reviewed of every sample. */
function decoded(samples: readonly EditableSample[]) {
  return samples.map((sample) => ({ id: sample.id, turns: sample.turns.map(({ from, value }) => ({ from, value })), reviewed: sample.reviewed }));
}

describe('saving without edits', () => {
  it.each(FIXTURES)('gives %s back byte for byte', (name) => {
    const text = readQwenFixture(name);
    const document = openDataset(text);
    expect(document.problems).toEqual([]);
    expect(saveDataset(document, document.samples)).toBe(text);
  });

  it('reads the samples as JSON.parse does', () => {
    const text = readQwenFixture('readme_example_aa00ed0.json');
    const parsed = JSON.parse(text) as Array<{ id: string; conversations: Array<{ from: string; value: string }> }>;
    expect(decoded(openDataset(text).samples)).toEqual(parsed.map((sample) => ({ id: sample.id, turns: sample.conversations, reviewed: false })));
  });

  it('keeps CRLF, tabs, escapes, escaped slashes, odd spacing, unknown and nested fields', () => {
    const text =
      '\t[\r\n\t{ "id" : "a\\u4e2d" ,"conversations":[\r\n\t\t{"from":"user","value":"Picture 1: <img>\\/data\\/x.jpg<\\/img>\\n\\u6846\\u51fa"},' +
      '\r\n\t\t{"value":"<ref>x</ref><box>(1,2),(3,4)</box>","from":"assistant", "extra": {"nested": [1, {"deep": null}], "n": -1.5e+3}}],' +
      '"meta":{"source":"labelme","tags":["a","b"]}, "reviewed" : false}\r\n]\r\n';
    const document = openDataset(text);
    expect(decoded(document.samples)).toEqual([
      {
        id: 'a中',
        turns: [
          { from: 'user', value: 'Picture 1: <img>/data/x.jpg</img>\n框出' },
          { from: 'assistant', value: '<ref>x</ref><box>(1,2),(3,4)</box>' },
        ],
        reviewed: false,
      },
    ]);
    expect(saveDataset(document, document.samples)).toBe(text);
  });

  it('keeps a byte-order mark, reporting it, and keeps broken samples as they are', () => {
    const text = '\ufeff[ "not a sample", {"conversations": 5}, {"id": 1, "conversations": [7, {"from": 3}]} ]';
    const document = openDataset(text);
    expect(document.problems.map((entry) => entry.code)).toEqual(['file-bom']);
    expect(document.samples.map((sample) => sample.origin?.issues.map((issue) => issue.code))).toEqual([['sample-not-object'], ['conversations-not-list'], []]);
    expect(sampleAt(document, 2).turns.map((turn) => turn.origin?.issues.map((issue) => issue.code))).toEqual([['turn-not-object'], ['from-not-string', 'value-missing']]);
    expect(saveDataset(document, document.samples)).toBe(text);
  });

  it('round-trips generated files in many writer styles (property, seeded)', () => {
    const random = seeded(7);
    for (let run = 0; run < 300; run++) {
      const { text, value } = generateDataset(random, integer(random, 6));
      const document = openDataset(text);
      expect(saveDataset(document, document.samples), `run ${run}`).toBe(text);
      const expected = (value as Array<{ [key: string]: Json }>).map((sample) => ({
        id: sample.id,
        turns: (sample.conversations as Array<{ from: string; value: string }>).map(({ from, value: text }) => ({ from, value: text })),
        reviewed: sample.reviewed === true,
      }));
      expect(decoded(document.samples), `run ${run}`).toEqual(expected);
    }
  });
});

describe('saving with edits', () => {
  it('splices only the edited value, escaped like the file', () => {
    const text = readQwenFixture('synthetic_grounding_sample.json');
    const document = openDataset(text);
    const edited = setTurnValue(sampleAt(document, 0), 1, '<ref>红色汽车</ref><box>(250,370),(520,851)</box>');
    const saved = saveDataset(document, replaced(document.samples, 0, edited));
    expect(saved).toBe(text.replace('(520,850)', '(520,851)'));
  });

  it('writes new text in the file\'s escaping: \\u escapes, \\/ and capital hex stay', () => {
    const text = '[{"id":"x","conversations":[{"from":"user","value":"\\u4E2D\\/"},{"from":"assistant","value":"ok"}]}]';
    const document = openDataset(text);
    const saved = saveDataset(document, replaced(document.samples, 0, setTurnValue(sampleAt(document, 0), 1, '框/"\n')));
    expect(saved).toBe('[{"id":"x","conversations":[{"from":"user","value":"\\u4E2D\\/"},{"from":"assistant","value":"\\u6846\\/\\"\\n"}]}]');
  });

  it('adds, removes and reorders samples and turns in the file\'s layout', () => {
    const text = readQwenFixture('synthetic_grounding_sample.json');
    const document = openDataset(text);
    const [first, second] = document.samples as [EditableSample, EditableSample];
    const added = createSample('synthetic_2', [
      { from: 'user', value: 'Picture 1: <img>/data/c.jpg</img>\n框出' },
      { from: 'assistant', value: '<ref>猫</ref><box>(1,2),(3,4)</box>' },
    ]);
    const saved = saveDataset(document, [second, insertTurn(first, 2, { from: 'user', value: 'more?' }), added]);
    expect(JSON.parse(saved)).toEqual([
      JSON.parse(text)[1],
      { ...JSON.parse(text)[0], conversations: [...JSON.parse(text)[0].conversations, { from: 'user', value: 'more?' }] },
      { id: 'synthetic_2', conversations: added.turns.map(({ from, value }) => ({ from, value })) },
    ]);
    // Two-space indentation, as in the file: the new turn lines up with its neighbours.
    expect(saved).toContain('      {\n        "from": "user",\n        "value": "more?"\n      }\n    ]');
    expect(saved).toContain('  {\n    "id": "synthetic_2",\n    "conversations": [\n      {\n        "from": "user",');
    const firstText = first.origin ? text.slice(first.origin.node.start, first.origin.node.end) : '';
    expect(saveDataset(document, [first])).toBe(`[\n  ${firstText}\n]\n`);
    const removed = saveDataset(document, [removeTurn(first, 1), second]);
    expect(JSON.parse(removed)[0].conversations).toHaveLength(1);
    expect(saveDataset(document, [])).toBe('[]\n');
  });

  it('stores the reviewed flag, the id and roles as members, keeping unknown fields', () => {
    const text = '[\n  {"conversations": [{"from": "User", "value": "hi", "w": 2}], "meta": {"k": [1]}}\n]';
    const document = openDataset(text);
    const sample = setTurnRole(setSampleId(setReviewed(sampleAt(document, 0), true), 'n1'), 0, 'user');
    const saved = saveDataset(document, [sample]);
    expect(saved).toBe('[\n  {"conversations": [{"from": "user", "value": "hi", "w": 2}], "meta": {"k": [1]}, "id": "n1", "reviewed": true}\n]');
    const reopened = openDataset(saved);
    expect(sampleAt(reopened, 0)).toMatchObject({ id: 'n1', reviewed: true });
    expect(saveDataset(reopened, [setReviewed(sampleAt(reopened, 0), false)])).toBe(saved.replace('"reviewed": true', '"reviewed": false'));
  });

  it('repairs a broken sample when it is edited, and writes a file that was not a list anew', () => {
    const text = '[{"id": "a", "conversations": "oops", "x": 1}, 42]';
    const document = openDataset(text);
    const fixed = insertTurn(sampleAt(document, 0), 0, { from: 'user', value: 'q' });
    const saved = saveDataset(document, [fixed, insertTurn(sampleAt(document, 1), 0, { from: 'user', value: 'r' })]);
    expect(JSON.parse(saved)).toEqual([{ id: 'a', conversations: [{ from: 'user', value: 'q' }], x: 1 }, { conversations: [{ from: 'user', value: 'r' }] }]);
    const notAList = openDataset('{"data": []}');
    expect(notAList.root).toBeNull();
    // In the style the file had: one line, ", " and ": ".
    expect(saveDataset(notAList, [createSample('z', [{ from: 'user', value: 'v' }])])).toBe('[{"id": "z", "conversations": [{"from": "user", "value": "v"}]}]\n');
    const fresh = openDataset('[]\n');
    expect(saveDataset(fresh, [createSample('z', [])])).toBe('[\n  {\n    "id": "z",\n    "conversations": []\n  }\n]\n');
    const unreadable = openDataset('[{');
    expect(saveDataset(unreadable, [createSample('z', [])])).toBe('[\n  {\n    "id": "z",\n    "conversations": []\n  }\n]\n');
  });

  it('changes exactly the edited value literal in generated files (property, seeded)', () => {
    const random = seeded(11);
    let edits = 0;
    for (let run = 0; run < 300; run++) {
      const { text } = generateDataset(random, integer(random, 5) + 1);
      const document = openDataset(text);
      const index = integer(random, document.samples.length);
      const sample = sampleAt(document, index);
      if (sample.turns.length === 0) continue;
      const turn = integer(random, sample.turns.length);
      const value = plainText(random, 4) + pick(random, ['', '中', '/', '"', '\u0001']);
      if (value === sample.turns[turn]?.value) continue;
      const saved = saveDataset(document, replaced(document.samples, index, setTurnValue(sample, turn, value)));
      const node = sample.turns[turn]?.origin?.node;
      if (node?.kind !== 'object') throw new Error('generated turns are objects');
      const literal = node.members.filter((member) => member.key === 'value').at(-1)?.value;
      if (!literal) throw new Error('generated turns have a value');
      // Everything before and after that one string literal is the file as it was.
      expect(saved.slice(0, literal.start)).toBe(text.slice(0, literal.start));
      expect(saved.slice(saved.length - (text.length - literal.end))).toBe(text.slice(literal.end));
      const expected = JSON.parse(text);
      expected[index].conversations[turn].value = value;
      expect(JSON.parse(saved)).toEqual(expected);
      edits++;
    }
    expect(edits).toBeGreaterThan(200);
  });
});

describe('reading problems of the whole file', () => {
  it('gives line and column for malformed JSON (the issue352 sample as pasted)', () => {
    const document = openDataset(readQwenFixture('issue352_grounding_sample_VERBATIM_invalid_json.txt'));
    expect(document.samples).toEqual([]);
    expect(document.problems).toEqual([
      expect.objectContaining({ code: 'json-syntax', severity: 'error', sample: null, turn: null, params: expect.objectContaining({ line: 12, column: 8 }) }),
    ]);
    expect(document.problems[0]?.message).toMatch(/line 12, column 8: a comma before '\]'/);
  });

  it('says what the top level is when it is not a list, and warns about an empty list', () => {
    expect(openDataset('{"data": [1]}').problems[0]).toMatchObject({ code: 'json-not-list', message: expect.stringContaining('the list under "data"') });
    expect(openDataset('"x"').problems[0]).toMatchObject({ code: 'json-not-list', message: expect.stringContaining('a string') });
    expect(openDataset(' [ ] ').problems.map((entry) => entry.code)).toEqual(['dataset-empty']);
  });

  it('scans sample by sample with the same samples as openDataset, keeping none', () => {
    const text = readQwenFixture('readme_example_aa00ed0.json');
    const seen: EditableSample[] = [];
    const scan = scanDataset(text, (sample) => seen.push(sample));
    expect(scan).toMatchObject({ readable: true, samples: 3, problems: [] });
    expect(decoded(seen)).toEqual(decoded(openDataset(text).samples));
    const broken = scanDataset('[{"conversations": []}, {"conversations": [}]', () => undefined);
    expect(broken).toMatchObject({ readable: false, samples: 0 });
    expect(broken.problems[0]?.code).toBe('json-syntax');
  });
});
