/**
 * A JSON reader that remembers where everything is. JSON.parse loses the source positions the
 * lossless save needs (splicing one `value` without touching the rest of the file) and gives
 * syntax errors that differ between engines and say little; this one keeps the span of every
 * node and reports the first error with a plain-English reason at an exact offset.
 *
 * It accepts exactly RFC 8259 JSON, which is also what Python's json.load accepts apart from
 * NaN/Infinity; a file this rejects is one Qwen-VL's finetune.py rejects too.
 */

export interface JsonSpan {
  /** Offset of the node's first character in the text (UTF-16 index). */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

export interface JsonObjectNode extends JsonSpan {
  kind: 'object';
  members: JsonMember[];
}

export interface JsonMember {
  key: string;
  /** Span of the key's string literal, quotes included. */
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonArrayNode extends JsonSpan {
  kind: 'array';
  items: JsonNode[];
}

export interface JsonStringNode extends JsonSpan {
  kind: 'string';
  value: string;
}

export interface JsonNumberNode extends JsonSpan {
  kind: 'number';
  value: number;
}

export interface JsonLiteralNode extends JsonSpan {
  kind: 'literal';
  value: boolean | null;
}

export type JsonNode = JsonObjectNode | JsonArrayNode | JsonStringNode | JsonNumberNode | JsonLiteralNode;

/** What the strings of the text show about the writer that produced it (see jsonStyle.ts). */
export interface JsonEscapeHabits {
  /** A `\uXXXX` escape for a character ≥ U+0080 occurs (Python's default ensure_ascii). */
  escapesNonAscii: boolean;
  /** A raw character ≥ U+0080 occurs inside a string. */
  rawNonAscii: boolean;
  /** `\/` occurs (PHP's json_encode, some Java writers). */
  escapesSlash: boolean;
  /** The first `\u` escape with a letter among its hex digits used capitals. */
  upperHex: boolean;
}

export interface JsonSyntaxError {
  offset: number;
  line: number;
  /** 1-based, counted in characters (code points) like Python's JSONDecodeError. */
  column: number;
  message: string;
}

export type JsonParseResult = { ok: true; root: JsonNode; habits: JsonEscapeHabits } | { ok: false; error: JsonSyntaxError };

export interface JsonParseOptions {
  /** Offset to start at (past a byte-order mark, say). */
  start?: number;
  /** Offset the value must end by (default: the end of the text), so one item of a list already
   * parsed elsewhere can be parsed again where it stands, with the offsets of the whole text. */
  end?: number;
  /** Called with each item of a top-level list as soon as it is parsed. With it, the list's
   * items are not kept (root.items stays empty) unless `keepListItems`: a 100,000-sample file
   * can then be checked one sample at a time, each short-lived, which spares the collector. */
  onListItem?: (item: JsonNode, index: number) => void;
  keepListItems?: boolean;
}

/** Deeper nesting is refused rather than risking the call stack (Python stops near 1000 too). */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A run of string characters that need no attention: V8 runs this as native code, far faster
 * than a loop over charCodeAt. */
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
/** Keys every sample and turn repeats, handed out as one string each instead of a fresh copy. */
const COMMON_KEYS = ['"id"', '"conversations"', '"from"', '"value"', '"reviewed"'].map((quoted) => ({ quoted, key: quoted.slice(1, -1) }));

class SyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** 1-based line and column (in code points) of a UTF-16 offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  let column = 1;
  for (let k = lineStart; k < offset; k++) {
    const code = text.charCodeAt(k);
    // The second half of a surrogate pair is the same character as the first.
    if (code >= 0xdc00 && code <= 0xdfff && k > lineStart && (text.charCodeAt(k - 1) & 0xfc00) === 0xd800) continue;
    column++;
  }
  return { line, column };
}

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const code = text.codePointAt(offset) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return `'${String.fromCodePoint(code)}'`;
}

class Scanner {
  private pos: number;
  private depth = 0;
  readonly habits: JsonEscapeHabits = { escapesNonAscii: false, rawNonAscii: false, escapesSlash: false, upperHex: false };
  private hexCaseSeen = false;

  private readonly onListItem: JsonParseOptions['onListItem'];
  private readonly keepListItems: boolean;
  private readonly end: number;

  constructor(
    private readonly text: string,
    options: JsonParseOptions,
  ) {
    this.pos = options.start ?? 0;
    this.end = options.end ?? text.length;
    this.onListItem = options.onListItem;
    this.keepListItems = options.keepListItems ?? !options.onListItem;
  }

  document(): JsonNode {
    this.skipWhitespace();
    if (this.pos >= this.end) throw new SyntaxFailure(this.pos, 'the file holds no JSON value (it is empty or only whitespace)');
    const root = this.value();
    this.skipWhitespace();
    if (this.pos < this.end) {
      throw new SyntaxFailure(this.pos, `more data after the end of the top-level value, starting with ${describeAt(this.text, this.pos)}: the file must hold one JSON list (JSON Lines, one object per line, is not accepted)`);
    }
    return root;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length && isWhitespace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  private value(): JsonNode {
    const text = this.text;
    const code = text.charCodeAt(this.pos);
    if (code === QUOTE) return this.string();
    if (code === 0x7b) return this.object();
    if (code === 0x5b) return this.array();
    if (code === 0x2d || isDigit(code)) return this.number();
    if (text.startsWith('true', this.pos)) return this.literal(4, true);
    if (text.startsWith('false', this.pos)) return this.literal(5, false);
    if (text.startsWith('null', this.pos)) return this.literal(4, null);
    if (code === 0x27) throw new SyntaxFailure(this.pos, "a single quote: JSON strings need double quotes");
    if (text.startsWith('NaN', this.pos) || text.startsWith('Infinity', this.pos)) {
      throw new SyntaxFailure(this.pos, 'NaN and Infinity are not JSON numbers');
    }
    throw new SyntaxFailure(this.pos, `expected a value, found ${describeAt(text, this.pos)}`);
  }

  private literal(length: number, value: boolean | null): JsonLiteralNode {
    const start = this.pos;
    this.pos += length;
    return { kind: 'literal', start, end: this.pos, value };
  }

  private enter(open: number): void {
    if (++this.depth > MAX_JSON_DEPTH) throw new SyntaxFailure(open, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private unclosed(what: string, open: number): SyntaxFailure {
    const { line, column } = lineAndColumn(this.text, open);
    return new SyntaxFailure(this.text.length, `the file ends inside the ${what} that opens at line ${line}, column ${column} (a missing '${what === 'list' ? ']' : '}'}'?)`);
  }

  private array(): JsonArrayNode {
    const start = this.pos;
    this.enter(start);
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.depth--;
      return { kind: 'array', start, end: this.pos, items };
    }
    const top = this.depth === 1;
    for (let index = 0; ; index++) {
      if (this.pos >= this.text.length) throw this.unclosed('list', start);
      const item = this.value();
      if (top && this.onListItem) this.onListItem(item, index);
      if (!top || this.keepListItems) items.push(item);
      this.skipWhitespace();
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x5d) break;
      if (code !== 0x2c) {
        if (this.pos >= this.text.length) throw this.unclosed('list', start);
        throw new SyntaxFailure(this.pos, `expected ',' or ']' after a list item, found ${describeAt(this.text, this.pos)}`);
      }
      const comma = this.pos;
      this.pos++;
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === 0x5d) throw new SyntaxFailure(comma, "a comma before ']': JSON allows no trailing comma");
    }
    this.pos++;
    this.depth--;
    return { kind: 'array', start, end: this.pos, items };
  }

  private object(): JsonObjectNode {
    const start = this.pos;
    this.enter(start);
    this.pos++;
    const members: JsonMember[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.depth--;
      return { kind: 'object', start, end: this.pos, members };
    }
    for (;;) {
      if (this.pos >= this.text.length) throw this.unclosed('object', start);
      const code = this.text.charCodeAt(this.pos);
      if (code !== QUOTE) {
        throw new SyntaxFailure(this.pos, code === 0x27 ? 'a single quote: property names need double quotes' : `expected a property name in double quotes, found ${describeAt(this.text, this.pos)}`);
      }
      const key = this.key();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) {
        if (this.pos >= this.text.length) throw this.unclosed('object', start);
        throw new SyntaxFailure(this.pos, `expected ':' after the property name "${key.value}", found ${describeAt(this.text, this.pos)}`);
      }
      this.pos++;
      this.skipWhitespace();
      if (this.pos >= this.text.length) throw this.unclosed('object', start);
      members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value: this.value() });
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 0x7d) break;
      if (next !== 0x2c) {
        if (this.pos >= this.text.length) throw this.unclosed('object', start);
        throw new SyntaxFailure(this.pos, `expected ',' or '}' after a property, found ${describeAt(this.text, this.pos)}`);
      }
      const comma = this.pos;
      this.pos++;
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === 0x7d) throw new SyntaxFailure(comma, "a comma before '}': JSON allows no trailing comma");
    }
    this.pos++;
    this.depth--;
    return { kind: 'object', start, end: this.pos, members };
  }

  private number(): JsonNumberNode {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    if (text.startsWith('Infinity', pos)) throw new SyntaxFailure(start, 'NaN and Infinity are not JSON numbers');
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (isDigit(text.charCodeAt(pos))) while (isDigit(text.charCodeAt(pos))) pos++;
    else throw new SyntaxFailure(pos, `expected a digit, found ${describeAt(text, pos)}`);
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) throw new SyntaxFailure(pos, `expected a digit after the decimal point, found ${describeAt(text, pos)}`);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) throw new SyntaxFailure(pos, `expected a digit in the exponent, found ${describeAt(text, pos)}`);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    this.pos = pos;
    return { kind: 'number', start, end: pos, value: Number(text.slice(start, pos)) };
  }

  private key(): JsonStringNode {
    const text = this.text;
    const start = this.pos;
    for (const common of COMMON_KEYS) {
      if (text.startsWith(common.quoted, start)) {
        this.pos = start + common.quoted.length;
        return { kind: 'string', start, end: this.pos, value: common.key };
      }
    }
    return this.string();
  }

  private string(): JsonStringNode {
    const text = this.text;
    const start = this.pos;
    let pos = start + 1;
    let runStart = pos;
    let parts: string[] | null = null;
    for (;;) {
      PLAIN_RUN.lastIndex = pos;
      PLAIN_RUN.test(text);
      pos = PLAIN_RUN.lastIndex;
      if (pos >= text.length) throw new SyntaxFailure(start, 'a string that never ends (its closing double quote is missing)');
      const code = text.charCodeAt(pos);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        parts ??= [];
        parts.push(text.slice(runStart, pos));
        pos = this.escape(pos, parts);
        runStart = pos;
        continue;
      }
      const named = code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t' : null;
      throw new SyntaxFailure(pos, `a raw control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}) inside a string${named ? `: write it as ${named}` : ''}`);
    }
    const value = parts ? parts.join('') + text.slice(runStart, pos) : text.slice(runStart, pos);
    this.pos = pos + 1;
    return { kind: 'string', start, end: this.pos, value };
  }

  /** Decodes the escape at `at` (a backslash) into `parts`; returns the offset after it. */
  private escape(at: number, parts: string[]): number {
    const text = this.text;
    const code = text.charCodeAt(at + 1);
    switch (code) {
      case QUOTE:
        parts.push('"');
        return at + 2;
      case BACKSLASH:
        parts.push('\\');
        return at + 2;
      case 0x2f:
        this.habits.escapesSlash = true;
        parts.push('/');
        return at + 2;
      case 0x62:
        parts.push('\b');
        return at + 2;
      case 0x66:
        parts.push('\f');
        return at + 2;
      case 0x6e:
        parts.push('\n');
        return at + 2;
      case 0x72:
        parts.push('\r');
        return at + 2;
      case 0x74:
        parts.push('\t');
        return at + 2;
      case 0x75: {
        let unit = 0;
        for (let k = at + 2; k < at + 6; k++) {
          const digit = hexValue(text.charCodeAt(k));
          if (digit < 0) throw new SyntaxFailure(at, 'an invalid \\u escape: it needs four hex digits');
          unit = unit * 16 + digit;
          const c = text.charCodeAt(k);
          if (!this.hexCaseSeen && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) {
            this.hexCaseSeen = true;
            this.habits.upperHex = c <= 0x46;
          }
        }
        if (unit >= 0x80) this.habits.escapesNonAscii = true;
        parts.push(String.fromCharCode(unit));
        return at + 6;
      }
      default:
        if (at + 1 >= text.length) throw new SyntaxFailure(at, 'a string that never ends (the file ends after a backslash)');
        throw new SyntaxFailure(at, `an invalid escape ${describeAt(text, at + 1).replace(/^'/, "'\\")} inside a string`);
    }
  }
}

/**
 * Parses `text`. Never throws a syntax error: it comes back with its offset, line, column and
 * reason (an exception thrown by `onListItem` does propagate).
 */
export function parseJsonSource(text: string, options: JsonParseOptions = {}): JsonParseResult {
  const scanner = new Scanner(text, options);
  try {
    const root = scanner.document();
    // Outside strings a non-ASCII character is a syntax error, so one look at the whole text
    // tells whether strings hold raw ones.
    scanner.habits.rawNonAscii = /[^\u0000-\u007f]/.test(text.slice(options.start ?? 0, options.end));
    return { ok: true, root, habits: scanner.habits };
  } catch (failure) {
    if (!(failure instanceof SyntaxFailure)) throw failure;
    const { line, column } = lineAndColumn(text, failure.offset);
    return { ok: false, error: { offset: failure.offset, line, column, message: failure.message } };
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The plain value of a node; duplicate keys keep the last, as Python's json does. */
export function jsonValueOf(node: JsonNode): JsonValue {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'literal':
      return node.value;
    case 'array':
      return node.items.map(jsonValueOf);
    case 'object': {
      const value: { [key: string]: JsonValue } = {};
      for (const member of node.members) {
        // defineProperty keeps a key named __proto__ an ordinary own property.
        Object.defineProperty(value, member.key, { value: jsonValueOf(member.value), enumerable: true, writable: true, configurable: true });
      }
      return value;
    }
  }
}

/** The member a reader sees under `key`: the last one, as in Python. */
export function memberOf(node: JsonObjectNode, key: string): JsonMember | undefined {
  for (let k = node.members.length - 1; k >= 0; k--) {
    const member = node.members[k];
    if (member?.key === key) return member;
  }
  return undefined;
}
