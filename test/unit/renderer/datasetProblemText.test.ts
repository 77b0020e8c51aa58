// Every problem the validator can report has its own message in both languages, and the params
// the validator gives fill every placeholder of it.

import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../shared/dataset/datasetDocument';
import type { DatasetProblem, ProblemCode } from '../../../shared/dataset/datasetProblems';
import { PROBLEM_SEVERITY } from '../../../shared/dataset/datasetProblems';
import type { ImageFacts } from '../../../shared/dataset/imageFacts';
import { validateDataset } from '../../../shared/dataset/validateDataset';
import { problemMessage, problemPlace } from '../../../renderer/src/features/dataset/problems/problemText';
import { en } from '../../../renderer/src/i18n/locales/en';
import { zh } from '../../../renderer/src/i18n/locales/zh';

const t = { en: i18next.createInstance(), zh: i18next.createInstance() };

beforeAll(async () => {
  for (const language of ['en', 'zh'] as const) await t[language].init({ resources: { en: { translation: en }, zh: { translation: zh } }, lng: language, interpolation: { escapeValue: false } });
});

const turn = (from: string, value: string) => ({ from, value });
const facts = (path: string): ImageFacts => {
  const base: ImageFacts = { exists: true, decodes: true, format: 'png', width: 100, height: 100, exifOrientation: null, reason: null };
  if (path.includes('missing')) return { ...base, exists: false, decodes: null, reason: 'no such file' };
  if (path.includes('corrupt')) return { ...base, decodes: false, reason: 'cut short' };
  if (path.includes('odd')) return { ...base, decodes: null, format: null };
  if (path.includes('huge')) return { ...base, width: 20_000, height: 10_000 };
  if (path.includes('big')) return { ...base, width: 12_000, height: 8_000 };
  if (path.includes('turned')) return { ...base, exifOrientation: 6 };
  return base;
};

/** A file that trips most checks of a sample, its turns and its images. */
const TEXT = JSON.stringify([
  { id: 'a', conversations: [turn('user', 'Picture 2: <img>missing.png</img>\n<img>corrupt.png</img><img>odd.png</img><img>huge.png</img><img>big.png</img><img>turned.png</img><ref>x</ref>'), turn('assistant', '<ref>cat</ref> <box>(1,2)</box><box>(5,5),(1,1)</box><box>(1,1),(2,2)</box><box>(0,0),(1200,9)</box><quad>(1,1)</quad><|im_end|><ref><box>(1,1),(9,9)</box></ref></box><img>')] },
  { id: 'a', conversations: [turn('assistant', '<box>(1,1),(50,50)</box>'), turn('bot', ''), turn('user', 'Picture 1: <img></img>'), turn('user', `Picture 1: <img>https://x/y.png</img>\nPicture 2: <img>${'长'.repeat(90)}.png</img>`)] },
  { conversations: [] },
  { id: 7, conversations: 'no' },
  { id: 'c', conversations: [{ from: 'user' }, { value: 'x' }, 3, turn('user', `Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\nPicture 3: <img>c.png</img>\nPicture 4: <img>d.png</img>\nPicture 5: <img>e.png</img>\nPicture 6: <img>f.png</img>\nPicture 7: <img>g.png</img>\nPicture 8: <img>h.png</img>\n${'词 '.repeat(600)}`)] },
  { id: 'd', id2: 1, conversations: [turn('user', `Picture 1: <img>a.png</img>\n${'x '.repeat(2100)}`), turn('assistant', 'ok')] },
  { id: 'e', conversations: [turn('user', 'Picture 1: <img>a.png</img>\nPicture 2: <img>b.png</img>\nPicture 3: <img>c.png</img>\nPicture 4: <img>d.png</img>\nPicture 5: <img>e.png</img>\nPicture 6: <img>f.png</img>\nPicture 7: <img>g.png</img>\n'), turn('assistant', 'ok')] },
  'text',
]);

function problems(): DatasetProblem[] {
  const document = openDataset(TEXT);
  const found = validateDataset(document.samples, document.problems, facts);
  for (const text of ['\ufeff[]', '[1,', '{"a": []}', '[]']) found.push(...openDataset(text).problems);
  return found;
}

describe('problem messages', () => {
  it('exist for every code in both languages', () => {
    for (const code of Object.keys(PROBLEM_SEVERITY) as ProblemCode[]) {
      expect(en.dataset.problem[code], code).toMatch(/\S/);
      expect(zh.dataset.problem[code], code).toMatch(/\S/);
    }
  });

  it('are filled from the validator’s params, with nothing left in braces', () => {
    const found = problems();
    const codes = new Set(found.map((entry) => entry.code));
    // Most codes occur: the test would notice a message whose params the validator does not give.
    expect(codes.size).toBeGreaterThanOrEqual(35);
    for (const language of ['en', 'zh'] as const) {
      for (const entry of found) {
        const message = problemMessage(t[language].t, entry);
        expect(message, `${entry.code} in ${language}`).not.toMatch(/\{\{|dataset\.problem/);
        expect(problemPlace(t[language].t, entry)).not.toMatch(/\{\{/);
      }
    }
  });

  it('name the place as the editor shows it: sample id, turn and character from 1', () => {
    const out = problems().find((entry) => entry.code === 'box-out-of-range');
    // <ref>cat</ref> <box>(1,2)</box><box>(5,5),(1,1)</box><box>(1,1),(2,2)</box> is 75 characters.
    expect(out && problemPlace(t.en.t, out)).toBe('sample a · turn 2 · character 76');
    expect(out && problemMessage(t.zh.t, out)).toBe('坐标 1200 超出 0–999：框以图片宽高的千分之一为单位。');
    const duplicate = problems().find((entry) => entry.code === 'id-duplicate');
    expect(duplicate && problemMessage(t.en.t, duplicate)).toBe('This id is already used by sample #1.');
  });
});
