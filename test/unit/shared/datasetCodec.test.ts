// Conversation text ⇄ structure: segments that cover a value exactly, pictures numbered across
// turns, boxes bound to the picture before them and to their ref.

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../shared/dataset/conversationCodec';
import { formatPicture, parseConversation, parseTurnValue, renderValue, valueParts } from '../../../shared/dataset/conversationCodec';
import { openDataset } from '../../../shared/dataset/datasetDocument';
import { generateParts, integer, plainText, readQwenFixture, seeded } from './datasetSupport';

const kinds = (segments: readonly Segment[]) => segments.map((segment) => segment.kind);

/** Segments must tile the value: in order, no gaps, no overlaps. */
function expectTiling(value: string, segments: readonly Segment[]): void {
  let at = 0;
  for (const segment of segments) {
    expect(segment.start).toBe(at);
    expect(segment.end).toBeGreaterThan(segment.start);
    at = segment.end;
  }
  expect(at).toBe(value.length);
}

describe('parsing the real samples', () => {
  it('finds pictures, refs and boxes with their ranges in the README example', () => {
    const [, second, third] = openDataset(readQwenFixture('readme_example_aa00ed0.json')).samples;
    const values = second?.turns.map((turn) => turn.value) ?? [];
    const parsed = parseConversation(values);
    expect(parsed.pictures.map(({ turn, segment }) => [turn, segment.image, segment.label?.number, segment.path])).toEqual([[0, 0, 1, 'https://qianwen-res.oss-cn-beijing.aliyuncs.com/Qwen-VL/assets/demo.jpeg']]);
    const answer = parsed.turns[3];
    expect(kinds(answer?.segments ?? [])).toEqual(['ref', 'box']);
    const box = answer?.segments[1];
    expect(box).toMatchObject({ kind: 'box', coords: { x1: 588, y1: 499, x2: 725, y2: 789 }, image: 0, ref: { turn: 3, segment: 0 } });
    expect(values[3]?.slice(box?.start, box?.end)).toBe('<box>(588,499),(725,789)</box>');
    const pictures = parseConversation(third?.turns.map((turn) => turn.value) ?? []).pictures;
    expect(pictures.map(({ segment }) => [segment.image, segment.label?.number, segment.path])).toEqual([
      [0, 1, 'assets/mm_tutorial/Chongqing.jpeg'],
      [1, 2, 'assets/mm_tutorial/Beijing.jpeg'],
    ]);
  });

  it('binds each of several boxes to its ref and to the picture before it', () => {
    const [, sample] = openDataset(readQwenFixture('synthetic_grounding_sample.json')).samples;
    const parsed = parseConversation(sample?.turns.map((turn) => turn.value) ?? []);
    const boxes = parsed.turns[1]?.segments.filter((segment) => segment.kind === 'box') ?? [];
    expect(boxes.map((box) => [box.image, box.ref?.segment])).toEqual([
      [1, 0],
      [1, 0],
      [1, 4],
    ]);
  });

  it('binds an answer\'s box to the ref the user asked about (the issue352 shape)', () => {
    const parsed = parseConversation(['Picture 1: <img>5019b9e77382910074.png</img>\n<ref>text1</ref>', '<box>(222,333),(444,555)</box>']);
    expect(parsed.turns[1]?.segments[0]).toMatchObject({ kind: 'box', image: 0, ref: { turn: 0, segment: 2 } });
    expect(parseConversation(['<ref>a</ref> then text', '<box>(1,2),(3,4)</box>']).turns[1]?.segments[0]).toMatchObject({ ref: null, image: null });
  });
});

describe('tags', () => {
  it('counts pictures across turns and reads labels with or without the space', () => {
    const parsed = parseConversation([`${formatPicture(1, 'a.jpg')}Picture 2:<img>b.jpg</img>`, '<img>c.jpg</img> Picture 9: <img>d.jpg</img>']);
    expect(parsed.pictures.map(({ segment }) => [segment.image, segment.label?.number ?? null, segment.path])).toEqual([
      [0, 1, 'a.jpg'],
      [1, 2, 'b.jpg'],
      [2, null, 'c.jpg'],
      [3, 9, 'd.jpg'],
    ]);
    expect(parseTurnValue('Picture 3: <img>x</img>', 2).segments[0]).toMatchObject({ kind: 'picture', image: 2, start: 0, label: { number: 3, start: 0, end: 11 } });
  });

  it('reports unclosed, unopened and nested tags and special tokens, once each', () => {
    const issues = (value: string) => parseTurnValue(value).issues.map(({ code, tag, start }) => [code, tag, start]);
    expect(issues('Picture 1: <img>a.jpg')).toEqual([['tag-unclosed', '<img>', 11]]);
    expect(issues('x</ref>')).toEqual([['tag-unopened', '</ref>', 1]]);
    expect(issues('<ref>a<box>(1,2),(3,4)</box></ref>')).toEqual([['tag-nested', '<box>', 6]]);
    expect(issues('<img>a<ref>b</img>')).toEqual([['tag-nested', '<ref>', 6]]);
    expect(issues('<ref>a</box></ref>')).toEqual([['tag-nested', '</box>', 6]]);
    expect(issues('hi<|im_end|>\n<|im_start|>user<imgpad><|extra_12|>')).toEqual([
      ['special-token', '<|im_end|>', 2],
      ['special-token', '<|im_start|>', 13],
      ['special-token', '<imgpad>', 29],
      ['special-token', '<|extra_12|>', 37],
    ]);
    expect(issues('a < b > c <refx> <img >')).toEqual([]);
  });

  it('reads boxes with spaces as the official regex does, and flags malformed ones', () => {
    expect(parseTurnValue('<box>( 1 , 2 ) , ( 3,4 )</box>').segments[0]).toMatchObject({ coords: { x1: 1, y1: 2, x2: 3, y2: 4 } });
    for (const content of ['(12.5,3),(4,5)', '(1,2,3,4)', '[1,2,3,4]', '(1,2),(3,-4)', '']) {
      const parsed = parseTurnValue(`<box>${content}</box>`);
      expect(parsed.segments[0]).toMatchObject({ kind: 'box', coords: null });
      expect(parsed.issues.map((issue) => issue.code)).toEqual(['box-malformed']);
    }
    expect(parseTurnValue('<quad>(1,2),(3,4),(5,6),(7,8)</quad>').segments[0]).toMatchObject({ kind: 'quad', points: [1, 2, 3, 4, 5, 6, 7, 8] });
  });
});

describe('text ⇄ structure', () => {
  it('renders generated structures to text that parses back to them (property, seeded)', () => {
    const random = seeded(3);
    for (let run = 0; run < 2000; run++) {
      const imagesBefore = integer(random, 3);
      const parts = generateParts(random, imagesBefore);
      const value = renderValue(parts);
      const parsed = parseTurnValue(value, imagesBefore);
      expect(parsed.issues.filter((issue) => issue.code !== 'box-malformed'), value).toEqual([]);
      expect(valueParts(value, parsed), value).toEqual(parts.filter((part) => part.kind !== 'text' || part.text !== ''));
      expectTiling(value, parsed.segments);
    }
  });

  it('tiles any text, however broken, and renders it back exactly (property, seeded)', () => {
    const random = seeded(5);
    const pieces = ['<img>', '</img>', '<ref>', '</ref>', '<box>', '</box>', '<quad>', '</quad>', '(1,2),(3,4)', 'Picture 1: ', '<|im_end|>', '<', '>'];
    for (let run = 0; run < 3000; run++) {
      let value = '';
      for (let k = integer(random, 10); k > 0; k--) value += random() < 0.5 ? (pieces[integer(random, pieces.length)] ?? '') : plainText(random, 2);
      const parsed = parseTurnValue(value);
      expectTiling(value, parsed.segments);
      expect(renderValue(valueParts(value, parsed))).toBe(value);
      for (const issue of parsed.issues) expect(value.slice(issue.start, issue.end).length).toBeGreaterThan(0);
    }
  });
});
