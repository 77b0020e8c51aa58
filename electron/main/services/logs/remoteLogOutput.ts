// Splits what remoteLogCommand prints into its header, the file's bytes and tail's notices.
//
// File bytes are handed on only up to the last line break seen, so the parser is fed whole lines
// and the offset read so far is always a line start — except around a notice that interrupted a
// line (tail flushes the file's bytes before it), and for a "line" longer than MAX_HELD (binary
// data), which is handed on as it is so that memory stays bounded. Both are still exact: the bytes
// handed on are exactly the file's, and a resumed read starts at the first byte not handed on.

/** A notice is one line that starts with this. */
const NOTICE_START = Buffer.from('tail: ');
const LF = 0x0a;
/** Bytes without a line break that are held back before they are handed on anyway. */
export const MAX_HELD = 1 << 20;
/** Longer text is not a notice of tail's. */
const MAX_NOTICE = 4096;
/** Lines a login script may print before the header (an echo in ~/.bashrc). */
const MAX_PREAMBLE = 64 * 1024;

export type NoticeKind = 'missing' | 'appeared' | 'gone' | 'truncated' | 'replaced' | 'unreadable' | 'info';

export interface Notice {
  kind: NoticeKind;
  text: string;
}

export type OutputItem =
  | { type: 'header'; size: number | null }
  | { type: 'no-tail' }
  | { type: 'bad-header'; text: string }
  | { type: 'data'; bytes: Buffer }
  | { type: 'notice'; notice: Notice };

/** GNU tail's notices (coreutils 8.22 to 9.x, LC_ALL=C); `named` ones must name our file. */
const NOTICES: readonly { pattern: RegExp; kind: NoticeKind; named: boolean }[] = [
  { pattern: /^tail: cannot open .+ for reading: No such file or directory$/, kind: 'missing', named: true },
  { pattern: /^tail: cannot open .+ for reading: .+$/, kind: 'unreadable', named: true },
  { pattern: /^tail: .+ has appeared;\s+following (?:end of )?new file$/, kind: 'appeared', named: true },
  { pattern: /^tail: .+ has become inaccessible: .+$/, kind: 'gone', named: true },
  { pattern: /^tail: .+: file truncated$/, kind: 'truncated', named: true },
  { pattern: /^tail: .+ has been replaced;\s+following (?:end of )?new file$/, kind: 'replaced', named: true },
  { pattern: /^tail: .+ giving up on this name$/, kind: 'unreadable', named: true },
  { pattern: /^tail: error reading .+: .+$/, kind: 'unreadable', named: true },
  { pattern: /^tail: no files remaining$/, kind: 'unreadable', named: false },
  { pattern: /^tail: inotify (?:cannot be used, reverting to polling|resources exhausted)$/, kind: 'info', named: false },
  { pattern: /^tail: (?:cannot watch .+|directory containing watched file was removed)$/, kind: 'info', named: false },
];

/** The notice a line is, if any. tail prints the path quoted or with $HOME expanded, so the file's
 * base name is what is looked for: a log line that happens to look like a notice about another file
 * stays a log line. */
export function classifyNotice(text: string, path: string): Notice | null {
  const name = path.slice(path.lastIndexOf('/') + 1) || path;
  for (const { pattern, kind, named } of NOTICES) {
    if (pattern.test(text) && (!named || text.includes(name))) return { kind, text };
  }
  return null;
}

export class RemoteLogOutput {
  private held: Buffer = Buffer.alloc(0);
  private headerSeen = false;
  private preamble = 0;

  constructor(private readonly path: string) {}

  push(chunk: Buffer): OutputItem[] {
    const items: OutputItem[] = [];
    let buf = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    if (!this.headerSeen) {
      const rest = this.readHeader(buf, items);
      if (rest === null) return items;
      buf = rest;
    }
    const lastBreak = buf.lastIndexOf(LF);
    if (lastBreak < 0) {
      if (buf.length > MAX_HELD) {
        items.push({ type: 'data', bytes: buf });
        this.held = Buffer.alloc(0);
      } else this.held = Buffer.from(buf);
      return items;
    }
    // A copy: a subarray would keep the whole chunk alive.
    this.held = Buffer.from(buf.subarray(lastBreak + 1));
    let from = 0;
    for (let hit = buf.indexOf(NOTICE_START, 0); hit >= 0 && hit < lastBreak; hit = buf.indexOf(NOTICE_START, hit + 1)) {
      const end = buf.indexOf(LF, hit);
      const notice = end - hit <= MAX_NOTICE ? classifyNotice(buf.toString('utf8', hit, end), this.path) : null;
      if (!notice) continue;
      if (hit > from) items.push({ type: 'data', bytes: buf.subarray(from, hit) });
      items.push({ type: 'notice', notice });
      from = end + 1;
      hit = end;
    }
    if (lastBreak + 1 > from) items.push({ type: 'data', bytes: buf.subarray(from, lastBreak + 1) });
    return items;
  }

  /** What is held back at the end of a read that ended: the file's last line, without its break. */
  rest(): Buffer {
    const rest = this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }

  /** Parses the header off `buf`; returns the bytes after it, or null while it is incomplete. */
  private readHeader(buf: Buffer, items: OutputItem[]): Buffer | null {
    let start = 0;
    for (;;) {
      const end = buf.indexOf(LF, start);
      if (end < 0) {
        this.held = Buffer.from(buf.subarray(start));
        if (this.preamble + this.held.length > MAX_PREAMBLE) this.fail(items, this.held.toString('utf8', 0, 200));
        return null;
      }
      const line = buf.toString('utf8', start, end).trim();
      const size = /^qvl-log-size (-?\d+)$/.exec(line);
      if (size || line === 'qvl-log-no-gnu-tail') {
        this.headerSeen = true;
        this.held = Buffer.alloc(0);
        const value = Number(size?.[1] ?? -1);
        items.push(size ? { type: 'header', size: value >= 0 ? value : null } : { type: 'no-tail' });
        return buf.subarray(end + 1);
      }
      this.preamble += end + 1 - start;
      if (this.preamble > MAX_PREAMBLE) {
        this.fail(items, line.slice(0, 200));
        return null;
      }
      start = end + 1;
    }
  }

  private fail(items: OutputItem[], text: string): void {
    this.headerSeen = true;
    this.held = Buffer.alloc(0);
    items.push({ type: 'bad-header', text });
  }
}
