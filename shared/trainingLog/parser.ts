// The streaming parser. Only three byte searches run over the whole stream: `{` (or the user's loss
// tag), `\n`, and — lazily — `\r`. Everything else is read only where a line's visible text is:
// after its last `\r`. A raw `> train.log 2>&1` file is mostly tqdm frames that each `\r` overwrites;
// skipping them unread is what makes parsing as fast as grep. Records are parsed in place, failure
// signatures are looked for in the visible text that no record covers, and every decision depends on
// a bounded window that the buffer always keeps, so any chunking gives the same result. A stream can
// also be read in segments by several parsers and joined (see segment.ts): the file reader's two
// threads.

import type { ByteSearch } from './bytes';
import { CR, LBRACE, LF, Literal, SPACE, TAB, lineEndIn, lineStartBefore, matchesAt, portableSearch, skipBlanks } from './bytes';
import { PointColumns, PointFields, SeriesColumn } from './columns';
import type { LengthForecast } from './columns';
import { PROBE_WINDOW, looksBinary } from './contentProbe';
import { classifyDict } from './dictRecord';
import type { DeepSpeedKeys } from './deepspeed';
import { STEP_EQUALS, scanStepLine } from './deepspeed';
import { SIGNATURE_BYTES, classifyLine, cleanLine, dependsOnAccelerator, excerpt, signatureAt } from './failures';
import { MAX_DICT_BYTES, scanFlatDict } from './flatDict';
import type { KeyEntry } from './keys';
import { KeyTable } from './keys';
import type { IterationKeys } from './megatron';
import { ITERATION, MAX_LINE_BYTES, readIterationPrefix, scanIterationFields } from './megatron';
import { NumberSlot, exponentCut, scanNumber } from './numberScan';
import { toPoints } from './points';
import { RankSlot, readRankPrefix } from './rankPrefix';
import { INCOMPLETE, Layout, REJECT, RecordScratch, TRUNCATED } from './record';
import type { PreludeLookup, SegmentResult } from './segment';
import { FROM_LINE, StepAssignment, StepTracker } from './steps';
import { RecordTemplate } from './template';
import { counterAfter, counterBefore, hasProgressBar, lastCounter, lastCounterValue } from './tqdm';
import type { Failure, FailureKind, LogEvidence, LogFormat, LogParserOptions, MetricSeries, OverflowStats, ParsedLog, Point, Resume } from './types';
import { LOG_FORMATS, POINT_KINDS, STEP_SOURCES } from './types';
import { decodeUtf8, encodeUtf8 } from './utf8';

/** Bytes kept before the scan position: more than any look-behind below. */
const LOOKBEHIND = 4096;
/** How far before a record its tqdm frame may be. */
const TQDM_LOOKBEHIND = 2048;
/** How far before a record its line (rank prefix, leading fields) may start. */
const LINE_LOOKBEHIND = 512;
/** A failure line is read at most this far either side of its signature. */
const SEGMENT_REACH = 1024;
/** How much text after a line a classification may need (a pydantic error's field name). */
const FOLLOWING_BYTES = 300;
/** Failures kept per kind; failureCounts has the totals. */
const FAILURES_PER_KIND = 20;
const INITIAL_BUFFER = 1 << 20;
/** Dict layouts remembered (train, eval, summary, and one more). */
const MAX_TEMPLATES = 4;
/** Visible text longer than this (no `\r` or line break in 64 KiB) is not read: junk, not a log line. */
const MAX_OPEN_TEXT = 65536;
/** `visible` for a line part that has no visible text. */
const NOT_READ = Number.POSITIVE_INFINITY;
/** Column lengths are forecast from the density of the stream read so far once this much was read. */
const FORECAST_SAMPLE = 1 << 20;
/** Forecasts aim this much above the extrapolated length, so that a slightly denser tail still fits. */
const FORECAST_MARGIN = 1.05;

/** A byte searched for over the whole stream, with its last result cached. */
interface Scanner {
  readonly needle: Uint8Array | number;
  readonly length: number;
  /** Buffer index of the cached hit, or -1 when none was found before `from`. */
  hit: number;
  /** Buffer index the next search starts at. */
  from: number;
}

function scanner(needle: Uint8Array | number): Scanner {
  return { needle, length: typeof needle === 'number' ? 1 : needle.length, hit: -1, from: 0 };
}

const ITERATION_WORD = new Literal(ITERATION);
/** The most spaces before `iteration` that nextIterationLine checks one by one. */
const MAX_INDENT = 16;

function onlySpaces(buf: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k] !== SPACE && buf[k] !== TAB) return false;
  return true;
}

/** Bytes that can start something in visible text: `iteration`, `step=`, or a failure signature. */
const INTERESTING = new Uint8Array(256);
for (const byte of [ITERATION[0] ?? 0, STEP_EQUALS[0] ?? 0, ...SIGNATURE_BYTES]) INTERESTING[byte] = 1;

const lastIndexOf = Uint8Array.prototype.lastIndexOf;

const formatCode = (format: LogFormat): number => LOG_FORMATS.indexOf(format);
const HF_TRAINER = formatCode('hf-trainer');
const MEGATRON = formatCode('megatron');
const DEEPSPEED = formatCode('deepspeed');
const LLAMAFACTORY = formatCode('llamafactory-jsonl');
const CUSTOM_TAG = formatCode('custom-tag');
const TRAIN = POINT_KINDS.indexOf('train');
const EVAL = POINT_KINDS.indexOf('eval');
const SUMMARY = POINT_KINDS.indexOf('summary');

/** A dict layout seen before, with what such a dict is. */
interface DictTemplate {
  template: RecordTemplate;
  kind: number;
  format: number;
}

/** What absorbSegment's step replay changed: the segment's points it replayed, and the resumes it
 * found among them (segment point indexes, segment lines). */
interface Replay {
  points: Set<number>;
  resumes: { point: number; resume: Resume }[];
}

/** A custom-tag value shown by a tqdm bar, held back until the bar moves on (redraws repeat it). */
interface PendingTag {
  value: number;
  tqdm: number;
  rank: number;
  line: number;
}

export class TrainingLogParser {
  private readonly search: ByteSearch;
  private readonly keys = new KeyTable();
  private readonly record = new RecordScratch();
  private readonly slot = new NumberSlot();
  private readonly rankSlot = new RankSlot();
  private readonly dictLayout = new Layout();
  private readonly lineLayout = new Layout();
  private readonly prefixLayout = new Layout();
  /** Templates of recent dict layouts (most recent first), with what such a dict is. */
  private readonly dictTemplates: DictTemplate[] = [];
  private lineTemplate: RecordTemplate | null = null;
  /** How many spaces or tabs came before `iteration` on the last iteration line, when nothing else
   * did (-1 otherwise): the next line is then tried against lineTemplate right away (see
   * nextIterationLine). */
  private iterationIndent = -1;
  private readonly iterationKeys: IterationKeys;
  private readonly deepSpeedKeys: DeepSpeedKeys;
  private readonly lossKey: KeyEntry;
  /** The loss tag's bytes, or null to recognise the built-in formats. */
  private readonly tag: Uint8Array | null;
  /** `{` or the loss tag: records that can sit anywhere, even among tqdm frames. */
  private readonly anchors: Scanner;
  /** Bytes left unscanned at the end of the buffer, so that an anchor cut by it is found whole. */
  private readonly margin: number;
  private readonly newlines = scanner(LF);
  private readonly returns = scanner(CR);

  /** The stream's expected length (0: unknown), for sizing the columns. */
  private readonly expectedBytes: number;
  /** A column's final length, extrapolated from how much of the stream produced its current one. */
  private readonly forecast: LengthForecast = (length) => {
    const read = this.lastRecordEnd;
    if (read < FORECAST_SAMPLE || this.expectedBytes <= read) return 0;
    return Math.ceil(((length * this.expectedBytes) / read) * FORECAST_MARGIN);
  };
  /** For the parser of a later segment (see segment.ts): where the segment starts in its stream,
   * after the prelude it is only looking back at; 0 otherwise. */
  private readonly prelude: number;
  private readonly isSegment: boolean;
  private readonly columns: PointColumns;
  private readonly seriesByName = new Map<string, SeriesColumn>();
  private readonly seriesByKey: (SeriesColumn | undefined)[] = [];
  private readonly steps = new StepTracker();
  private readonly assignment = new StepAssignment();
  private readonly fields = new PointFields();
  private readonly formatCounts = new Float64Array(LOG_FORMATS.length);
  private readonly formatOrder: number[] = [];
  /** Training points per (format, step source). */
  private readonly sourceCounts = new Float64Array(LOG_FORMATS.length * STEP_SOURCES.length);
  private readonly failures: Failure[] = [];
  private readonly failureCounts: Partial<Record<FailureKind, number>> = {};
  private readonly resumes: Resume[] = [];
  /** The point of each resume. */
  private readonly resumePoints: number[] = [];
  private overflow: OverflowStats | null = null;
  private readonly evidence: LogEvidence = { binary: false, tqdmBars: false, npuAccelerator: false, truncatedRecords: 0 };
  private pending: PendingTag | null = null;
  /** A segment's first tqdm look-behind that reached into its prelude, and what the segment's
   * other look-behinds found (see SegmentResult). */
  private firstLookup: PreludeLookup | null = null;
  private laterTqdmBars = false;
  private acceleratorDependent = false;
  private drained = 0;
  private result: ParsedLog | null = null;

  private buf = new Uint8Array(INITIAL_BUFFER);
  private view = this.buf.subarray(0, 0);
  /** The buffer's memory read 8 bytes at a time (see Literal). */
  private data = new DataView(this.buf.buffer);
  private len = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  /** Buffer index before which everything is handled. */
  private pos = 0;
  /** Stream offset of the end of the last record (bounds the tqdm look-behind). */
  private lastRecordEnd = 0;
  /** Scanning waits until the stream reaches this offset (something unfinished needs more bytes). */
  private waitUntil = 0;
  /** Set by a handler that needs more bytes than the buffer has. */
  private stalled = false;
  private probed = false;

  /** 1-based number of the line holding `pos`. */
  private lineNo = 1;
  /** Stream offset where that line starts. */
  private lineStart = 0;
  /** Stream offset of its last `\r` already passed, or -1. */
  private lineLastReturn = -1;

  /** `segmentPrelude` ≥ 0 makes a segment's parser: use forSegment(). */
  constructor(options: LogParserOptions = {}, segmentPrelude = -1) {
    this.search = options.search ?? portableSearch;
    this.expectedBytes = options.expectedBytes ?? 0;
    this.isSegment = segmentPrelude >= 0;
    this.prelude = Math.max(0, segmentPrelude);
    this.columns = new PointColumns(this.forecast, this.isSegment);
    if (this.isSegment) {
      if (options.lossTag) throw new Error('TrainingLogParser: a loss tag cannot be read in segments');
      // Scanning starts after the prelude; the head of the stream (for the binary probe) is elsewhere.
      this.pos = this.prelude;
      this.lineStart = this.prelude;
      this.probed = true;
    }
    this.lossKey = this.keys.named('loss');
    this.deepSpeedKeys = { learningRate: this.keys.named('learning_rate'), skippedSteps: this.keys.named('skipped_steps') };
    this.iterationKeys = { step: this.keys.named('step'), total: this.keys.named('total_steps') };
    this.tag = options.lossTag ? encodeUtf8(options.lossTag) : null;
    this.anchors = scanner(this.tag ?? LBRACE);
    this.margin = Math.max(64, this.anchors.length);
  }

  /**
   * A parser for the segment of a stream that starts `prelude` bytes into what it is fed, right after
   * a line break; the prelude (the bytes before, up to SEGMENT_PRELUDE) is only looked back at. Its
   * segmentResult() is for absorbSegment() of the parser that read everything before the segment.
   */
  static forSegment(options: Omit<LogParserOptions, 'lossTag'>, prelude: number): TrainingLogParser {
    return new TrainingLogParser(options, prelude);
  }

  push(chunk: Uint8Array): void {
    this.reserve(chunk.length).set(chunk);
    this.commit(chunk.length);
  }

  /** Room for `size` more bytes, to be filled in place (e.g. by fs.readSync) and then commit()ted.
   * Saves the copy push() makes. */
  reserve(size: number): Uint8Array {
    if (this.result) throw new Error('TrainingLogParser: end() was already called');
    this.makeRoom(size);
    return this.buf.subarray(this.len, this.len + size);
  }

  commit(count: number): void {
    this.len += count;
    this.view = this.buf.subarray(0, this.len);
    this.scan(false);
  }

  /** Points completed since the last call, in log order (for live tailing). */
  drainPoints(): Point[] {
    const to = this.columns.length;
    const points = toPoints(this.columns.view(), this.seriesViews(), this.drained, to);
    this.drained = to;
    return points;
  }

  /** What has been parsed so far, without ending the stream. */
  snapshot(): ParsedLog {
    return this.result ?? this.build();
  }

  end(): ParsedLog {
    if (this.result) return this.result;
    this.finish();
    this.result = this.build();
    return this.result;
  }

  /** Reads what is left as the end of the stream. */
  private finish(): void {
    this.scan(true);
    this.flushPending();
  }

  // --- buffer ------------------------------------------------------------------------------------

  private makeRoom(size: number): void {
    if (this.len + size <= this.buf.length) return;
    const keep = this.probed ? Math.max(0, this.pos - LOOKBEHIND) : 0;
    if (keep > 0) {
      this.buf.copyWithin(0, keep, this.len);
      this.base += keep;
      this.len -= keep;
      this.pos -= keep;
      for (const s of [this.anchors, this.newlines, this.returns]) {
        s.hit = s.hit >= keep ? s.hit - keep : -1;
        s.from = Math.max(0, s.from - keep);
      }
    }
    if (this.len + size > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + size));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
      this.data = new DataView(grown.buffer);
    }
    this.view = this.buf.subarray(0, this.len);
  }

  /** The first hit at or after `from`, or -1 if none is in the buffer. */
  private nextHit(s: Scanner, from: number): number {
    if (s.hit >= from) return s.hit;
    const start = Math.max(from, s.from);
    const last = this.len - s.length;
    if (start > last) {
      s.hit = -1;
      return -1;
    }
    const hit = this.search(this.view, s.needle, start);
    if (hit < 0) {
      s.hit = -1;
      s.from = last + 1;
      return -1;
    }
    s.hit = hit;
    s.from = hit;
    return hit;
  }

  // --- scanning ----------------------------------------------------------------------------------

  private scan(final: boolean): void {
    if (!final && this.base + this.len < this.waitUntil) return;
    this.waitUntil = 0;
    if (!this.probed && (final || this.len >= PROBE_WINDOW)) this.probe();
    let pos = this.pos;
    while (pos < this.len) {
      if (this.iterationIndent >= 0) {
        const next = this.nextIterationLine(pos);
        if (next >= 0) {
          pos = next;
          continue;
        }
      }
      const newline = this.nextHit(this.newlines, pos);
      if (newline < 0 && !final) {
        pos = this.scanOpenLine(pos);
        break;
      }
      const lineEnd = newline < 0 ? this.len : newline;
      const textEnd = newline > pos && this.view[newline - 1] === CR ? newline - 1 : lineEnd;
      const next = this.scanLine(pos, lineEnd, textEnd, newline >= 0, -1, final);
      if (this.stalled) {
        pos = next;
        break;
      }
      if (next > lineEnd) {
        // A record (a multi-line JSON object) ran past this line.
        this.passLines(lineEnd, next);
        pos = next;
        continue;
      }
      if (newline < 0) {
        pos = this.len;
        break;
      }
      pos = newline + 1;
      this.lineNo++;
      this.lineStart = this.base + pos;
      this.lineLastReturn = -1;
    }
    if (this.stalled) {
      this.stalled = false;
      // Wait for about as many bytes again, so that a record fed byte by byte is retried O(log n)
      // times, not n times.
      this.waitUntil = this.base + pos + 2 * Math.max(this.len - pos, 64);
    }
    this.pos = pos;
  }

  /**
   * The current line has no line break in the buffer yet. What lies before its last `\r` is frames
   * already overwritten, where only anchored records count; the text after it is read once the line
   * ends — unless it runs past MAX_OPEN_TEXT, then (see scanLine) it is not read at all and only
   * its anchored records are, so that a line of any length fits in bounded memory.
   */
  private scanOpenLine(from: number): number {
    let pos = from;
    const firstReturn = this.nextHit(this.returns, pos);
    // A '\r' in the last byte may be the first half of "\r\n".
    if (firstReturn >= 0 && firstReturn <= this.len - 2) {
      const lastReturn = lastIndexOf.call(this.view, CR, this.len - 2);
      const next = this.scanLine(pos, lastReturn, lastReturn, false, NOT_READ, false);
      if (this.stalled) return next;
      this.lineLastReturn = this.base + lastReturn;
      pos = Math.max(next, lastReturn + 1);
    }
    const textStart = (this.lineLastReturn >= 0 ? this.lineLastReturn + 1 : this.lineStart) - this.base;
    const until = this.len - this.margin;
    if (until - textStart >= MAX_OPEN_TEXT && until > pos) {
      const next = this.scanLine(pos, until, until, false, NOT_READ, false);
      if (this.stalled) return next;
      pos = Math.max(next, until);
    }
    return pos;
  }

  private passLines(from: number, to: number): void {
    for (let k = from; k < to; k++) {
      if (this.view[k] === LF) {
        this.lineNo++;
        this.lineStart = this.base + k + 1;
        this.lineLastReturn = -1;
      }
    }
  }

  /** Scanning stalled at `at` and will resume there: remembers the line's last `\r` in [from, at),
   * which visibleStart() then no longer sees, so that the line's visible text starts where it did. */
  private resumeAt(from: number, at: number): number {
    const firstReturn = this.nextHit(this.returns, from);
    if (firstReturn >= 0 && firstReturn < at) this.lineLastReturn = this.base + lastIndexOf.call(this.view, CR, at - 1);
    return at;
  }

  /** Where the visible text of the line part [from, textEnd) starts: after its last `\r`. */
  private visibleStart(from: number, textEnd: number): number {
    const firstReturn = this.nextHit(this.returns, from);
    if (firstReturn >= 0 && firstReturn < textEnd) return lastIndexOf.call(this.view, CR, textEnd - 1) + 1;
    return Math.max(0, (this.lineLastReturn >= 0 ? this.lineLastReturn + 1 : this.lineStart) - this.base);
  }

  /**
   * Handles the part [from, lineEnd) of the current line, whose text ends at `textEnd` (before a
   * "\r\n"); `closed` = a line break ends it; `visible` = where its visible text starts, NOT_READ,
   * or -1 to find out. Returns where scanning continues (past lineEnd if a record ran on), with
   * `stalled` set if it needs more bytes.
   */
  private scanLine(from: number, lineEnd: number, textEnd: number, closed: boolean, visible: number, final: boolean): number {
    const { view } = this;
    let k = from;
    let visibleFrom = visible;
    for (;;) {
      const hit = this.nextHit(this.anchors, k);
      const stop = hit >= 0 && hit < textEnd ? hit : textEnd;
      // Text right before a `\r` is a frame the terminal overwrote: nothing to read there.
      if (stop > k && view[stop - 1] !== CR && skipBlanks(view, k, stop) < stop) {
        if (visibleFrom < 0) {
          visibleFrom = this.visibleStart(from, textEnd);
          if (textEnd - visibleFrom >= MAX_OPEN_TEXT + this.margin) visibleFrom = NOT_READ;
        }
        const start = Math.max(k, visibleFrom);
        if (start < stop) {
          const consumed = this.scanText(start, stop, visibleFrom, textEnd, closed, final);
          if (this.stalled) return this.resumeAt(from, start);
          if (consumed >= 0) return lineEnd;
        }
      }
      if (stop === textEnd) return lineEnd;
      const end = this.handleAnchor(hit, final);
      if (end === INCOMPLETE) {
        this.stalled = true;
        return this.resumeAt(from, hit);
      }
      if (end < 0) {
        // Not a record after all: its bytes are ordinary text.
        this.anchors.hit = -1;
        this.anchors.from = hit + 1;
        k = hit;
        continue;
      }
      this.lastRecordEnd = this.base + end;
      if (end > lineEnd) return end;
      k = end;
    }
  }

  /**
   * Reads visible text [from, to) of a line whose visible part is [lineFrom, textEnd): a Megatron
   * iteration line, a DeepSpeed step line, or a failure signature. Returns the end of a record that
   * took the rest of the line, else -1.
   */
  private scanText(from: number, to: number, lineFrom: number, textEnd: number, closed: boolean, final: boolean): number {
    const { view } = this;
    for (let k = from; k < to; k++) {
      const byte = view[k] ?? 0;
      if (INTERESTING[byte] === 0) continue;
      if (byte === ITERATION[0] && ITERATION_WORD.at(this.data, view, k, this.len) && !this.tag) {
        const end = this.handleIteration(lineFrom, k, textEnd, closed);
        if (end >= 0) return end;
      } else if (byte === STEP_EQUALS[0] && matchesAt(view, k, STEP_EQUALS) && !this.tag) {
        const end = this.handleDeepSpeedStep(k, textEnd);
        if (end >= 0) return end;
      } else if (signatureAt(view, k)) {
        const classified = this.classify(k, lineFrom, textEnd, final);
        if (this.stalled) return -1;
        // One finding per line; the rest of it is part of the same message.
        if (classified) return -1;
      }
    }
    return -1;
  }

  private handleAnchor(anchor: number, final: boolean): number {
    this.record.reset();
    return this.tag ? this.handleTag(anchor, final) : this.handleDict(anchor, final);
  }

  private handleDict(anchor: number, final: boolean): number {
    const { view, record, slot } = this;
    const limit = Math.min(this.len, anchor + MAX_DICT_BYTES);
    const templates = this.dictTemplates;
    for (let t = 0; t < templates.length; t++) {
      const known = templates[t] as DictTemplate;
      record.reset();
      const end = known.template.match(this.data, view, anchor, limit, record, slot);
      if (end < 0) continue;
      // The layout that matched is likely the next one too (train dicts between rare eval dicts).
      if (t > 0) {
        templates[t] = templates[0] as DictTemplate;
        templates[0] = known;
      }
      return this.commitDict(anchor, end, known.kind, known.format);
    }
    record.reset();
    const end = scanFlatDict(view, anchor, final, this.keys, this.dictLayout, record, slot);
    if (end === TRUNCATED && record.layoutCount > 0) this.evidence.truncatedRecords++;
    if (end < 0) return end;
    const meaning = classifyDict(record);
    if (meaning === null) return REJECT;
    this.dictLayout.remember(record);
    const kind = meaning.kind === 'train' ? TRAIN : meaning.kind === 'eval' ? EVAL : SUMMARY;
    const format = meaning.format === 'hf-trainer' ? HF_TRAINER : LLAMAFACTORY;
    if (record.templatable && record.slotCount > 0) {
      this.dictTemplates.unshift({ template: new RecordTemplate(view, anchor, end, record), kind, format });
      if (this.dictTemplates.length > MAX_TEMPLATES) this.dictTemplates.pop();
    }
    return this.commitDict(anchor, end, kind, format);
  }

  private commitDict(anchor: number, end: number, kind: number, format: number): number {
    const { record } = this;
    record.rank = this.rankBefore(anchor);
    const tqdm = kind === TRAIN && Number.isNaN(record.step) ? this.tqdmBefore(anchor) : -1;
    this.commitRecord(format, kind, tqdm, this.lineNo);
    return end;
  }

  /**
   * The line at `pos` if it is one more iteration line like the last one: the same indent, then a
   * line that lineTemplate matches up to its line break. Then the general path (scanLine, scanText,
   * handleIteration) would find nothing before `iteration` and match the same template; this
   * does it without searching for the line break first. Returns where the next line starts, or -1.
   */
  private nextIterationLine(pos: number): number {
    const { view, record, lineTemplate } = this;
    const anchor = pos + this.iterationIndent;
    // A freezable template waits for a line read the general way (see handleIteration).
    if (lineTemplate === null || lineTemplate.freezable || view[anchor] !== ITERATION[0]) return -1;
    for (let k = pos; k < anchor; k++) if (view[k] !== SPACE && view[k] !== TAB) return -1;
    record.reset();
    const end = lineTemplate.match(this.data, view, anchor, Math.min(this.len, anchor + MAX_LINE_BYTES), record, this.slot);
    if (end < 0) return -1;
    const newline = view[end] === LF ? end : view[end] === CR && view[end + 1] === LF ? end + 1 : -1;
    if (newline < 0) return -1;
    this.commitRecord(MEGATRON, TRAIN, -1, this.lineNo);
    this.lastRecordEnd = this.base + end;
    this.lineNo++;
    this.lineStart = this.base + newline + 1;
    this.lineLastReturn = -1;
    return newline + 1;
  }

  private handleIteration(lineFrom: number, anchor: number, textEnd: number, closed: boolean): number {
    const { view, record, slot } = this;
    record.reset();
    const template = textEnd - anchor <= MAX_LINE_BYTES ? this.lineTemplate : null;
    if (template === null || template.freezable || template.match(this.data, view, anchor, textEnd, record, slot) !== textEnd) {
      record.reset();
      if (scanIterationFields(view, anchor, textEnd, closed, this.iterationKeys, this.keys, this.lineLayout, record, slot) < 0) return REJECT;
      this.lineLayout.remember(record);
      // Iteration lines repeat most of their values (batch size, loss scale, totals): the next
      // template freezes those. (Dicts are not worth it: nearly all their values change.)
      if (record.templatable) this.lineTemplate = template?.freezable === true && closed ? template.freeze(view, anchor, textEnd, record) : new RecordTemplate(view, anchor, textEnd, record);
    }
    const lineStart = Math.max(lineFrom, anchor - LINE_LOOKBEHIND);
    if (skipBlanks(view, lineStart, anchor) < anchor) readIterationPrefix(view, lineStart, anchor, this.keys, this.prefixLayout, record, slot, this.rankSlot);
    const lineBegin = this.lineStart - this.base;
    this.iterationIndent = closed && lineFrom === lineBegin && anchor - lineBegin <= MAX_INDENT && onlySpaces(view, lineBegin, anchor) ? anchor - lineBegin : -1;
    this.commitRecord(MEGATRON, TRAIN, -1, this.lineNo);
    this.lastRecordEnd = this.base + textEnd;
    return textEnd;
  }

  private handleDeepSpeedStep(anchor: number, textEnd: number): number {
    this.record.reset();
    const end = scanStepLine(this.view, anchor, textEnd, this.deepSpeedKeys, this.record, this.slot);
    if (end < 0) return end;
    this.commitRecord(DEEPSPEED, TRAIN, -1, this.lineNo);
    this.lastRecordEnd = this.base + end;
    return end;
  }

  /** `<tag><blanks>[=:]<blanks>['"]<number>`, e.g. `'loss': 1.2`, `Loss: 0.97`, `loss=nan`. */
  private handleTag(anchor: number, final: boolean): number {
    const { view, slot } = this;
    const tagEnd = anchor + (this.tag?.length ?? 0);
    const reach = Math.min(this.len, tagEnd + SEGMENT_REACH);
    const cutShort = !final && reach < tagEnd + SEGMENT_REACH;
    let k = skipBlanks(view, tagEnd, reach);
    if (view[k] === 0x3d || view[k] === 0x3a) k = skipBlanks(view, k + 1, reach);
    if (view[k] === 0x27 || view[k] === 0x22) k++;
    if (!scanNumber(view, k, reach, slot)) return k >= reach && cutShort ? INCOMPLETE : REJECT;
    const valueEnd = slot.end;
    const value = slot.value;
    if (cutShort && (valueEnd >= reach || exponentCut(view, valueEnd, reach))) return INCOMPLETE;
    let segmentEnd = lineEndIn(view, valueEnd, reach);
    if (segmentEnd < 0) {
      if (cutShort) return INCOMPLETE;
      segmentEnd = reach;
    }
    const rank = this.rankBefore(anchor);
    const line = this.lineNo;
    // A value inside a bar (its description or postfix) is redrawn with every refresh of the bar:
    // keep the last value shown at each `n`. A value on a line of its own is a point right away.
    const segmentStart = lineStartBefore(view, anchor, SEGMENT_REACH);
    let barStep = counterBefore(view, this.data, anchor, Math.max(segmentStart, this.lastRecordEnd - this.base));
    if (barStep < 0) barStep = counterAfter(view, valueEnd, segmentEnd);
    const pending = this.pending;
    if (barStep >= 0 && pending !== null && pending.tqdm === barStep && pending.rank === rank) {
      pending.value = value;
      return valueEnd;
    }
    this.flushPending();
    if (barStep >= 0) {
      this.evidence.tqdmBars = true;
      this.pending = { value, tqdm: barStep, rank, line };
    } else {
      this.record.rank = rank;
      this.record.add(this.lossKey, value);
      this.commitRecord(CUSTOM_TAG, TRAIN, this.tqdmBefore(anchor), line);
    }
    return valueEnd;
  }

  private flushPending(): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    this.record.reset();
    this.record.rank = pending.rank;
    this.record.add(this.lossKey, pending.value);
    this.commitRecord(CUSTOM_TAG, TRAIN, pending.tqdm, pending.line);
  }

  /** The rank prefix of the line segment holding `anchor`, if only blanks follow it. */
  private rankBefore(anchor: number): number {
    const start = lineStartBefore(this.view, anchor, 64);
    if (start === anchor || !readRankPrefix(this.view, start, anchor, this.rankSlot)) return -1;
    return this.rankSlot.end === anchor ? this.rankSlot.rank : -1;
  }

  private tqdmBefore(anchor: number): number {
    const lowerBound = Math.max(this.lastRecordEnd - this.base, anchor - TQDM_LOOKBEHIND, 0);
    if (this.isSegment) return this.segmentTqdmBefore(anchor, lowerBound);
    const n = counterBefore(this.view, this.data, anchor, lowerBound);
    if (n >= 0) this.evidence.tqdmBars = true;
    return n;
  }

  /** tqdmBefore in a segment: a look-behind into the prelude may find a counter that, read in one
   * pass, lies before the last record and does not count; absorbSegment decides. */
  private segmentTqdmBefore(anchor: number, lowerBound: number): number {
    const bracket = lastCounter(this.view, this.data, anchor, lowerBound);
    const n = bracket < 0 ? -1 : lastCounterValue();
    if (this.base + lowerBound < this.prelude) this.firstLookup = { point: this.columns.length, anchor: this.base + anchor, bracket: bracket < 0 ? -1 : this.base + bracket };
    else if (n >= 0) this.laterTqdmBars = true;
    if (n >= 0) this.evidence.tqdmBars = true;
    return n;
  }

  private commitRecord(format: number, kind: number, tqdm: number, line: number): void {
    const { record, assignment, fields } = this;
    assignment.explicit = record.step;
    assignment.tqdm = tqdm;
    this.steps.assign(format * 0x10000 + record.rank + 1, kind === TRAIN, assignment);
    if (!Number.isNaN(assignment.resumedFrom)) {
      this.resumes.push({ line, step: assignment.step, previousStep: assignment.resumedFrom });
      this.resumePoints.push(this.columns.length);
    }
    fields.step = assignment.step;
    fields.stepSource = assignment.source;
    fields.kind = kind;
    fields.format = format;
    fields.line = line;
    fields.rank = record.rank;
    fields.time = record.time;
    fields.tqdm = tqdm;
    const index = this.columns.add(fields);
    const { keys, values, count } = record;
    for (let i = 0; i < count; i++) {
      const key = keys[i] as KeyEntry;
      const series = this.seriesByKey[key.id] ?? this.newSeries(key);
      // Two keys that mean one metric ('lr' and 'learning_rate') keep the first value.
      if (series.lastPoint !== index) series.pushFrom(index, values, i);
    }
    if (this.formatCounts[format] === 0) this.formatOrder.push(format);
    this.formatCounts[format] = (this.formatCounts[format] ?? 0) + 1;
    if (kind === TRAIN) {
      const cell = format * STEP_SOURCES.length + assignment.source;
      this.sourceCounts[cell] = (this.sourceCounts[cell] ?? 0) + 1;
    }
  }

  private newSeries(key: KeyEntry): SeriesColumn {
    let series = this.seriesByName.get(key.name);
    if (series === undefined) {
      series = new SeriesColumn(key.name, this.forecast);
      this.seriesByName.set(key.name, series);
    }
    this.seriesByKey[key.id] = series;
    return series;
  }

  // --- failure signatures --------------------------------------------------------------------------

  /** Classifies the line [lineFrom, textEnd) after a signature at `hit`. Returns whether it was a
   * finding; sets `stalled` if it needs bytes after the line that have not arrived. */
  private classify(hit: number, lineFrom: number, textEnd: number, final: boolean): boolean {
    const { view, len } = this;
    const start = Math.max(lineFrom, hit - SEGMENT_REACH);
    const end = Math.min(textEnd, hit + SEGMENT_REACH);
    const { text, rank } = cleanLine(decodeUtf8(view, start, end));
    if (this.isSegment && !this.evidence.npuAccelerator && dependsOnAccelerator(text)) this.acceleratorDependent = true;
    let finding = classifyLine(text, this.evidence.npuAccelerator);
    if (finding?.type === 'needs-following') {
      if (!final && len < end + FOLLOWING_BYTES) {
        this.stalled = true;
        return false;
      }
      finding = classifyLine(text, this.evidence.npuAccelerator, decodeUtf8(view, end, Math.min(len, end + FOLLOWING_BYTES)));
    }
    if (finding === null || finding.type === 'needs-following') return false;
    const line = this.lineNo;
    if (finding.type === 'npu-accelerator') this.evidence.npuAccelerator = true;
    else if (finding.type === 'overflow') {
      const overflow = (this.overflow ??= { count: 0, firstLine: line, lastLine: line, lossScale: null });
      overflow.count++;
      overflow.lastLine = line;
      overflow.lossScale = finding.lossScale ?? overflow.lossScale;
    } else {
      const count = (this.failureCounts[finding.kind] ?? 0) + 1;
      this.failureCounts[finding.kind] = count;
      const shown = excerpt(text, finding.at);
      if (count <= FAILURES_PER_KIND) this.failures.push(rank >= 0 ? { line, kind: finding.kind, text: shown, rank } : { line, kind: finding.kind, text: shown });
    }
    return true;
  }

  // --- segments (see segment.ts) ---------------------------------------------------------------

  /** Ends a segment's parser and hands over what it read. */
  segmentResult(): SegmentResult {
    if (!this.isSegment) throw new Error('TrainingLogParser: not a segment parser (see forSegment)');
    this.finish();
    return {
      prelude: this.prelude,
      bytes: this.base + this.len - this.prelude,
      lines: this.lineCount(),
      points: this.columns.export(),
      series: [...this.seriesByName.values()].map((series) => series.export()),
      failures: [...this.failures],
      failureCounts: { ...this.failureCounts },
      overflow: this.overflow ? { ...this.overflow } : null,
      resumes: [...this.resumes],
      resumePoints: [...this.resumePoints],
      evidence: { ...this.evidence, tqdmBars: this.laterTqdmBars },
      firstLookup: this.firstLookup,
      acceleratorDependent: this.acceleratorDependent,
      formatCounts: this.formatCounts.slice(),
      formatOrder: [...this.formatOrder],
      sourceCounts: this.sourceCounts.slice(),
    };
  }

  /**
   * Optional, before absorbSegment: makes room for the points a segment of `segmentBytes` will
   * likely bring (as many per byte as so far) and touches it. The first write to fresh memory is a
   * page fault; taking them while the segment's parser is still busy keeps them off the time the
   * two threads wait for each other.
   */
  prepareToAbsorb(segmentBytes: number): void {
    const read = this.base + this.len;
    if (read === 0 || this.result) return;
    // A little under the estimate: touching more than is used is wasted work.
    const share = (segmentBytes / read) * 0.95;
    this.columns.reserve(Math.floor(this.columns.length * share));
    for (const series of this.seriesByName.values()) series.reserve(Math.floor(series.length * share));
  }

  /**
   * Takes over the segment that follows the bytes pushed so far — which must end right after a line
   * break, where the segment starts — and ends the stream: end() then returns what one parser reading
   * it all would have. Returns false, changing nothing, when the segment cannot be taken over (a
   * record or a failure line runs on past the boundary, or a line read in the segment means
   * something else after what came before); then push the segment's bytes instead.
   */
  absorbSegment(segment: SegmentResult): boolean {
    // Everything pushed is read and nothing waits for more bytes (a record across the boundary).
    if (this.result || this.isSegment || this.tag !== null || !this.probed || this.pos !== this.len || this.pending !== null) return false;
    if (segment.acceleratorDependent && this.evidence.npuAccelerator) return false;
    const start = this.base + this.len;
    const shift = start - segment.prelude;
    const lookup = segment.firstLookup;
    // In one pass the first record's look-behind stops at the last record before it.
    const lookupCounts = lookup !== null && lookup.bracket >= 0 && shift + lookup.bracket >= Math.max(this.lastRecordEnd, shift + lookup.anchor - TQDM_LOOKBEHIND);
    const lineOffset = this.lineNo - 1;
    const pointOffset = this.columns.length;
    const { points } = segment;
    this.columns.append(points, lineOffset);
    for (const data of segment.series) {
      let series = this.seriesByName.get(data.name);
      if (series === undefined) {
        series = new SeriesColumn(data.name, this.forecast);
        this.seriesByName.set(data.name, series);
      }
      series.append(data, pointOffset);
    }
    for (const code of segment.formatOrder) {
      if (this.formatCounts[code] === 0) this.formatOrder.push(code);
      this.formatCounts[code] = (this.formatCounts[code] ?? 0) + (segment.formatCounts[code] ?? 0);
    }
    for (let cell = 0; cell < this.sourceCounts.length; cell++) this.sourceCounts[cell] = (this.sourceCounts[cell] ?? 0) + (segment.sourceCounts[cell] ?? 0);
    const replayed = this.replaySteps(segment, pointOffset, lookup !== null && !lookupCounts ? lookup.point : -1);
    this.mergeResumes(segment, replayed, pointOffset, lineOffset);
    this.mergeFailures(segment, lineOffset);
    const evidence = this.evidence;
    evidence.tqdmBars ||= segment.evidence.tqdmBars || lookupCounts;
    evidence.npuAccelerator ||= segment.evidence.npuAccelerator;
    evidence.truncatedRecords += segment.evidence.truncatedRecords;
    this.result = this.build(start + segment.bytes, lineOffset + segment.lines);
    return true;
  }

  /**
   * The segment's parser gave its points the steps of a stream read from its start. Steps depend on
   * the step before (per format and rank): gives the segment's points of every stream this parser
   * has seen the steps they get after this parser's last ones, until a training point gets the
   * same step both ways — from then on the two agree. `noCounter`: a point whose tqdm counter does
   * not count in one pass (-1: none).
   */
  private replaySteps(segment: SegmentResult, pointOffset: number, noCounter: number): Replay {
    const { points } = segment;
    const pending = new Set(this.steps.streams());
    if (noCounter >= 0) pending.add((points.format[noCounter] ?? 0) * 0x10000 + (points.rank?.[noCounter] ?? -1) + 1);
    const replay: Replay = { points: new Set(), resumes: [] };
    const { assignment } = this;
    for (let i = 0; i < points.length && pending.size > 0; i++) {
      const format = points.format[i] ?? 0;
      const stream = format * 0x10000 + (points.rank?.[i] ?? -1) + 1;
      if (!pending.has(stream)) continue;
      const train = points.kind[i] === TRAIN;
      const step = points.step[i] ?? 0;
      const source = points.stepSource[i] ?? 0;
      const tqdm = i === noCounter ? -1 : (points.tqdm?.[i] ?? -1);
      assignment.explicit = source === FROM_LINE ? step : NaN;
      assignment.tqdm = tqdm;
      this.steps.assign(stream, train, assignment);
      replay.points.add(i);
      if (!Number.isNaN(assignment.resumedFrom)) replay.resumes.push({ point: i, resume: { line: points.line[i] ?? 0, step: assignment.step, previousStep: assignment.resumedFrom } });
      if (assignment.step !== step || assignment.source !== source) {
        this.columns.setStep(pointOffset + i, assignment.step, assignment.source);
        if (train) {
          const row = format * STEP_SOURCES.length;
          this.sourceCounts[row + source] = (this.sourceCounts[row + source] ?? 0) - 1;
          this.sourceCounts[row + assignment.source] = (this.sourceCounts[row + assignment.source] ?? 0) + 1;
        }
      } else if (train) pending.delete(stream);
    }
    return replay;
  }

  /** The segment's resumes — those of replayed points as found again — after this parser's. */
  private mergeResumes(segment: SegmentResult, replay: Replay, pointOffset: number, lineOffset: number): void {
    const resumes = replay.resumes;
    segment.resumes.forEach((resume, r) => {
      const point = segment.resumePoints[r] ?? 0;
      if (!replay.points.has(point)) resumes.push({ point, resume });
    });
    resumes.sort((a, b) => a.point - b.point);
    for (const { point, resume } of resumes) {
      this.resumes.push({ ...resume, line: resume.line + lineOffset });
      this.resumePoints.push(pointOffset + point);
    }
  }

  /** The segment's failures after this parser's, at most FAILURES_PER_KIND of a kind; its overflows. */
  private mergeFailures(segment: SegmentResult, lineOffset: number): void {
    const before = { ...this.failureCounts };
    const seen: Partial<Record<FailureKind, number>> = {};
    for (const failure of segment.failures) {
      const index = (seen[failure.kind] ?? 0) + 1;
      seen[failure.kind] = index;
      if ((before[failure.kind] ?? 0) + index <= FAILURES_PER_KIND) this.failures.push({ ...failure, line: failure.line + lineOffset });
    }
    for (const [kind, count] of Object.entries(segment.failureCounts) as [FailureKind, number][]) this.failureCounts[kind] = (before[kind] ?? 0) + count;
    const overflow = segment.overflow;
    if (overflow === null) return;
    if (this.overflow === null) this.overflow = { ...overflow, firstLine: overflow.firstLine + lineOffset, lastLine: overflow.lastLine + lineOffset };
    else {
      this.overflow.count += overflow.count;
      this.overflow.lastLine = overflow.lastLine + lineOffset;
      this.overflow.lossScale = overflow.lossScale ?? this.overflow.lossScale;
    }
  }

  // --- results -----------------------------------------------------------------------------------

  private probe(): void {
    const end = Math.min(this.len, PROBE_WINDOW);
    this.evidence.binary = looksBinary(this.view, 0, end);
    if (hasProgressBar(this.view, 0, end)) this.evidence.tqdmBars = true;
    this.probed = true;
  }

  private seriesViews(): Map<string, MetricSeries> {
    const views = new Map<string, MetricSeries>();
    for (const [name, series] of this.seriesByName) views.set(name, series.view());
    return views;
  }

  /** Lines in the stream so far (a final '\n' ends the last line rather than starting one). */
  private lineCount(): number {
    const bytes = this.base + this.len - this.prelude;
    if (bytes <= 0) return 0;
    let lines = this.lineNo;
    for (let k = this.nextHit(this.newlines, this.pos); k >= 0; k = this.search(this.view, LF, k + 1)) lines++;
    return this.view[this.len - 1] === LF ? lines - 1 : lines;
  }

  private build(bytes = this.base + this.len - this.prelude, lines = this.lineCount()): ParsedLog {
    let formatCode = 0;
    for (const code of this.formatOrder) if ((this.formatCounts[code] ?? 0) > (this.formatCounts[formatCode] ?? 0)) formatCode = code;
    let sourceCode = -1;
    for (let s = 0; s < STEP_SOURCES.length; s++) {
      const count = this.sourceCounts[formatCode * STEP_SOURCES.length + s] ?? 0;
      if (count > 0 && (sourceCode < 0 || count > (this.sourceCounts[formatCode * STEP_SOURCES.length + sourceCode] ?? 0))) sourceCode = s;
    }
    return {
      format: LOG_FORMATS[formatCode] ?? 'unknown',
      stepSource: sourceCode >= 0 ? (STEP_SOURCES[sourceCode] ?? null) : null,
      bytes,
      lines,
      points: this.columns.view(),
      series: this.seriesViews(),
      failures: [...this.failures],
      failureCounts: { ...this.failureCounts },
      overflow: this.overflow ? { ...this.overflow } : null,
      resumes: [...this.resumes],
      evidence: { ...this.evidence },
    };
  }
}

/** Parses a whole log held in memory. */
export function parseLog(bytes: Uint8Array, options?: LogParserOptions): ParsedLog {
  const parser = new TrainingLogParser(options);
  parser.push(bytes);
  return parser.end();
}
