/**
 * Qwen-VL conversation text ⇄ structure. A turn's `value` is cut into segments that cover it
 * exactly, in order: plain text, pictures (`Picture N: <img>path</img>`), `<ref>label</ref>`,
 * `<box>(x1,y1),(x2,y2)</box>` and `<quad>…</quad>`. Each segment knows its character range, so
 * an editor can move a box on the image by rewriting just that range, and a problem can point
 * at the exact character. Numbering and binding run across the whole conversation, as in the
 * tokenizer: images count from the first turn, and a box belongs to the latest picture before it.
 */

import type { PixelBox } from './coordinates';

export interface TextSegment {
  kind: 'text';
  start: number;
  end: number;
}

export interface PictureLabel {
  /** The N of "Picture N: ". */
  number: number;
  start: number;
  end: number;
}

export interface PictureSegment {
  kind: 'picture';
  /** From the label when there is one, else from `<img>`; `end` is just past `</img>`. */
  start: number;
  end: number;
  /** 0-based position of the image in the whole conversation. */
  image: number;
  label: PictureLabel | null;
  path: string;
  pathStart: number;
  pathEnd: number;
}

export interface RefSegment {
  kind: 'ref';
  start: number;
  end: number;
  label: string;
  labelStart: number;
  labelEnd: number;
}

/** Where a segment is in a parsed conversation. */
export interface SegmentAddress {
  turn: number;
  segment: number;
}

export interface BoxSegment {
  kind: 'box';
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  /** The integers as written, or null when the content is not `(x1,y1),(x2,y2)`. */
  coords: PixelBox | null;
  /** The picture it belongs to (0-based in the conversation), null before any picture. */
  image: number | null;
  /** The `<ref>` it labels: the latest one with only boxes and whitespace after it. */
  ref: SegmentAddress | null;
}

export interface QuadSegment {
  kind: 'quad';
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  /** x1,y1,…,x4,y4 as written, or null when malformed. */
  points: number[] | null;
  image: number | null;
  ref: SegmentAddress | null;
}

export type Segment = TextSegment | PictureSegment | RefSegment | BoxSegment | QuadSegment;

export type TagIssueCode = 'tag-unclosed' | 'tag-unopened' | 'tag-nested' | 'box-malformed' | 'special-token';

export interface TagIssue {
  code: TagIssueCode;
  start: number;
  end: number;
  /** The tag concerned, as written: `<img>`, `</ref>`, `<|im_end|>`… */
  tag: string;
  /** For tag-nested: the tag it sits inside. */
  inside?: string;
}

export interface ParsedTurn {
  segments: Segment[];
  issues: TagIssue[];
}

export interface ParsedConversation {
  turns: ParsedTurn[];
  pictures: Array<{ turn: number; segment: PictureSegment }>;
}

type TagName = 'img' | 'ref' | 'box' | 'quad';

interface FoundTag {
  at: number;
  text: string;
  /** An opening or closing tag of ours, or null for another special token. */
  name: TagName | null;
  closing: boolean;
}

/** Special tokens the tokenizer honours inside text (allowed_special="all"). */
const SPECIAL_TOKEN = /<\|(?:im_start|im_end|endoftext|extra_\d+)\|>/y;
const PICTURE_LABEL = /Picture (\d+): ?$/;
const BOX_CONTENT = /^\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;
const QUAD_CONTENT = /^\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

const OPENING: Record<TagName, FoundTag> = {
  img: { at: 0, text: '<img>', name: 'img', closing: false },
  ref: { at: 0, text: '<ref>', name: 'ref', closing: false },
  box: { at: 0, text: '<box>', name: 'box', closing: false },
  quad: { at: 0, text: '<quad>', name: 'quad', closing: false },
};
const CLOSING: Record<TagName, FoundTag> = {
  img: { at: 0, text: '</img>', name: 'img', closing: true },
  ref: { at: 0, text: '</ref>', name: 'ref', closing: true },
  box: { at: 0, text: '</box>', name: 'box', closing: true },
  quad: { at: 0, text: '</quad>', name: 'quad', closing: true },
};
const TAG_BY_SECOND_CHAR: Record<string, TagName> = { i: 'img', r: 'ref', b: 'box', q: 'quad' };

function tagAt(value: string, at: number): FoundTag | null {
  const second = value.charAt(at + 1);
  if (second === '|' || (second === 'i' && value.startsWith('<imgpad>', at))) {
    SPECIAL_TOKEN.lastIndex = at;
    const text = second === 'i' ? '<imgpad>' : SPECIAL_TOKEN.exec(value)?.[0];
    return text ? { at, text, name: null, closing: false } : null;
  }
  const closing = second === '/';
  const name = TAG_BY_SECOND_CHAR[closing ? value.charAt(at + 2) : second];
  if (name === undefined) return null;
  const tag = (closing ? CLOSING : OPENING)[name];
  return value.startsWith(tag.text, at) ? { ...tag, at } : null;
}

function nextTag(value: string, from: number): FoundTag | null {
  for (let at = value.indexOf('<', from); at !== -1; at = value.indexOf('<', at + 1)) {
    const tag = tagAt(value, at);
    if (tag) return tag;
  }
  return null;
}

/** Running state across the turns of one conversation. */
interface Binding {
  images: number;
  refAddress: SegmentAddress | null;
}

function parseTurn(value: string, turn: number, binding: Binding, pictures: ParsedConversation['pictures']): ParsedTurn {
  const segments: Segment[] = [];
  const issues: TagIssue[] = [];
  let textStart = 0;
  let pos = 0;
  for (let tag = nextTag(value, pos); tag; tag = nextTag(value, pos)) {
    const afterTag = tag.at + tag.text.length;
    pos = afterTag;
    if (tag.name === null) {
      issues.push({ code: 'special-token', start: tag.at, end: afterTag, tag: tag.text });
      continue;
    }
    if (tag.closing) {
      issues.push({ code: 'tag-unopened', start: tag.at, end: afterTag, tag: tag.text });
      continue;
    }
    const closeText = `</${tag.name}>`;
    const inner = nextTag(value, afterTag);
    if (!inner || inner.text !== closeText) {
      // Another tag inside this one's content: the whole span stays text, reported once.
      const close = inner ? value.indexOf(closeText, inner.at) : -1;
      if (inner && close !== -1) {
        issues.push({ code: 'tag-nested', start: inner.at, end: inner.at + inner.text.length, tag: inner.text, inside: tag.text });
        pos = close + closeText.length;
      } else issues.push({ code: 'tag-unclosed', start: tag.at, end: afterTag, tag: tag.text });
      continue;
    }
    const contentStart = afterTag;
    const contentEnd = inner.at;
    const end = contentEnd + closeText.length;
    let start = tag.at;
    let segment: Segment;
    if (tag.name === 'img') {
      const label = PICTURE_LABEL.exec(value.slice(Math.max(textStart, tag.at - 32), tag.at));
      if (label?.[1] !== undefined) start = tag.at - label[0].length;
      segment = {
        kind: 'picture',
        start,
        end,
        image: binding.images,
        label: label?.[1] !== undefined ? { number: Number(label[1]), start, end: tag.at } : null,
        path: value.slice(contentStart, contentEnd),
        pathStart: contentStart,
        pathEnd: contentEnd,
      };
      pictures.push({ turn, segment });
      binding.images++;
    } else if (tag.name === 'ref') {
      segment = { kind: 'ref', start, end, label: value.slice(contentStart, contentEnd), labelStart: contentStart, labelEnd: contentEnd };
    } else {
      const content = value.slice(contentStart, contentEnd);
      const match = (tag.name === 'box' ? BOX_CONTENT : QUAD_CONTENT).exec(content);
      if (!match) issues.push({ code: 'box-malformed', start, end, tag: tag.text });
      const image = binding.images > 0 ? binding.images - 1 : null;
      segment =
        tag.name === 'box'
          ? { kind: 'box', start, end, contentStart, contentEnd, coords: match ? { x1: Number(match[1]), y1: Number(match[2]), x2: Number(match[3]), y2: Number(match[4]) } : null, image, ref: null }
          : { kind: 'quad', start, end, contentStart, contentEnd, points: match ? match.slice(1).map(Number) : null, image, ref: null };
    }
    if (start > textStart) segments.push({ kind: 'text', start: textStart, end: start });
    segments.push(segment);
    textStart = end;
    pos = end;
  }
  if (value.length > textStart) segments.push({ kind: 'text', start: textStart, end: value.length });
  bindRefs(value, turn, segments, binding);
  return { segments, issues };
}

/** A box labels the latest ref when only boxes and whitespace lie between them, even across
 * turns (a user's `<ref>` answered by the assistant's `<box>`). */
function bindRefs(value: string, turn: number, segments: Segment[], binding: Binding): void {
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as Segment;
    if (segment.kind === 'ref') binding.refAddress = { turn, segment: index };
    else if (segment.kind === 'box' || segment.kind === 'quad') segment.ref = binding.refAddress;
    else if (segment.kind === 'picture' || !isBlank(value, segment.start, segment.end)) binding.refAddress = null;
  }
}

function isBlank(value: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const code = value.charCodeAt(k);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return false;
  }
  return true;
}

export function parseConversation(values: readonly string[]): ParsedConversation {
  const binding: Binding = { images: 0, refAddress: null };
  const pictures: ParsedConversation['pictures'] = [];
  const turns = values.map((value, turn) => parseTurn(value, turn, binding, pictures));
  return { turns, pictures };
}

/** One turn on its own, its pictures counted from `imagesBefore`. */
export function parseTurnValue(value: string, imagesBefore = 0): ParsedTurn {
  return parseTurn(value, 0, { images: imagesBefore, refAddress: null }, []);
}

// --- structure → text ---------------------------------------------------------------------------

/** A turn's value as a list of parts; every part keeps its text as written, so rendering the
 * parts of a parsed value gives the value back exactly. */
export type ValuePart =
  | { kind: 'text'; text: string }
  | { kind: 'picture'; label: string; path: string }
  | { kind: 'ref'; label: string }
  | { kind: 'box'; content: string }
  | { kind: 'quad'; content: string };

export function renderValue(parts: readonly ValuePart[]): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'picture':
          return `${part.label}<img>${part.path}</img>`;
        case 'ref':
          return `<ref>${part.label}</ref>`;
        case 'box':
          return `<box>${part.content}</box>`;
        case 'quad':
          return `<quad>${part.content}</quad>`;
      }
    })
    .join('');
}

export function valueParts(value: string, parsed: ParsedTurn): ValuePart[] {
  return parsed.segments.map((segment): ValuePart => {
    switch (segment.kind) {
      case 'text':
        return { kind: 'text', text: value.slice(segment.start, segment.end) };
      case 'picture':
        return { kind: 'picture', label: value.slice(segment.start, segment.pathStart - '<img>'.length), path: segment.path };
      case 'ref':
        return { kind: 'ref', label: segment.label };
      case 'box':
      case 'quad':
        return { kind: segment.kind, content: value.slice(segment.contentStart, segment.contentEnd) };
    }
  });
}

/** The label the guide writes before the N-th picture (1-based). */
export function pictureLabel(number: number): string {
  return `Picture ${number}: `;
}

/** `Picture N: <img>path</img>\n`, the way the guide's Step 5 writes an image. */
export function formatPicture(number: number, path: string): string {
  return `${pictureLabel(number)}<img>${path}</img>\n`;
}
