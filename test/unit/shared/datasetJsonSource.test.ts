// The span-keeping JSON reader: same values as JSON.parse, exact spans, and syntax errors that
// say where (line and column, as Python counts them) and what.

import { describe, expect, it } from 'vitest';
import type { JsonNode } from '../../../shared/dataset/jsonSource';
import { MAX_JSON_DEPTH, jsonValueOf, lineAndColumn, parseJsonSource } from '../../../shared/dataset/jsonSource';
import { DEFAULT_JSON_STYLE, renderJsonString } from '../../../shared/dataset/jsonStyle';
import { generateDataset, seeded } from './datasetSupport';

function root(text: string): JsonNode {
  const parsed = parseJsonSource(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.root;
}

function error(text: string) {
  const parsed = parseJsonSource(text);
  if (parsed.ok) throw new Error(`parsed: ${text}`);
  return parsed.error;
}

describe('values and spans', () => {
  it('reads what JSON.parse reads, for generated files in many styles (property, seeded)', () => {
    const random = seeded(17);
    for (let run = 0; run < 200; run++) {
      const { text } = generateDataset(random, 3);
      expect(jsonValueOf(root(text))).toEqual(JSON.parse(text));
    }
  });

  it('keeps the span of every node, keys included', () => {
    const text = ' {"a" : [1, -2.5e3, true, null, "x\\"y"], "b":{}} ';
    const node = root(text);
    if (node.kind !== 'object') throw new Error('object');
    expect([node.start, node.end]).toEqual([1, text.length - 1]);
    const [a, b] = node.members;
    expect(text.slice(a?.keyStart, a?.keyEnd)).toBe('"a"');
    expect(a?.value.kind === 'array' && a.value.items.map((item) => text.slice(item.start, item.end))).toEqual(['1', '-2.5e3', 'true', 'null', '"x\\"y"']);
    expect(text.slice(b?.value.start, b?.value.end)).toBe('{}');
  });

  it('decodes every escape, surrogate pairs and lone surrogates as Python does', () => {
    const node = root('"\\u4e2d\\/\\b\\f\\n\\r\\t\\\\\\"\\ud83d\\ude00\\udce9"');
    expect(node.kind === 'string' && node.value).toBe('中/\b\f\n\r\t\\"😀\udce9');
  });

  it('keeps the last of duplicate keys, and a key named __proto__ as data', () => {
    expect(jsonValueOf(root('{"a": 1, "a": 2, "__proto__": {"x": 1}}'))).toEqual(JSON.parse('{"a": 2, "__proto__": {"x": 1}}'));
  });

  it('counts columns in characters, as Python does, so an emoji is one', () => {
    expect(lineAndColumn('ab\n😀x', 6)).toEqual({ line: 2, column: 3 });
    expect(lineAndColumn('\r\nx', 2)).toEqual({ line: 2, column: 1 });
  });
});

describe('syntax errors', () => {
  it.each([
    ['[1, 2,]', 1, 6, "a comma before ']'"],
    ['{"a": 1,}', 1, 8, "a comma before '}'"],
    ['[\n  {"a": 1}\n  {"b": 2}\n]', 3, 3, "expected ',' or ']' after a list item, found '{'"],
    ['[{"a" 1}]', 1, 7, 'expected \':\' after the property name "a"'],
    ["[{'a': 1}]", 1, 3, 'property names need double quotes'],
    ["['a']", 1, 2, 'JSON strings need double quotes'],
    ['[{a: 1}]', 1, 3, "expected a property name in double quotes, found 'a'"],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['["abc', 1, 2, 'a string that never ends'],
    ['["a\nb"]', 1, 4, 'a raw control character (U+000A) inside a string: write it as \\n'],
    ['["\\x"]', 1, 3, "an invalid escape '\\x'"],
    ['["\\u12G4"]', 1, 3, 'an invalid \\u escape'],
    ['[NaN]', 1, 2, 'NaN and Infinity are not JSON numbers'],
    ['[-Infinity]', 1, 2, 'NaN and Infinity are not JSON numbers'],
    ['[01]', 1, 3, "expected ',' or ']'"],
    ['[1.]', 1, 4, 'expected a digit after the decimal point'],
    ['[1e]', 1, 4, 'expected a digit in the exponent'],
    ['[tru]', 1, 2, "expected a value, found 't'"],
    ['', 1, 1, 'the file holds no JSON value'],
    ['[{"a": 1}]\n[{"b": 2}]', 2, 1, 'JSON Lines'],
    ['{"id": 1}\n{"id": 2}\n', 2, 1, 'JSON Lines'],
    ['[\n  {"id": "x"}', 2, 14, "the file ends inside the list that opens at line 1, column 1 (a missing ']'?)"],
    ['[{"id": ', 1, 9, 'the file ends inside the object that opens at line 1, column 2'],
    ['[/* comment */]', 1, 2, "expected a value, found '/'"],
  ])('%j → line %i, column %i: %s', (text, line, column, message) => {
    const found = error(text);
    expect(found).toMatchObject({ line, column });
    expect(found.message).toContain(message);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    expect(error(deep).message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(parseJsonSource('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(error('['.repeat(100_000)).message).toContain('nested deeper');
  });
});

describe('writing strings', () => {
  it('escapes as JSON.stringify does in the default style, lone surrogates included', () => {
    const random = seeded(19);
    for (let run = 0; run < 500; run++) {
      let value = '';
      for (let k = Math.floor(random() * 12); k > 0; k--) value += String.fromCharCode(Math.floor(random() * (random() < 0.5 ? 0x80 : 0x10000)));
      expect(renderJsonString(value, DEFAULT_JSON_STYLE)).toBe(JSON.stringify(value));
    }
  });

  it('escapes like Python\'s ensure_ascii, with \\/ and capital hex when the file does', () => {
    expect(renderJsonString('中/😀é', { ...DEFAULT_JSON_STYLE, ensureAscii: true })).toBe('"\\u4e2d/\\ud83d\\ude00\\u00e9"');
    expect(renderJsonString('中/', { ...DEFAULT_JSON_STYLE, ensureAscii: true, escapeSlash: true, upperHex: true })).toBe('"\\u4E2D\\/"');
  });
});
