// The JSON preview shows exactly the bytes saving writes for the sample: for files of every
// style (json.dump indent=2 or 4, one line, ensure_ascii escapes, CRLF and tabs, odd spacing and
// unknown fields), unedited, edited in each way an annotator edits, and new.

import { describe, expect, it } from 'vitest';
import { toWireSample } from '../../../electron/main/services/dataset/workspaceWire';
import type { DatasetDocument } from '../../../shared/dataset/datasetDocument';
import { openDataset, saveDataset } from '../../../shared/dataset/datasetDocument';
import { mergeWireSample } from '../../../shared/dataset/sampleMerge';
import { createSample } from '../../../shared/dataset/sampleModel';
import type { EditableSample } from '../../../shared/dataset/sampleModel';
import { insertTurn, removeTurn, setReviewed, setSampleId, setTurnValue } from '../../../shared/dataset/sampleEdits';
import { sampleRecordSource, sampleRecordText } from '../../../shared/dataset/sampleRecord';
import { readQwenFixture } from './datasetSupport';

const records = [
  { id: 'a中', conversations: [{ from: 'user', value: 'Picture 1: <img>/data/街道.jpg</img>\n框出"车"' }, { from: 'assistant', value: '<ref>车</ref><box>(1,2),(3,4)</box>' }] },
  { id: 'b', conversations: [{ from: 'user', value: 'Picture 1: <img>b.png</img>\nWhat is it?' }, { from: 'assistant', value: 'A cat.' }], reviewed: true },
];

const STYLES: Record<string, string> = {
  'json.dump indent=2, ensure_ascii=False': JSON.stringify(records, null, 2),
  'json.dump indent=4 with ensure_ascii escapes': JSON.stringify(records, null, 4).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
  'one line, Python separators': JSON.stringify(records).replaceAll('","', '", "').replaceAll('":', '": '),
  'CRLF, tabs, escaped slashes, odd spacing, unknown fields':
    '\t[\r\n\t{ "id" : "a\\u4e2d" ,"conversations":[\r\n\t\t{"from":"user","value":"Picture 1: <img>\\/data\\/x.jpg<\\/img>\\n\\u6846\\u51fa"},' +
    '\r\n\t\t{"value":"<ref>x</ref><box>(1,2),(3,4)</box>","from":"assistant", "extra": {"nested": [1, {"deep": null}], "n": -1.5e+3}}],' +
    '"meta":{"source":"labelme","tags":["a","b"]}, "reviewed" : false}\r\n]\r\n',
  'the README example': readQwenFixture('readme_example_aa00ed0.json'),
};

/** What the saved file holds for sample `index`: the whitespace its line starts with, then its entry. */
function savedRecord(saved: string, index: number): string {
  const node = openDataset(saved).samples[index]?.origin?.node;
  if (!node) throw new Error(`no sample ${index} in the saved file`);
  const lineStart = saved.lastIndexOf('\n', node.start - 1) + 1;
  const lead = saved.slice(lineStart, node.start);
  return (/^[ \t]*$/.test(lead) ? lead : '') + saved.slice(node.start, node.end);
}

/** The edits an annotator makes, each applied to the screen's copy (a wire sample, no origins). */
const EDITS: Record<string, (sample: EditableSample) => EditableSample> = {
  unedited: (sample) => sample,
  'a box moved': (sample) => setTurnValue(sample, 1, (sample.turns[1]?.value ?? '').replace(/\d+/, '17')),
  'text with quotes, CJK and a slash': (sample) => setTurnValue(sample, 0, `${sample.turns[0]?.value ?? ''} "新的" a/b`),
  'id changed': (sample) => setSampleId(sample, 'renamed'),
  'reviewed toggled': (sample) => setReviewed(sample, !sample.reviewed),
  'a turn added': (sample) => insertTurn(insertTurn(sample, sample.turns.length, { from: 'user', value: '还有吗？' }), sample.turns.length + 1, { from: 'assistant', value: 'No.' }),
  'a turn removed': (sample) => removeTurn(sample, sample.turns.length - 1),
};

function screenCopy(sample: EditableSample): EditableSample {
  // What the renderer holds: the sample as sent, without origins.
  const { id, turns, reviewed } = toWireSample(sample);
  return { id, turns: turns.map(({ from, value }) => ({ from, value })), reviewed };
}

describe('the preview of a sample', () => {
  for (const [style, text] of Object.entries(STYLES)) {
    describe(style, () => {
      const document: DatasetDocument = openDataset(text);
      it('opens cleanly', () => expect(document.problems).toEqual([]));
      for (const [edit, apply] of Object.entries(EDITS)) {
        it(`${edit}: the bytes the saved file holds`, () => {
          document.samples.forEach((original, index) => {
            const edited = apply(screenCopy(original));
            // The workspace merges the edit onto the sample it replaces, then saves.
            const samples = document.samples.slice();
            samples[index] = mergeWireSample(toWireSample(edited), original);
            const saved = saveDataset(document, samples);
            expect(sampleRecordText(toWireSample(edited), sampleRecordSource(document, original)), `sample ${index}`).toBe(savedRecord(saved, index));
          });
        });
      }

      it('a new sample appended: the bytes the saved file holds', () => {
        const added = createSample('new_1', [
          { from: 'user', value: 'Picture 1: <img>新.jpg</img>\n框出"猫"' },
          { from: 'assistant', value: '<ref>猫</ref><box>(5,6),(70,80)</box>' },
        ]);
        const samples = [...document.samples, added];
        const saved = saveDataset(document, samples);
        expect(sampleRecordText(toWireSample(added), sampleRecordSource(document, added))).toBe(savedRecord(saved, samples.length - 1));
      });
    });
  }

  it('a sample of a file that does not exist yet: as the first save writes it', () => {
    const empty: DatasetDocument = { text: '', root: null, style: openDataset('[]').style, samples: [], problems: [] };
    const added = createSample('s', [{ from: 'user', value: 'hi' }]);
    const saved = saveDataset(empty, [added]);
    expect(sampleRecordText(toWireSample(added), sampleRecordSource(empty, added))).toBe(savedRecord(saved, 0));
  });
});
