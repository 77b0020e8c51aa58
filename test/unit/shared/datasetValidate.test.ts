// Every rule of the dataset validator, and every kind of bad input the issue names: each gets a
// clear problem entry at the right sample, turn and character; nothing throws.

import { describe, expect, it } from 'vitest';
import { formatPicture } from '../../../shared/dataset/conversationCodec';
import { openDataset } from '../../../shared/dataset/datasetDocument';
import type { DatasetProblem } from '../../../shared/dataset/datasetProblems';
import { PROBLEM_SEVERITY } from '../../../shared/dataset/datasetProblems';
import type { ImageFacts } from '../../../shared/dataset/imageFacts';
import { setTurnRole, setTurnValue } from '../../../shared/dataset/sampleEdits';
import { estimateTextTokens } from '../../../shared/dataset/tokenEstimate';
import { imageProblems, inspectSample, validateDataset } from '../../../shared/dataset/validateDataset';
import type { Json } from './datasetSupport';
import { generateDataset, guideSample, readQwenFixture, seeded } from './datasetSupport';

const GOOD: ImageFacts = { exists: true, decodes: true, format: 'jpeg', width: 1920, height: 1080, exifOrientation: null, reason: null };

function validate(samples: Json[] | string, facts: Record<string, Partial<ImageFacts>> = {}): DatasetProblem[] {
  const document = openDataset(typeof samples === 'string' ? samples : JSON.stringify(samples, null, 2));
  return validateDataset(document.samples, document.problems, (path) => (path in facts ? { ...GOOD, ...facts[path] } : GOOD));
}

const codes = (problems: readonly DatasetProblem[]) => problems.map((entry) => entry.code);
const where = (problems: readonly DatasetProblem[]) => problems.map(({ code, sample, turn, offset }) => [code, sample, turn, offset]);

const turns = (...values: Array<[string, string]>): Json => values.map(([from, value]) => ({ from, value }));
const sample = (id: Json, conversations: Json): Json => ({ id, conversations });
const picture = formatPicture(1, '/data/a.jpg');

describe('a clean dataset', () => {
  it('has no problems, as the guide writes it', () => {
    expect(validate([guideSample('s0', '/data/a.jpg', '框出图中的车', '<ref>车</ref><box>(250,370),(520,851)</box>'), guideSample('s1', '/data/b.png', 'What is it?', 'A cat.')])).toEqual([]);
  });

  it('says the real samples\' only issues: the URL image and, in the pasted issue352 file, the syntax', () => {
    expect(where(validate(readQwenFixture('readme_example_aa00ed0.json')))).toEqual([['image-url', 1, 0, 16]]);
    expect(validate(readQwenFixture('synthetic_grounding_sample.json'))).toEqual([]);
    expect(codes(validate(readQwenFixture('issue352_grounding_sample_VERBATIM_invalid_json.txt')))).toEqual(['json-syntax']);
  });

  it('gives every problem the severity of its code, and sorts them by place', () => {
    const problems = validate([sample('a', turns(['human', '<box>(1,2),(1000,3)</box>'])), sample('a', 5), 'x']);
    for (const entry of problems) expect(entry.severity).toBe(PROBLEM_SEVERITY[entry.code]);
    const places = problems.map((entry) => [entry.sample ?? -1, entry.turn ?? -1, entry.offset ?? -1]);
    expect(places).toEqual([...places].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0)));
  });
});

describe('bad shapes', () => {
  it('a list of the wrong shape: not objects, no conversations, not lists, empty, turns not objects', () => {
    const problems = validate([[1, 2], { id: 'a' }, sample('b', { from: 'user', value: 'x' }), sample('c', []), sample('d', ['hello'])]);
    expect(where(problems)).toEqual([
      ['sample-not-object', 0, null, null],
      ['conversations-missing', 1, null, null],
      ['conversations-not-list', 2, null, null],
      ['conversations-empty', 3, null, null],
      ['turn-not-object', 4, 0, null],
    ]);
    expect(problems[1]?.message).toContain("KeyError: 'conversations'");
  });

  it('missing or non-string from and value, empty values and duplicate keys', () => {
    const text = '[{"id": "a", "conversations": [{"from": "user"}, {"from": 7, "value": "x"}, {"from": "user", "value": ["x"]}, {"from": "assistant", "value": ""}, {"from": "user", "value": "a", "value": "b"}, {"from": "assistant", "value": "ok"}]}]';
    expect(where(validate(text))).toEqual([
      ['value-missing', 0, 0, null],
      ['role-invalid', 0, 1, null],
      ['value-not-string', 0, 2, null],
      ['value-empty', 0, 3, 0],
      ['duplicate-key', 0, 4, null],
    ]);
  });

  it('forgets a shape problem once the edit that fixes it is made', () => {
    const document = openDataset('[{"id": "a", "conversations": [{"from": "user"}, {"value": "x"}]}]');
    const broken = document.samples[0];
    if (!broken) throw new Error('one sample');
    expect(codes(validateDataset([broken], []))).toEqual(['value-missing', 'role-invalid']);
    const fixed = setTurnRole(setTurnValue(broken, 0, 'Picture 1: <img>a.jpg</img>\nq'), 1, 'assistant');
    expect(validateDataset([fixed], [], () => GOOD)).toEqual([]);
  });
});

describe('roles', () => {
  it('must be exactly user or assistant, with a hint for the usual mistakes', () => {
    const problems = validate([sample('a', turns(['human', 'q'], ['gpt', 'a'])), sample('b', turns(['User', 'q'], ['assistant', 'a'])), sample('c', turns(['system', 's'], ['user', 'q'], ['assistant', 'a']))]);
    expect(where(problems)).toEqual([
      ['role-invalid', 0, 0, null],
      ['role-invalid', 0, 1, null],
      ['role-invalid', 1, 0, null],
      ['role-invalid', 2, 0, null],
      ['role-order', 2, 1, null],
    ]);
    expect(problems[0]?.message).toContain('ShareGPT');
    expect(problems[2]?.message).toContain('lower case');
    expect(problems[3]?.message).toContain('no system turns');
  });

  it('alternate from user, reported once per sample, and end with the assistant', () => {
    const problems = validate([sample('a', turns(['assistant', 'hi'], ['user', 'q'])), sample('b', turns(['user', 'q'], ['user', 'q2'], ['assistant', 'a'], ['assistant', 'b'])), sample('c', turns(['user', 'q'], ['assistant', 'a'], ['user', 'more']))]);
    expect(where(problems)).toEqual([
      ['role-order', 0, 0, null],
      ['last-turn-user', 0, 1, null],
      ['role-order', 1, 1, null],
      ['last-turn-user', 2, 2, null],
    ]);
    expect(problems.map((entry) => entry.severity)).toEqual(['error', 'warning', 'error', 'warning']);
  });
});

describe('ids', () => {
  it('are unique strings; a repeat names the first sample', () => {
    const problems = validate([sample('a', turns(['user', 'q'], ['assistant', 'a'])), sample(7, turns(['user', 'q'], ['assistant', 'a'])), { conversations: turns(['user', 'q'], ['assistant', 'a']) }, sample('a', turns(['user', 'q'], ['assistant', 'a']))]);
    expect(where(problems)).toEqual([
      ['id-not-string', 1, null, null],
      ['id-missing', 2, null, null],
      ['id-duplicate', 3, null, null],
    ]);
    expect(problems[0]?.id).toBe('7');
    expect(problems[2]).toMatchObject({ id: 'a', params: { first: 0 }, message: 'The id "a" is already used by sample 0.' });
  });
});

describe('tags', () => {
  it('balanced and in order, at the character where they go wrong', () => {
    const problems = validate([sample('a', turns(['user', 'Picture 1: <img>a.jpg\nq'], ['assistant', 'x</ref><ref>a<box>(1,2),(3,4)</box></ref> <|im_end|>']))]);
    expect(where(problems)).toEqual([
      ['tag-unclosed', 0, 0, 11],
      ['tag-unopened', 0, 1, 1],
      ['tag-nested', 0, 1, 13],
      ['special-token', 0, 1, 42],
    ]);
    expect(problems[0]?.message).toContain('Unclosed image token');
    expect(problems[2]?.message).toBe('<box> sits inside <ref>…</ref>: tags cannot nest.');
  });

  it('a ref in an answer needs a box; in a question it need not', () => {
    const problems = validate([sample('a', turns(['user', `${picture}<ref>the cat</ref>`], ['assistant', '<box>(1,2),(30,40)</box>'])), sample('b', turns(['user', `${picture}where?`], ['assistant', 'It is <ref>here</ref>.']))]);
    expect(where(problems)).toEqual([['ref-without-box', 1, 1, 6]]);
  });
});

describe('boxes', () => {
  it('integers in [0, 999], x1 < x2 and y1 < y2, not tiny, after a picture', () => {
    const answer = '<ref>a</ref><box>(1,2),(1000,3)</box><box>(500,10),(400,20)</box><box>(5,5),(5,9)</box><box>(10,10),(11,50)</box><box>(12.5,1),(20,30)</box>';
    const problems = validate([sample('a', turns(['user', `${picture}q`], ['assistant', answer])), sample('b', turns(['user', 'no picture'], ['assistant', '<box>(1,1),(9,9)</box>']))]);
    expect(where(problems)).toEqual([
      ['box-out-of-range', 0, 1, 12],
      ['box-inverted', 0, 1, 37],
      ['box-inverted', 0, 1, 65],
      ['box-tiny', 0, 1, 87],
      ['box-malformed', 0, 1, 113],
      ['box-without-image', 1, 1, 0],
    ]);
    expect(problems[0]?.message).toContain('1000 is outside [0, 999]');
    expect(problems[4]?.message).toContain('found "(12.5,1),(20,30)"');
  });

  it('take the ceiling from the options, and check quads too', () => {
    const document = openDataset(JSON.stringify([sample('a', turns(['user', `${picture}q`], ['assistant', '<box>(0,0),(1000,1000)</box><quad>(1,1),(2000,1),(2,2),(1,2)</quad>']))]));
    expect(codes(validateDataset(document.samples, [], () => GOOD, { coordCeiling: 1000 }))).toEqual(['box-out-of-range']);
  });
});

describe('pictures and image paths', () => {
  it('numbered Picture 1, 2, … across the conversation', () => {
    const problems = validate([sample('a', turns(['user', `Picture 2: <img>a.jpg</img>\n<img>b.jpg</img>\nq`], ['assistant', 'a']))]);
    expect(where(problems)).toEqual([
      ['picture-number', 0, 0, 0],
      ['picture-label-missing', 0, 0, 28],
    ]);
  });

  it('at most 256 UTF-8 bytes, not empty, valid Unicode; URLs are only mentioned', () => {
    const cjk = `/${'图'.repeat(85)}`; // 1 + 255 bytes: fits
    const long = `/${'图'.repeat(86)}`; // 259 bytes, 87 characters
    const surrogate = '/data/caf\udce9.jpg';
    const problems = validate([
      sample('a', turns(['user', `Picture 1: <img>${cjk}</img>\nPicture 2: <img>${long}</img>\nq`], ['assistant', 'a'])),
      sample('b', turns(['user', `Picture 1: <img></img>\nPicture 2: <img>${surrogate}</img>\nPicture 3: <img>http://x.test/a.jpg</img>\nq`], ['assistant', 'a'])),
    ]);
    expect(where(problems)).toEqual([
      ['image-path-too-long', 0, 0, 125],
      ['image-path-empty', 1, 0, 16],
      ['image-path-not-utf8', 1, 0, 48],
      ['image-url', 1, 0, 76],
    ]);
    expect(problems[0]).toMatchObject({ params: { bytes: 259, limit: 256 }, length: 87 });
    expect(problems[2]?.message).toContain('non-UTF-8');
  });

  it('judges the image files from the facts the caller found', () => {
    const facts: Record<string, Partial<ImageFacts>> = {
      'gone.jpg': { exists: false, decodes: false, reason: 'no such file' },
      'cut.jpg': { decodes: false, reason: 'cut short: no end-of-image marker after the image data' },
      'odd.tif': { decodes: null, format: null, width: null, height: null },
      'bomb.png': { width: 20_000, height: 10_000 },
      'big.png': { width: 10_000, height: 9_000 },
      'turned.jpg': { exifOrientation: 6 },
    };
    const problems = validate(Object.keys(facts).map((path, k) => guideSample(`s${k}`, path, 'q', 'a')), facts);
    expect(where(problems)).toEqual([
      ['image-missing', 0, 0, 16],
      ['image-corrupt', 1, 0, 16],
      ['image-unknown-format', 2, 0, 16],
      ['image-too-large', 3, 0, 16],
      ['image-large', 4, 0, 16],
      ['image-exif-rotated', 5, 0, 16],
    ]);
    expect(problems[0]?.message).toContain('FileNotFoundError');
    expect(problems[1]?.message).toContain('cut short');
    expect(problems[3]?.message).toContain('DecompressionBombError');
    expect(problems[5]?.params).toMatchObject({ orientation: 6 });
  });

  it('lists the local images a sample uses, to be judged once probed', () => {
    const document = openDataset(JSON.stringify([sample('a', turns(['user', `${picture}Picture 2: <img>https://x.test/b.jpg</img>\nq`], ['assistant', 'a']))]));
    const target = document.samples[0];
    if (!target) throw new Error('one sample');
    const { problems, images } = inspectSample(target, 0);
    expect(codes(problems)).toEqual(['image-url']);
    expect(images).toEqual([{ sample: 0, id: 'a', turn: 0, offset: 16, length: 11, path: '/data/a.jpg' }]);
    expect(codes(imageProblems(images[0] as (typeof images)[0], { ...GOOD, exists: false }))).toEqual(['image-missing']);
  });
});

describe('length against model_max_length', () => {
  it('estimates tokens high, by documented rules', () => {
    expect(estimateTextTokens('hello')).toBe(2);
    expect(estimateTextTokens('hello world')).toBe(4);
    expect(estimateTextTokens('(588,499)')).toBe(9);
    expect(estimateTextTokens('框出图中的车')).toBe(6);
    expect(estimateTextTokens('a\n\nb  c')).toBe(5);
    expect(estimateTextTokens('🙂')).toBe(3);
  });

  it('is an error when truncation would cut an image, a warning when it cuts text or comes near', () => {
    // Each picture is 31 characters: "Picture N: <img>/i/N.jpg</img>\n".
    const pictures = (count: number) => Array.from({ length: count }, (_, k) => formatPicture(k + 1, `/i/${k}.jpg`)).join('');
    const problems = validate([
      sample('eight', turns(['user', `${pictures(8)}q`], ['assistant', 'a'])),
      sample('seven-after-text', turns(['user', `${'字'.repeat(300)}${pictures(7)}q`], ['assistant', 'a'])),
      sample('seven', turns(['user', `${pictures(7)}q`], ['assistant', 'a'])),
      sample('text', turns(['user', `${pictures(1)}q`], ['assistant', '字'.repeat(2500)])),
      sample('fits', turns(['user', `${pictures(6)}q`], ['assistant', 'a'])),
    ]);
    expect(where(problems)).toEqual([
      ['token-limit-image', 0, 0, 7 * 31],
      ['token-limit-image', 1, 0, 300 + 6 * 31],
      ['token-limit-near', 2, 0, 6 * 31],
      ['token-limit', 3, 1, 0],
    ]);
    expect(problems[0]?.message).toContain('Picture 8');
    expect(problems[3]).toMatchObject({ severity: 'warning', params: { limit: 2048 } });
  });
});

describe('generated datasets', () => {
  it('never throw and always name a place inside the sample (property, seeded)', () => {
    const random = seeded(13);
    for (let run = 0; run < 200; run++) {
      const { text } = generateDataset(random, 3);
      const document = openDataset(text);
      for (const entry of validateDataset(document.samples, document.problems, () => GOOD)) {
        const target = entry.sample === null ? undefined : document.samples[entry.sample];
        if (entry.turn === null || !target) continue;
        const value = target.turns[entry.turn]?.value ?? '';
        expect(entry.offset === null || (entry.offset >= 0 && entry.offset + entry.length <= value.length), `${entry.code} in ${value}`).toBe(true);
      }
    }
  });
});
