/**
 * How the file's writer formatted JSON, so that what the editor writes into an existing file
 * looks like the rest of it: a line-per-item file stays line-per-item with the same indent, a
 * file written by Python's json.dump with ensure_ascii keeps `\u4e2d` escapes, `\/` stays `\/`.
 */

import type { JsonArrayNode, JsonEscapeHabits, JsonNode, JsonObjectNode, JsonValue } from './jsonSource';

export interface JsonStyle {
  /** The line break written between lines. */
  newline: '\n' | '\r\n';
  /** One level of indentation, or null when the writer put everything on one line. */
  indent: string | null;
  /** Between items on one line (indent null), comma included: Python's default is ', '. */
  itemSeparator: string;
  /** Between a key and its value. */
  keySeparator: string;
  /** Every character ≥ U+0080 as a `\uXXXX` escape. */
  ensureAscii: boolean;
  escapeSlash: boolean;
  upperHex: boolean;
}

/** Python's json.dump(data, f, ensure_ascii=False, indent=2): what the guide's examples look like. */
export const DEFAULT_JSON_STYLE: JsonStyle = {
  newline: '\n',
  indent: '  ',
  itemSeparator: ', ',
  keySeparator: ': ',
  ensureAscii: false,
  escapeSlash: false,
  upperHex: false,
};

type Container = JsonArrayNode | JsonObjectNode;

function entryStarts(node: Container): number[] {
  return node.kind === 'array' ? node.items.map((item) => item.start) : node.members.map((member) => member.keyStart);
}

function entryEnds(node: Container): number[] {
  return node.kind === 'array' ? node.items.map((item) => item.end) : node.members.map((member) => member.value.end);
}

function firstChildContainer(node: Container): Container | null {
  const children = node.kind === 'array' ? node.items : node.members.map((member) => member.value);
  for (const child of children) if (child.kind === 'array' || child.kind === 'object') return child;
  return null;
}

/** The indentation after the last line break in `gap`, or null when the gap has none. */
function indentOfGap(gap: string): string | null {
  const at = gap.lastIndexOf('\n');
  return at === -1 ? null : gap.slice(at + 1);
}

/** Reads the style off the file: line breaks, indentation per level, separators, escapes. */
export function detectJsonStyle(text: string, root: JsonNode, habits: JsonEscapeHabits): JsonStyle {
  const firstBreak = text.indexOf('\n');
  const newline = firstBreak > 0 && text.charCodeAt(firstBreak - 1) === 0x0d ? '\r\n' : '\n';
  // Indentation of the first entry at each depth along the first nested path: the difference
  // between two consecutive depths is one level.
  const indents: Array<{ depth: number; indent: string }> = [];
  let itemSeparator: string | null = null;
  let keySeparator: string | null = null;
  let node: Container | null = root.kind === 'array' || root.kind === 'object' ? root : null;
  // An empty list (a new dataset) shows no layout: it gets the default one.
  let laidOut = false;
  for (let depth = 1; node; depth++) {
    const starts = entryStarts(node);
    const ends = entryEnds(node);
    if (starts[0] !== undefined) {
      laidOut = true;
      const indent = indentOfGap(text.slice(node.start + 1, starts[0]));
      if (indent !== null) indents.push({ depth, indent });
    }
    if (itemSeparator === null && starts[1] !== undefined && ends[0] !== undefined) {
      const gap = text.slice(ends[0], starts[1]);
      if (!gap.includes('\n')) itemSeparator = gap;
    }
    if (keySeparator === null && node.kind === 'object' && node.members[0]) {
      const member = node.members[0];
      keySeparator = text.slice(member.keyEnd, member.value.start);
    }
    node = firstChildContainer(node);
  }
  return {
    newline,
    indent: laidOut ? indentUnit(indents) : DEFAULT_JSON_STYLE.indent,
    itemSeparator: itemSeparator ?? DEFAULT_JSON_STYLE.itemSeparator,
    keySeparator: keySeparator ?? DEFAULT_JSON_STYLE.keySeparator,
    ensureAscii: habits.escapesNonAscii && !habits.rawNonAscii,
    escapeSlash: habits.escapesSlash,
    upperHex: habits.upperHex,
  };
}

function indentUnit(indents: ReadonlyArray<{ depth: number; indent: string }>): string | null {
  if (indents.length === 0) return null;
  for (let k = 1; k < indents.length; k++) {
    const outer = indents[k - 1];
    const inner = indents[k];
    if (outer && inner && inner.depth === outer.depth + 1 && inner.indent.startsWith(outer.indent) && inner.indent.length > outer.indent.length) {
      return inner.indent.slice(outer.indent.length);
    }
  }
  const first = indents[0];
  if (!first) return null;
  const size = first.indent.length / first.depth;
  const unit = first.indent.slice(0, size);
  return Number.isInteger(size) && size > 0 && unit.repeat(first.depth) === first.indent ? unit : DEFAULT_JSON_STYLE.indent;
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/** A string literal as the file's writer would have written it. Lone surrogates are always
 * escaped: written raw they would make the file invalid UTF-8. */
export function renderJsonString(value: string, style: JsonStyle): string {
  const hex = (code: number): string => {
    const digits = code.toString(16).padStart(4, '0');
    return `\\u${style.upperHex ? digits.toUpperCase() : digits}`;
  };
  let out = '"';
  let runStart = 0;
  for (let k = 0; k < value.length; k++) {
    const code = value.charCodeAt(k);
    let escaped: string;
    let width = 1;
    if (code < 0x20 || code === 0x22 || code === 0x5c) escaped = SHORT_ESCAPES[code] ?? hex(code);
    else if (code === 0x2f && style.escapeSlash) escaped = '\\/';
    else if (code >= 0xd800 && code <= 0xdbff && (value.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      if (!style.ensureAscii) {
        k++;
        continue;
      }
      escaped = hex(code) + hex(value.charCodeAt(k + 1));
      width = 2;
    } else if ((code >= 0xd800 && code <= 0xdfff) || (code >= 0x80 && style.ensureAscii)) escaped = hex(code);
    else continue;
    out += value.slice(runStart, k) + escaped;
    k += width - 1;
    runStart = k + 1;
  }
  return `${out}${value.slice(runStart)}"`;
}

/** A value written in the style, starting on a line indented by `lineIndent`. */
export function renderJsonValue(value: JsonValue, style: JsonStyle, lineIndent: string): string {
  if (typeof value === 'string') return renderJsonString(value, style);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  const entries = Array.isArray(value)
    ? value.map((item) => (inner: string) => renderJsonValue(item, style, inner))
    : Object.keys(value).map((key) => (inner: string) => `${renderJsonString(key, style)}${style.keySeparator}${renderJsonValue(value[key] as JsonValue, style, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  if (style.indent === null) return open + entries.map((entry) => entry(lineIndent)).join(style.itemSeparator) + close;
  const inner = lineIndent + style.indent;
  return `${open}${style.newline}${inner}${entries.map((entry) => entry(inner)).join(`,${style.newline}${inner}`)}${style.newline}${lineIndent}${close}`;
}

/** The indentation of the line `offset` is on. */
export function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let end = lineStart;
  while (end < offset && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end++;
  return text.slice(lineStart, end);
}
