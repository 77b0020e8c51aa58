// Seeded generators for the dataset tests: conversation values built from parts, and dataset
// files written in many JSON styles (indent, line breaks, escapes, separators, unknown fields),
// so round trips are tested on more than the few real samples.

import { readFileSync } from 'node:fs';
import type { ValuePart } from '../../../shared/dataset/conversationCodec';
import { formatPicture, renderValue } from '../../../shared/dataset/conversationCodec';

export const QWEN_DATA = 'test/fixtures/qwen-vl-data';
export const readQwenFixture = (name: string): string => readFileSync(`${QWEN_DATA}/${name}`, 'utf8');

export type Random = () => number;

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
export const integer = (random: Random, max: number): number => Math.floor(random() * max);

/** Text that can hold anything but a complete tag: '<' and '>' appear, never as `<ref>` etc. */
const TEXT_PIECES = ['a', 'Box', ' ', '\n', '中文', '框出', '<', '>', '<i', 'mg>', '/', '(', '1,2)', '"', '\\', '\t', 'é', '🙂', 'Picture', ' 3:', '\u0000', '\u2028', '</', 'r', 'ef', '&lt;'];

export function plainText(random: Random, maxPieces = 6): string {
  let text = '';
  for (let k = integer(random, maxPieces) + 1; k > 0; k--) text += pick(random, TEXT_PIECES);
  // Random pieces can meet into a tag (`<` + `r` + `ef` + `>`); take those apart.
  return text.replace(/<(\/?)(img|ref|box|quad)>/g, '<$1$2 >').replace(/<\|/g, '< |').replace(/<imgpad>/g, '<imgpad >');
}

const coordinate = (random: Random): string => {
  const value = String(integer(random, 1000));
  return random() < 0.1 ? ` ${value} ` : value;
};

/**
 * Value parts in canonical form: what parsing their rendering gives back. Text parts never
 * hold a tag, never sit next to each other, and never end in "Picture N: " before a picture.
 */
export function generateParts(random: Random, imagesBefore: number): ValuePart[] {
  const parts: ValuePart[] = [];
  let images = imagesBefore;
  const pushText = (text: string): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += text;
    else parts.push({ kind: 'text', text });
  };
  for (let k = integer(random, 8); k > 0; k--) {
    const roll = random();
    if (roll < 0.3) pushText(plainText(random));
    else if (roll < 0.45) {
      images++;
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text = last.text.replace(/Picture \d+: ?$/, 'Picture#');
      const label = random() < 0.8 ? `Picture ${images}: ` : random() < 0.5 ? `Picture ${images}:` : '';
      parts.push({ kind: 'picture', label, path: pick(random, ['a.jpg', '/data/图片/b.png', 'dir/c d.jpeg', 'https://x.test/y.jpg', '']) });
      if (random() < 0.7) pushText('\n');
    } else if (roll < 0.65) parts.push({ kind: 'ref', label: plainText(random, 2) });
    else if (roll < 0.9) parts.push({ kind: 'box', content: `(${coordinate(random)},${coordinate(random)}),(${coordinate(random)},${coordinate(random)})` });
    else parts.push({ kind: 'quad', content: Array.from({ length: 4 }, () => `(${coordinate(random)},${coordinate(random)})`).join(',') });
  }
  return parts;
}

// --- dataset files in many styles ---------------------------------------------------------------

export interface WriterStyle {
  indent: string | null;
  newline: string;
  keySeparator: string;
  itemSeparator: string;
  /** Escape every non-ASCII character (Python's ensure_ascii). */
  ensureAscii: boolean;
  escapeSlash: boolean;
  upperHex: boolean;
  /** Also write some plain ASCII letters as \u escapes, as odd writers do. */
  escapeSomeAscii: boolean;
  /** Whitespace before the colon and inside empty containers, as hand-edited files have. */
  spaceBeforeColon: boolean;
  finalNewline: boolean;
}

export function randomStyle(random: Random): WriterStyle {
  const indent = pick(random, [null, '  ', '    ', '\t', ' ']);
  return {
    indent,
    newline: random() < 0.3 ? '\r\n' : '\n',
    keySeparator: pick(random, [': ', ':']),
    itemSeparator: indent === null ? pick(random, [', ', ',']) : ',',
    ensureAscii: random() < 0.4,
    escapeSlash: random() < 0.3,
    upperHex: random() < 0.3,
    escapeSomeAscii: random() < 0.2,
    spaceBeforeColon: random() < 0.15,
    finalNewline: random() < 0.6,
  };
}

function writeString(value: string, style: WriterStyle, random: Random): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const hex = (unit: number): string => {
      const digits = unit.toString(16).padStart(4, '0');
      return `\\u${style.upperHex ? digits.toUpperCase() : digits}`;
    };
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '/' && style.escapeSlash) out += '\\/';
    else if (code < 0x20) out += ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' } as Record<number, string>)[code] ?? hex(code);
    else if (code >= 0x80 && style.ensureAscii) out += code > 0xffff ? hex(0xd800 + ((code - 0x10000) >> 10)) + hex(0xdc00 + ((code - 0x10000) & 0x3ff)) : hex(code);
    else if (code >= 0xd800 && code <= 0xdfff) out += hex(code);
    else if (style.escapeSomeAscii && /[a-z]/i.test(char) && random() < 0.1) out += hex(code);
    else out += char;
  }
  return `${out}"`;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function writeJson(value: Json, style: WriterStyle, random: Random, indent = ''): string {
  if (typeof value === 'string') return writeString(value, style, random);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Array.isArray(value) ? value.map((item) => (inner: string) => writeJson(item, style, random, inner)) : Object.entries(value).map(([key, item]) => (inner: string) => `${writeString(key, style, random)}${style.spaceBeforeColon ? ' ' : ''}${style.keySeparator}${writeJson(item, style, random, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return style.spaceBeforeColon ? `${open} ${close}` : open + close;
  if (style.indent === null) return open + entries.map((entry) => entry(indent)).join(style.itemSeparator) + close;
  const inner = indent + style.indent;
  return `${open}${style.newline}${inner}${entries.map((entry) => entry(inner)).join(`${style.itemSeparator}${style.newline}${inner}`)}${style.newline}${indent}${close}`;
}

const EXTRA_VALUES: Json[] = [1, -2.5e-3, true, false, null, 'note', { nested: { deep: [1, { x: '中' }] } }, [], {}, ['a', 2]];

/** A sample as a tool might write it: id, conversation, and unknown fields in any order. */
export function generateSample(random: Random, index: number): { [key: string]: Json } {
  const turns: Json[] = [];
  let images = 0;
  for (let k = integer(random, 4) + 1; k > 0; k--) {
    const parts = generateParts(random, images);
    images += parts.filter((part) => part.kind === 'picture').length;
    const turn: { [key: string]: Json } = { from: turns.length % 2 === 0 ? 'user' : 'assistant', value: renderValue(parts) };
    if (random() < 0.15) turn.weight = pick(random, EXTRA_VALUES);
    turns.push(random() < 0.1 ? { value: turn.value as string, from: turn.from as string } : turn);
  }
  const sample: { [key: string]: Json } = {};
  const keys = ['id', 'conversations'];
  if (random() < 0.3) keys.push('source');
  if (random() < 0.2) keys.push('meta');
  if (random() < 0.1) keys.push('reviewed');
  for (const key of random() < 0.2 ? keys.reverse() : keys) {
    if (key === 'id') sample.id = random() < 0.9 ? `identity_${index}` : index;
    else if (key === 'conversations') sample.conversations = turns;
    else if (key === 'reviewed') sample.reviewed = random() < 0.5;
    else sample[key] = pick(random, EXTRA_VALUES);
  }
  return sample;
}

export function generateDataset(random: Random, samples: number): { text: string; value: Json[]; style: WriterStyle } {
  const style = randomStyle(random);
  const value = Array.from({ length: samples }, (_, index) => generateSample(random, index));
  const text = writeJson(value, style, random) + (style.finalNewline ? style.newline : '');
  return { text, value, style };
}

/** A Step 5 record as the guide writes it. */
export function guideSample(id: string, path: string, question: string, answer: string): Json {
  return { id, conversations: [{ from: 'user', value: `${formatPicture(1, path)}${question}` }, { from: 'assistant', value: answer }] };
}
