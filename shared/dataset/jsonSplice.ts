/**
 * Edits of a JSON text that leave everything else as it was: a container is rebuilt from its
 * own brackets, whitespace and separators around the new entries, and an object keeps each
 * untouched member's text exactly.
 */

import type { JsonArrayNode, JsonObjectNode } from './jsonSource';
import { memberOf } from './jsonSource';
import type { JsonStyle } from './jsonStyle';
import { lineIndentAt, renderJsonString } from './jsonStyle';

type Container = JsonArrayNode | JsonObjectNode;

/** Writes a value given the indentation of the line it starts on. */
export type RenderAt = (lineIndent: string) => string;

function entrySpans(node: Container): Array<{ start: number; end: number }> {
  return node.kind === 'array' ? node.items.map(({ start, end }) => ({ start, end })) : node.members.map((member) => ({ start: member.keyStart, end: member.value.end }));
}

/** The indentation new entries of `node` get: that of its first entry, or one level deeper than
 * the line the container opens on. */
export function entryIndent(text: string, node: Container, style: JsonStyle): string {
  const first = node.kind === 'array' ? node.items[0]?.start : node.members[0]?.keyStart;
  return first !== undefined ? lineIndentAt(text, first) : lineIndentAt(text, node.start) + (style.indent ?? '');
}

/** What rejoinContainer writes around `count` entries of `node`: before the first, between entry
 * k - 1 and entry k (`before(k)`, k ≥ 1), and after the last. */
export interface ContainerJoints {
  open: string;
  before(k: number): string;
  close: string;
}

export function containerJoints(text: string, node: Container, count: number, style: JsonStyle): ContainerJoints {
  const [openBracket, closeBracket] = node.kind === 'array' ? ['[', ']'] : ['{', '}'];
  const spans = entrySpans(node);
  if (count === 0) return { open: spans.length === 0 ? text.slice(node.start, node.end) : openBracket + closeBracket, before: () => '', close: '' };
  const first = spans[0];
  const last = spans[spans.length - 1];
  let open: string;
  let close: string;
  const separators: string[] = [];
  if (!first || !last) {
    const lineIndent = lineIndentAt(text, node.start);
    if (style.indent === null) {
      open = openBracket;
      close = closeBracket;
      separators.push(style.itemSeparator);
    } else {
      const inner = lineIndent + style.indent;
      open = `${openBracket}${style.newline}${inner}`;
      close = `${style.newline}${lineIndent}${closeBracket}`;
      separators.push(`,${style.newline}${inner}`);
    }
  } else {
    open = text.slice(node.start, first.start);
    close = text.slice(last.end, node.end);
    for (let k = 1; k < spans.length; k++) separators.push(text.slice(spans[k - 1]?.end, spans[k]?.start));
    // A single entry had no separator to copy: the gap after the bracket says how entries are laid out.
    if (separators.length === 0) separators.push(open.length > 1 && open.includes('\n') ? `,${open.slice(1)}` : style.itemSeparator);
  }
  const fallback = separators[separators.length - 1] ?? style.itemSeparator;
  return { open, before: (k) => separators[k - 1] ?? fallback, close };
}

/** The container's text with `entries` (full entry texts) in place of its own. */
export function rejoinContainer(text: string, node: Container, entries: readonly string[], style: JsonStyle): string {
  const joints = containerJoints(text, node, entries.length, style);
  let out = joints.open;
  entries.forEach((entry, k) => {
    if (k > 0) out += joints.before(k);
    out += entry;
  });
  return out + joints.close;
}

/**
 * The object's text with members set (a RenderAt), removed (null) or left alone (absent from
 * `changes`). Setting a key the object lacks appends it; with duplicate keys the last one, the
 * one readers see, is the one set.
 */
export function spliceMembers(text: string, node: JsonObjectNode, changes: ReadonlyMap<string, RenderAt | null>, style: JsonStyle): string {
  if (changes.size === 0) return text.slice(node.start, node.end);
  const entries: string[] = [];
  const effective = new Set([...changes.keys()].map((key) => memberOf(node, key)).filter((member) => member !== undefined));
  for (const member of node.members) {
    const change = effective.has(member) ? changes.get(member.key) : undefined;
    if (change === undefined) entries.push(text.slice(member.keyStart, member.value.end));
    else if (change !== null) entries.push(text.slice(member.keyStart, member.value.start) + change(lineIndentAt(text, member.keyStart)));
  }
  const indent = entryIndent(text, node, style);
  for (const [key, change] of changes) {
    if (change !== null && !memberOf(node, key)) entries.push(renderJsonString(key, style) + style.keySeparator + change(indent));
  }
  return rejoinContainer(text, node, entries, style);
}
