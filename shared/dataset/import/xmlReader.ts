/**
 * A small, strict XML reader: enough for annotation files (Pascal VOC), written because shared/
 * has no DOMParser. Elements, attributes, text, CDATA, comments, processing instructions, a
 * DOCTYPE (skipped), the five predefined entities and numeric references, and a leading BOM.
 * Anything not well-formed throws an XmlSyntaxError with its line and column. Iterative, so a
 * hostile nesting depth cannot overflow the stack.
 */

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The text and CDATA directly inside the element, entities decoded, in document order. */
  text: string;
  /** 1-based line of the start tag, for messages. */
  line: number;
}

export class XmlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'XmlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;

class XmlCursor {
  pos = 0;
  private lineStart = 0;
  private lineNumber = 1;
  private countedTo = 0;

  constructor(readonly src: string) {}

  /** Line and column of `index`; indexes only ever grow while reading, so counting is linear. */
  locate(index: number): { line: number; column: number } {
    if (index < this.countedTo) {
      this.countedTo = 0;
      this.lineNumber = 1;
      this.lineStart = 0;
    }
    for (let k = this.countedTo; k < index; k++) {
      if (this.src.charCodeAt(k) === 10) {
        this.lineNumber++;
        this.lineStart = k + 1;
      }
    }
    this.countedTo = index;
    return { line: this.lineNumber, column: index - this.lineStart + 1 };
  }

  fail(message: string, at = this.pos): never {
    const { line, column } = this.locate(Math.min(at, this.src.length));
    throw new XmlSyntaxError(message, line, column);
  }

  at(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  skipSpace(): boolean {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    const moved = SPACE.lastIndex > this.pos;
    this.pos = SPACE.lastIndex;
    return moved;
  }

  readName(what: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) this.fail(`expected ${what}`);
    this.pos += match[0].length;
    return match[0];
  }

  expect(text: string, what: string): void {
    if (!this.at(text)) this.fail(`expected ${what}`);
    this.pos += text.length;
  }

  /** Skips past `terminator` and returns what came before it. */
  readUntil(terminator: string, what: string): string {
    const end = this.src.indexOf(terminator, this.pos);
    if (end < 0) this.fail(`${what} is never closed (no ${terminator})`);
    const body = this.src.slice(this.pos, end);
    this.pos = end + terminator.length;
    return body;
  }
}

function decodeCodePoint(cursor: XmlCursor, reference: string, at: number): string {
  const code = reference[1] === 'x' ? Number.parseInt(reference.slice(2), 16) : Number.parseInt(reference.slice(1), 10);
  const valid = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(reference) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  if (!valid) cursor.fail(`&${reference}; is not a valid character reference`, at);
  return String.fromCodePoint(code);
}

function decodeEntities(cursor: XmlCursor, raw: string, offset: number): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    out += raw.slice(from, amp);
    const semi = raw.indexOf(';', amp);
    const reference = semi < 0 ? '' : raw.slice(amp + 1, semi);
    if (semi < 0 || !/^#?[A-Za-z0-9]+$/.test(reference)) cursor.fail('a bare & must be written &amp;', offset + amp);
    if (reference.startsWith('#')) out += decodeCodePoint(cursor, reference, offset + amp);
    else {
      const named = PREDEFINED_ENTITIES[reference];
      if (named === undefined) cursor.fail(`unknown entity &${reference}; (XML defines only &lt; &gt; &amp; &quot; &apos; and numeric references)`, offset + amp);
      out += named;
    }
    from = semi + 1;
  }
  return out + raw.slice(from);
}

function skipDoctype(cursor: XmlCursor): void {
  const start = cursor.pos;
  let depth = 0;
  while (!cursor.atEnd()) {
    const char = cursor.src[cursor.pos];
    if (char === '"' || char === "'") {
      cursor.pos++;
      cursor.readUntil(char, 'a quoted DOCTYPE value');
      continue;
    }
    cursor.pos++;
    if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === '>' && depth === 0) return;
  }
  cursor.fail('the DOCTYPE is never closed', start);
}

/** Comments, processing instructions and whitespace (and, before the root, a DOCTYPE). */
function skipMisc(cursor: XmlCursor, beforeRoot: boolean): void {
  for (;;) {
    cursor.skipSpace();
    if (cursor.at('<?')) cursor.readUntil('?>', 'a processing instruction');
    else if (cursor.at('<!--')) cursor.readUntil('-->', 'a comment');
    else if (beforeRoot && cursor.at('<!DOCTYPE')) skipDoctype(cursor);
    else return;
  }
}

function readStartTag(cursor: XmlCursor): { element: XmlElement; selfClosing: boolean } {
  const start = cursor.pos;
  cursor.pos++;
  const name = cursor.readName('an element name after <');
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  const element: XmlElement = { name, attributes, children: [], text: '', line: cursor.locate(start).line };
  for (;;) {
    const spaced = cursor.skipSpace();
    if (cursor.at('/>')) {
      cursor.pos += 2;
      return { element, selfClosing: true };
    }
    if (cursor.at('>')) {
      cursor.pos++;
      return { element, selfClosing: false };
    }
    if (cursor.atEnd()) cursor.fail(`the start tag <${name} is never closed`, start);
    if (!spaced) cursor.fail(`expected whitespace, > or /> in the start tag <${name}`);
    const attribute = cursor.readName('an attribute name');
    cursor.skipSpace();
    cursor.expect('=', `= after the attribute ${attribute}`);
    cursor.skipSpace();
    const quote = cursor.src[cursor.pos];
    if (quote !== '"' && quote !== "'") cursor.fail(`the value of ${attribute} must be quoted`);
    cursor.pos++;
    const valueStart = cursor.pos;
    const raw = cursor.readUntil(quote, `the value of ${attribute}`);
    if (raw.includes('<')) cursor.fail(`the value of ${attribute} contains <`, valueStart + raw.indexOf('<'));
    if (attribute in attributes) cursor.fail(`the attribute ${attribute} appears twice in <${name}>`);
    attributes[attribute] = decodeEntities(cursor, raw, valueStart);
  }
}

export function parseXml(source: string): XmlElement {
  const cursor = new XmlCursor(source.startsWith('\uFEFF') ? source.slice(1) : source);
  skipMisc(cursor, true);
  if (!cursor.at('<') || cursor.at('<!')) cursor.fail(cursor.atEnd() ? 'the document has no root element' : 'expected the root element');
  const { element: root, selfClosing } = readStartTag(cursor);
  const open: XmlElement[] = selfClosing ? [] : [root];
  while (open.length) {
    const current = open[open.length - 1] as XmlElement;
    if (cursor.atEnd()) cursor.fail(`<${current.name}> (line ${current.line}) is never closed`);
    if (cursor.at('</')) {
      const start = cursor.pos;
      cursor.pos += 2;
      const name = cursor.readName('an element name after </');
      cursor.skipSpace();
      cursor.expect('>', `> to end </${name}`);
      if (name !== current.name) cursor.fail(`</${name}> does not close <${current.name}> (line ${current.line})`, start);
      open.pop();
    } else if (cursor.at('<!--')) {
      cursor.readUntil('-->', 'a comment');
    } else if (cursor.at('<![CDATA[')) {
      cursor.pos += '<![CDATA['.length;
      current.text += cursor.readUntil(']]>', 'a CDATA section');
    } else if (cursor.at('<?')) {
      cursor.readUntil('?>', 'a processing instruction');
    } else if (cursor.at('<!')) {
      cursor.fail('unexpected <! inside an element');
    } else if (cursor.at('<')) {
      const child = readStartTag(cursor);
      current.children.push(child.element);
      if (!child.selfClosing) open.push(child.element);
    } else {
      const end = cursor.src.indexOf('<', cursor.pos);
      const stop = end < 0 ? cursor.src.length : end;
      current.text += decodeEntities(cursor, cursor.src.slice(cursor.pos, stop), cursor.pos);
      cursor.pos = stop;
    }
  }
  skipMisc(cursor, false);
  if (!cursor.atEnd()) cursor.fail('content after the root element');
  return root;
}

export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The trimmed text of the first child called `name`, or undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  const child = childElement(element, name);
  return child === undefined ? undefined : child.text.trim();
}
