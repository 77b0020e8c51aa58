/**
 * A Qwen-VL dataset file (the guide's Step 5: a JSON list of `{ "id", "conversations": [ { "from",
 * "value" } ] }`) opened for editing without losing anything: saving with no edits returns the
 * text exactly; saving with edits rewrites only the values, members and samples that changed, in
 * the file's own indentation and escaping, keeping order, whitespace and unknown fields.
 */

import type { DatasetProblem } from './datasetProblems';
import { problem } from './datasetProblems';
import type { JsonArrayNode, JsonNode, JsonObjectNode, JsonValue } from './jsonSource';
import { jsonValueOf, memberOf, parseJsonSource } from './jsonSource';
import type { RenderAt } from './jsonSplice';
import { containerJoints, entryIndent, rejoinContainer, spliceMembers } from './jsonSplice';
import type { JsonStyle } from './jsonStyle';
import { DEFAULT_JSON_STYLE, detectJsonStyle, renderJsonString, renderJsonValue } from './jsonStyle';
import type { EditableSample, ShapeIssue, Turn } from './sampleModel';
import { sampleUnchanged, turnUnchanged } from './sampleModel';

export interface DatasetDocument {
  /** The file's text as opened. */
  readonly text: string;
  /** The top-level list, or null when the text is not JSON or not a list. */
  readonly root: JsonArrayNode | null;
  readonly style: JsonStyle;
  readonly samples: readonly EditableSample[];
  /** Problems of the whole file (syntax, byte-order mark, not a list). */
  readonly problems: readonly DatasetProblem[];
}

const SAMPLE_KEYS = ['id', 'conversations', 'reviewed'];
const TURN_KEYS = ['from', 'value'];

/** A JSON kind as a message names it. */
export function describeJsonKind(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'literal':
      return String(node.value);
  }
}

function duplicateKeys(node: JsonObjectNode, keys: readonly string[]): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  for (const key of keys) {
    let seen = 0;
    for (const member of node.members) if (member.key === key && ++seen === 2) issues.push({ code: 'duplicate-key', found: key });
  }
  return issues;
}

function turnFromNode(text: string, node: JsonNode): Turn {
  if (node.kind !== 'object') {
    return { from: '', value: '', origin: { text, node, from: '', value: '', issues: [{ code: 'turn-not-object', found: describeJsonKind(node) }] } };
  }
  const issues = duplicateKeys(node, TURN_KEYS);
  const fromNode = memberOf(node, 'from')?.value;
  const valueNode = memberOf(node, 'value')?.value;
  if (!fromNode) issues.push({ code: 'from-missing' });
  else if (fromNode.kind !== 'string') issues.push({ code: 'from-not-string', found: describeJsonKind(fromNode) });
  if (!valueNode) issues.push({ code: 'value-missing' });
  else if (valueNode.kind !== 'string') issues.push({ code: 'value-not-string', found: describeJsonKind(valueNode) });
  const from = fromNode?.kind === 'string' ? fromNode.value : '';
  const value = valueNode?.kind === 'string' ? valueNode.value : '';
  return { from, value, origin: { text, node, from, value, issues } };
}

/** The sample a list item of `text` holds, with its origin there. */
export function sampleFromNode(text: string, node: JsonNode, index: number): EditableSample {
  if (node.kind !== 'object') {
    const origin = { text, index, node, id: undefined, turns: [], reviewed: false, issues: [{ code: 'sample-not-object' as const, found: describeJsonKind(node) }] };
    return { id: undefined, turns: origin.turns, reviewed: false, origin };
  }
  const issues = duplicateKeys(node, SAMPLE_KEYS);
  const idNode = memberOf(node, 'id')?.value;
  const id = idNode ? jsonValueOf(idNode) : undefined;
  const reviewedNode = memberOf(node, 'reviewed')?.value;
  const reviewed = reviewedNode?.kind === 'literal' && reviewedNode.value === true;
  const conversations = memberOf(node, 'conversations')?.value;
  let turns: Turn[] = [];
  if (!conversations) issues.push({ code: 'conversations-missing' });
  else if (conversations.kind !== 'array') issues.push({ code: 'conversations-not-list', found: describeJsonKind(conversations) });
  else turns = conversations.items.map((item) => turnFromNode(text, item));
  return { id, turns, reviewed, origin: { text, index, node, id, turns, reviewed, issues } };
}

interface ReadResult {
  root: JsonArrayNode | null;
  style: JsonStyle;
  problems: DatasetProblem[];
  count: number;
}

function readDataset(text: string, onSample: ((sample: EditableSample, index: number) => void) | null): ReadResult {
  const problems: DatasetProblem[] = [];
  const file = { sample: null, id: null, turn: null };
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) {
    problems.push(problem('file-bom', { ...file, offset: 0, length: 1 }, "The file starts with a UTF-8 byte-order mark: Python's json.load fails on it (\"Unexpected UTF-8 BOM\"). Save it as UTF-8 without BOM."));
  }
  let count = 0;
  const parsed = parseJsonSource(text, {
    start: bom ? 1 : 0,
    ...(onSample && {
      onListItem: (node: JsonNode, index: number) => {
        count++;
        onSample(sampleFromNode(text, node, index), index);
      },
    }),
  });
  if (!parsed.ok) {
    const { offset, line, column, message } = parsed.error;
    problems.push(problem('json-syntax', { ...file, offset }, `Not valid JSON at line ${line}, column ${column}: ${message}.`, { line, column, reason: message }));
    return { root: null, style: DEFAULT_JSON_STYLE, problems, count: 0 };
  }
  const style = detectJsonStyle(text, parsed.root, parsed.habits);
  if (parsed.root.kind !== 'array') {
    const inner = parsed.root.kind === 'object' ? parsed.root.members.find((member) => member.value.kind === 'array') : undefined;
    const hint = inner ? ` (the list under "${inner.key}" may be what you meant to give)` : '';
    problems.push(
      problem('json-not-list', { ...file, offset: parsed.root.start }, `The top level is ${describeJsonKind(parsed.root)}, but finetune.py needs a list of samples: [ { "id": …, "conversations": [ … ] }, … ]${hint}.`, {
        found: describeJsonKind(parsed.root),
      }),
    );
    return { root: null, style, problems, count: 0 };
  }
  count = onSample ? count : parsed.root.items.length;
  if (count === 0) problems.push(problem('dataset-empty', { ...file, offset: parsed.root.start }, 'The list has no samples.'));
  return { root: parsed.root, style, problems, count };
}

/** Opens a dataset file's text for editing. Never throws: what cannot be read becomes a problem. */
export function openDataset(text: string): DatasetDocument {
  const { root, style, problems } = readDataset(text, null);
  const samples = root ? root.items.map((node, index) => sampleFromNode(text, node, index)) : [];
  return { text, root, style, samples, problems };
}

/** What openDataset found, small enough to send between threads: the list's span and each
 * item's (start, end) pairs in `items`, instead of the nodes. */
export interface DatasetOutline {
  root: { start: number; end: number } | null;
  items: Int32Array;
  style: JsonStyle;
  problems: readonly DatasetProblem[];
}

export function outlineOf(document: DatasetDocument): DatasetOutline {
  const items = new Int32Array((document.root?.items.length ?? 0) * 2);
  document.root?.items.forEach((node, k) => {
    items[2 * k] = node.start;
    items[2 * k + 1] = node.end;
  });
  return { root: document.root && { start: document.root.start, end: document.root.end }, items, style: document.style, problems: document.problems };
}

/**
 * The document openDataset gives for `text`, rebuilt from its outline by parsing each item where
 * it stands (a thread that got the outline from another needs no second whole parse to stay
 * responsive): yields after every `perStep` items so the caller can let other work run.
 */
export function* reopenDataset(text: string, outline: DatasetOutline, perStep: number): Generator<void, DatasetDocument> {
  const { style, problems } = outline;
  if (!outline.root) return { text, root: null, style, samples: [], problems };
  const nodes: JsonNode[] = [];
  const samples: EditableSample[] = [];
  for (let k = 0; 2 * k < outline.items.length; k++) {
    const parsed = parseJsonSource(text, { start: outline.items[2 * k], end: outline.items[2 * k + 1] });
    if (!parsed.ok) throw new Error(`item ${k} of the outline does not parse: ${parsed.error.message}`);
    nodes.push(parsed.root);
    samples.push(sampleFromNode(text, parsed.root, k));
    if ((k + 1) % perStep === 0) yield;
  }
  return { text, root: { kind: 'array', ...outline.root, items: nodes }, style, samples, problems };
}

/**
 * Reads a dataset one sample at a time, keeping none: for checking files too big to hold as a
 * document. `readable` is false when the text is not a JSON list; samples before a syntax error
 * have been passed to `onSample` by then, and what was made of them should be dropped, as
 * finetune.py reads nothing of such a file.
 */
export function scanDataset(text: string, onSample: (sample: EditableSample, index: number) => void): { readable: boolean; samples: number; problems: DatasetProblem[] } {
  const { root, problems, count } = readDataset(text, onSample);
  return { readable: root !== null, samples: count, problems };
}

function freshSampleValue(sample: EditableSample): JsonValue {
  const value: { [key: string]: JsonValue } = {};
  if (sample.id !== undefined) value.id = sample.id;
  value.conversations = sample.turns.map((turn) => ({ from: turn.from, value: turn.value }));
  if (sample.reviewed) value.reviewed = true;
  return value;
}

function turnEntry(text: string, turn: Turn, style: JsonStyle, indent: string): string {
  const origin = turn.origin?.text === text ? turn.origin : undefined;
  if (origin && turnUnchanged(turn)) return text.slice(origin.node.start, origin.node.end);
  if (origin?.node.kind !== 'object') return renderJsonValue({ from: turn.from, value: turn.value }, style, indent);
  const changes = new Map<string, RenderAt>();
  if (turn.from !== origin.from) changes.set('from', () => renderJsonString(turn.from, style));
  if (turn.value !== origin.value) changes.set('value', () => renderJsonString(turn.value, style));
  return spliceMembers(text, origin.node, changes, style);
}

function conversationsAt(text: string, sample: EditableSample, node: JsonObjectNode, style: JsonStyle): RenderAt {
  const list = memberOf(node, 'conversations')?.value;
  if (list?.kind === 'array') {
    const indent = entryIndent(text, list, style);
    return () => rejoinContainer(text, list, sample.turns.map((turn) => turnEntry(text, turn, style, indent)), style);
  }
  return (lineIndent) => renderJsonValue(sample.turns.map((turn) => ({ from: turn.from, value: turn.value })), style, lineIndent);
}

/** The sample's entry in the list of `text` as saving writes it (`indent`: its line's, for a new
 * sample): its original text when unedited, spliced when edited, rendered in `style` when new. */
export function sampleEntry(text: string, sample: EditableSample, style: JsonStyle, indent: string): string {
  const origin = sample.origin?.text === text ? sample.origin : undefined;
  if (origin && sampleUnchanged(sample)) return text.slice(origin.node.start, origin.node.end);
  if (origin?.node.kind !== 'object') return renderJsonValue(freshSampleValue(sample), style, indent);
  const node = origin.node;
  const changes = new Map<string, RenderAt | null>();
  if (sample.id !== origin.id) {
    const id = sample.id;
    changes.set('id', id === undefined ? null : (lineIndent) => renderJsonValue(id, style, lineIndent));
  }
  if (sample.reviewed !== origin.reviewed && (sample.reviewed || memberOf(node, 'reviewed'))) changes.set('reviewed', () => String(sample.reviewed));
  if (sample.turns !== origin.turns) changes.set('conversations', conversationsAt(text, sample, node, style));
  return spliceMembers(text, node, changes, style);
}

/**
 * The file's text with `samples` (the opened ones, edited, reordered, added or removed). An
 * unedited sample is copied as it was; an edited one is spliced member by member.
 */
export function saveDataset(document: DatasetDocument, samples: readonly EditableSample[]): string {
  let text = '';
  for (const piece of savedPieces(document, samples, Infinity)) text += piece;
  return text;
}

/** saveDataset's text in pieces, in order, each holding at most `perStep` samples' entries: a
 * caller can let other work run between pieces, and send each one on as it comes. */
export function* savedPieces(document: DatasetDocument, samples: readonly EditableSample[], perStep: number): Generator<string, void> {
  const { text, root, style } = document;
  if (!root) {
    yield renderJsonValue(samples.map(freshSampleValue), style, '') + style.newline;
    return;
  }
  const indent = entryIndent(text, root, style);
  const joints = containerJoints(text, root, samples.length, style);
  let piece = text.slice(0, root.start) + joints.open;
  for (let k = 0; k < samples.length; k++) {
    if (k > 0) piece += joints.before(k);
    piece += sampleEntry(text, samples[k] as EditableSample, style, indent);
    if ((k + 1) % perStep === 0) {
      yield piece;
      piece = '';
    }
  }
  yield piece + joints.close + text.slice(root.end);
}
