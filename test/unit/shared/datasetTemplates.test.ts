import { describe, expect, it } from 'vitest';
import { parseConversation } from '../../../shared/dataset/conversationCodec';
import type { ImportedImage } from '../../../shared/dataset/import/importTypes';
import { SAMPLE_TEMPLATES, buildSamples, customTemplate, findTemplate, sampleIds } from '../../../shared/dataset/templates';
import type { SampleTemplate } from '../../../shared/dataset/templates';

function template(id: string): SampleTemplate {
  const found = findTemplate(id);
  if (!found) throw new Error(`no template ${id}`);
  return found;
}

// Drawn in this order: a person, a car, another person (pixels of a 640×480 image).
const STREET: ImportedImage = {
  image: '/data/imgs/street.png',
  size: { width: 640, height: 480 },
  boxes: [
    // 10.5/640·1000 = 16.4 → 16; 20/480·1000 = 41.7 → 42; 110.5/640·1000 = 172.7 → 173; 70/480·1000 = 145.8 → 146
    { label: 'person', box: { x1: 10.5, y1: 20, x2: 110.5, y2: 70 } },
    // 300/640·1000 = 468.75 → 469; 200/480·1000 = 416.7 → 417; 640 and 480 → 1000 → 999
    { label: 'car', box: { x1: 300, y1: 200, x2: 640, y2: 480 } },
    // 64/640 and 48/480 → 100
    { label: 'person', box: { x1: 0, y1: 0, x2: 64, y2: 48 } },
  ],
};

describe('conversation templates', () => {
  it('lists the built-in templates with both languages’ names', () => {
    expect(SAMPLE_TEMPLATES.map(({ id, kind }) => `${id} ${kind}`)).toEqual(['grounding-zh per-label', 'grounding-en per-label', 'describe-zh all-boxes', 'describe-en all-boxes']);
    for (const { name } of SAMPLE_TEMPLATES) expect(name.zh && name.en).toBeTruthy();
    expect(findTemplate('nope')).toBeUndefined();
  });

  it('grounding-zh asks once per label, the picture in the first question, every box of the label in drawn order', () => {
    const { samples, boxes, problems } = buildSamples([STREET], template('grounding-zh'));
    expect(problems).toEqual([]);
    expect(boxes).toBe(3);
    expect(samples).toEqual([
      {
        id: 'street',
        conversations: [
          { from: 'user', value: 'Picture 1: <img>/data/imgs/street.png</img>\n框出图中的person' },
          { from: 'assistant', value: '<ref>person</ref><box>(16,42),(173,146)</box><box>(0,0),(100,100)</box>' },
          { from: 'user', value: '框出图中的car' },
          { from: 'assistant', value: '<ref>car</ref><box>(469,417),(999,999)</box>' },
        ],
      },
    ]);
  });

  it('grounding-en asks the same in English', () => {
    const [sample] = buildSamples([STREET], template('grounding-en')).samples;
    expect(sample?.conversations.map(({ value }) => value)).toEqual([
      'Picture 1: <img>/data/imgs/street.png</img>\nBox the person in the image',
      '<ref>person</ref><box>(16,42),(173,146)</box><box>(0,0),(100,100)</box>',
      'Box the car in the image',
      '<ref>car</ref><box>(469,417),(999,999)</box>',
    ]);
  });

  it('describe templates answer every box in one turn, one line per label', () => {
    expect(buildSamples([STREET], template('describe-zh')).samples[0]?.conversations).toEqual([
      { from: 'user', value: 'Picture 1: <img>/data/imgs/street.png</img>\n框出图中所有的物体' },
      { from: 'assistant', value: '<ref>person</ref><box>(16,42),(173,146)</box><box>(0,0),(100,100)</box>\n<ref>car</ref><box>(469,417),(999,999)</box>' },
    ]);
    expect(buildSamples([STREET], template('describe-en')).samples[0]?.conversations[0]?.value).toBe('Picture 1: <img>/data/imgs/street.png</img>\nBox every object in the image');
  });

  it('writes what the conversation codec reads back: each box bound to picture 1 and its ref', () => {
    const [sample] = buildSamples([STREET], template('grounding-zh')).samples;
    const parsed = parseConversation(sample!.conversations.map(({ value }) => value));
    expect(parsed.turns.flatMap((turn) => turn.issues)).toEqual([]);
    const boxes = parsed.turns.flatMap((turn) => turn.segments.filter((segment) => segment.kind === 'box'));
    expect(boxes.map((box) => [box.image, box.coords])).toEqual([
      [0, { x1: 16, y1: 42, x2: 173, y2: 146 }],
      [0, { x1: 0, y1: 0, x2: 100, y2: 100 }],
      [0, { x1: 469, y1: 417, x2: 999, y2: 999 }],
    ]);
    expect(boxes.every((box) => box.ref !== null)).toBe(true);
  });

  it('takes a configurable ceiling', () => {
    expect(buildSamples([STREET], template('grounding-zh'), 1000).samples[0]?.conversations[3]?.value).toBe('<ref>car</ref><box>(469,417),(1000,1000)</box>');
  });

  it('makes stable, unique ids from the file names', () => {
    expect(sampleIds([{ image: 'a/street.png' }, { image: 'b/street.jpg' }, { image: 'street-2.png' }, { image: 'x' }, { image: '.hidden' }, { image: 'dir/' }])).toEqual([
      'street',
      'street-2',
      'street-2-2',
      'x',
      '.hidden',
      'image',
    ]);
  });

  it('skips what would break training or teach nothing, and says so', () => {
    const longPath = `/data/${'a'.repeat(244)}/图.png`; // 6 + 244 + 1 + 3 (图) + 4 = 258 UTF-8 bytes
    const images: ImportedImage[] = [
      // 0.3/1000·1000 = 0.3 → 0 on both sides: nothing left of the box
      { image: 'tiny.png', size: { width: 1000, height: 1000 }, boxes: [{ label: 'dot', box: { x1: 0, y1: 0, x2: 0.3, y2: 10 } }, { label: 'ok', box: { x1: 0, y1: 0, x2: 10, y2: 10 } }] },
      { image: longPath, size: { width: 10, height: 10 }, boxes: [{ label: 'a', box: { x1: 0, y1: 0, x2: 5, y2: 5 } }] },
      { image: 'bare.png', size: { width: 10, height: 10 }, boxes: [] },
    ];
    const { samples, boxes, problems } = buildSamples(images, template('grounding-zh'));
    expect(boxes).toBe(1);
    expect(samples.map(({ id, conversations }) => [id, conversations.length])).toEqual([['tiny', 2]]);
    expect(problems).toEqual([
      { severity: 'error', file: 'tiny.png', item: 'box 1 (dot)', message: "the box is narrower than one step of Qwen-VL's 0–999 grid and rounds to <box>(0,0),(0,10)</box>: skipped" },
      { severity: 'error', file: longPath, item: '', message: 'the image path is 258 UTF-8 bytes; finetune.py accepts at most 256 inside <img>…</img>: no sample made' },
      { severity: 'note', file: 'bare.png', item: '', message: 'no boxes: no sample made' },
    ]);
  });

  it('builds a template from the user’s own prompt', () => {
    const perLabel = customTemplate('图中{label}在哪里？');
    expect(perLabel).toMatchObject({ id: 'custom', kind: 'per-label' });
    expect(buildSamples([STREET], perLabel as SampleTemplate).samples[0]?.conversations[2]?.value).toBe('图中car在哪里？');
    expect(customTemplate('Describe the image')).toMatchObject({ kind: 'all-boxes' });
    expect(customTemplate('  ')).toEqual({ error: 'the prompt is empty' });
    expect(customTemplate('<img>x</img>')).toEqual({ error: 'the prompt must not contain <img> or </img>: the template adds the image itself' });
  });
});
