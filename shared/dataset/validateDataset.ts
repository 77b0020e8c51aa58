/**
 * The dataset linter: every rule that decides whether Qwen-VL's finetune.py trains on a sample
 * as meant, crashes on it (often hours in, on one rank, when the sample is drawn) or silently
 * learns something else. Pure: image files are judged from facts the caller looked up.
 * Used by the CLI (`qvl dataset validate`), the wizard's Step 5 and the dataset editor.
 */

import type { ParsedConversation, ParsedTurn, Segment, TagIssue } from './conversationCodec';
import { parseConversation } from './conversationCodec';
import { DEFAULT_COORD_CEILING } from './coordinates';
import type { DatasetProblem, ProblemCode } from './datasetProblems';
import { compareProblems, problem } from './datasetProblems';
import type { ImageFacts, ImageFactsLookup } from './imageFacts';
import { isRemoteImagePath } from './imageFacts';
import type { EditableSample, ShapeIssue, Turn } from './sampleModel';
import { conversationOf, sampleIdText, sampleUnchanged, turnUnchanged, turnsUnchanged } from './sampleModel';
import { DEFAULT_MODEL_MAX_LENGTH, estimateConversationTokens } from './tokenEstimate';
import { loneSurrogateIndex, utf8ByteLength } from './utf8';

export interface ValidationOptions {
  /** finetune.py's --model_max_length. */
  modelMaxLength?: number;
  /** The largest box integer allowed (999 for [0,1000)). */
  coordCeiling?: number;
}

/** The tokenizer's limit on what sits between `<img>` and `</img>`. */
export const MAX_IMAGE_PATH_BYTES = 256;
/** PIL's Image.MAX_IMAGE_PIXELS: above it a DecompressionBombWarning, above twice it an error. */
export const PIL_MAX_IMAGE_PIXELS = 89_478_485;
/** A box narrower or lower than this many thousandths of the image is probably a slip. */
const TINY_BOX = 2;
/** Images ending past this share of model_max_length are close enough to the cut to mention. */
const NEAR_LIMIT = 0.9;

type Where = { turn: number | null; offset: number | null; length?: number };

/** A local image a sample uses, where its path is written: facts about the file (existence,
 * integrity, size, orientation) are judged by imageProblems once they are known. */
export interface ImageReference {
  sample: number;
  id: string | null;
  turn: number;
  /** Range of the path in the turn's value. */
  offset: number;
  length: number;
  path: string;
}

class SampleChecker {
  readonly problems: DatasetProblem[] = [];
  readonly images: ImageReference[] = [];
  private readonly id: string | null;

  constructor(
    private readonly sample: EditableSample,
    private readonly index: number,
    private readonly conversation: ParsedConversation,
    private readonly maxLength: number,
    private readonly ceiling: number,
  ) {
    this.id = sampleIdText(sample);
  }

  private add(code: ProblemCode, where: Where, message: string, params: Record<string, string | number> = {}): void {
    this.problems.push(problem(code, { sample: this.index, id: this.id, ...where }, message, params));
  }

  run(): void {
    const { sample, conversation } = this;
    const shape = this.shapeIssues();
    if (shape.notObject) return;
    if (sample.id === undefined) this.add('id-missing', { turn: null, offset: null }, 'The sample has no "id". finetune.py does not read it, but ids are how you find a sample again: give each a unique one.');
    else if (typeof sample.id !== 'string') this.add('id-not-string', { turn: null, offset: null }, `The id ${JSON.stringify(sample.id)} is not a string.`, { found: JSON.stringify(sample.id) });
    if (sample.turns.length === 0 && !shape.noConversations) this.add('conversations-empty', { turn: null, offset: null }, '"conversations" is empty: the sample teaches nothing.');
    this.checkRoles();
    const boundRefs = new Set<Segment>();
    for (const parsed of conversation.turns) {
      for (const segment of parsed.segments) {
        if ((segment.kind === 'box' || segment.kind === 'quad') && segment.ref) {
          const ref = conversation.turns[segment.ref.turn]?.segments[segment.ref.segment];
          if (ref) boundRefs.add(ref);
        }
      }
    }
    conversation.turns.forEach((parsed, turn) => this.checkTurn(turn, parsed, boundRefs));
    this.checkTokens();
  }

  /** Problems of the file's shape that saving would still write. */
  private shapeIssues(): { notObject: boolean; noConversations: boolean } {
    const { sample } = this;
    const found = { notObject: false, noConversations: false };
    for (const issue of sample.origin?.issues ?? []) {
      const applies = issue.code === 'sample-not-object' ? sampleUnchanged(sample) : issue.code === 'duplicate-key' || turnsUnchanged(sample);
      if (!applies) continue;
      if (issue.code === 'sample-not-object') found.notObject = true;
      else if (issue.code === 'conversations-missing' || issue.code === 'conversations-not-list') found.noConversations = true;
      this.shapeProblem(issue, null);
    }
    sample.turns.forEach((turn, index) => {
      for (const issue of turn.origin?.issues ?? []) if (turnIssueApplies(turn, issue)) this.shapeProblem(issue, index);
    });
    return found;
  }

  private shapeProblem(issue: ShapeIssue, turn: number | null): void {
    const where = { turn, offset: null };
    const found = issue.found ?? '';
    switch (issue.code) {
      case 'sample-not-object':
        return this.add(issue.code, where, `The sample is ${found}, not an object {"id": …, "conversations": […]}.`, { found });
      case 'conversations-missing':
        return this.add(issue.code, where, `The sample has no "conversations": finetune.py stops with KeyError: 'conversations'.`);
      case 'conversations-not-list':
        return this.add(issue.code, where, `"conversations" is ${found}, not a list of turns.`, { found });
      case 'turn-not-object':
        return this.add(issue.code, where, `The turn is ${found}, not an object {"from": …, "value": …}.`, { found });
      case 'from-missing':
        return this.add('role-invalid', where, `The turn has no "from": finetune.py stops with KeyError: 'from'. Use "user" or "assistant".`, { found: '' });
      case 'from-not-string':
        return this.add('role-invalid', where, `"from" is ${found}; it must be "user" or "assistant".`, { found });
      case 'value-missing':
        return this.add(issue.code, where, `The turn has no "value": finetune.py stops with KeyError: 'value'.`);
      case 'value-not-string':
        return this.add(issue.code, where, `"value" is ${found}, not a string: the tokenizer raises a TypeError.`, { found });
      case 'duplicate-key':
        return this.add(issue.code, where, `"${found}" appears twice; Python keeps only the last one.`, { key: found });
    }
  }

  private checkRoles(): void {
    const { turns } = this.sample;
    let orderReported = false;
    turns.forEach((turn, index) => {
      if (turn.origin?.issues.some((issue) => (issue.code === 'from-missing' || issue.code === 'from-not-string' || issue.code === 'turn-not-object') && turnIssueApplies(turn, issue))) return;
      if (turn.from !== 'user' && turn.from !== 'assistant') {
        this.add('role-invalid', { turn: index, offset: null }, `"from" is "${turn.from}"; it must be exactly "user" or "assistant"${roleHint(turn.from)}.`, { found: turn.from });
        return;
      }
      const expected = index % 2 === 0 ? 'user' : 'assistant';
      if (turn.from !== expected && !orderReported) {
        orderReported = true;
        this.add('role-order', { turn: index, offset: null }, `Turn ${index} is from ${turn.from} where ${expected} was due: turns must alternate user, assistant, … starting with user (finetune.py drops a leading assistant turn and never checks the rest).`, {
          found: turn.from,
          expected,
        });
      }
    });
    const last = turns[turns.length - 1];
    if (last?.from === 'user' && turns.length > 0) this.add('last-turn-user', { turn: turns.length - 1, offset: null }, 'The conversation ends with a user turn: nothing is learned from it (loss is on assistant turns only).');
  }

  private checkTurn(turn: number, parsed: ParsedTurn, boundRefs: ReadonlySet<Segment>): void {
    const source = this.sample.turns[turn];
    if (!source) return;
    const valueShapeIssue = source.origin?.issues.some((issue) => (issue.code === 'value-missing' || issue.code === 'value-not-string' || issue.code === 'turn-not-object') && turnIssueApplies(source, issue));
    if (source.value === '' && !valueShapeIssue) this.add('value-empty', { turn, offset: 0 }, 'The value is empty.');
    for (const issue of parsed.issues) this.tagIssue(turn, source.value, issue);
    for (const segment of parsed.segments) this.checkSegment(turn, source, segment, boundRefs);
  }

  private tagIssue(turn: number, value: string, issue: TagIssue): void {
    const where = { turn, offset: issue.start, length: issue.end - issue.start };
    const params = { tag: issue.tag };
    switch (issue.code) {
      case 'tag-unclosed':
        return this.add(issue.code, where, `${issue.tag} is never closed${issue.tag === '<img>' ? ': the tokenizer raises "Unclosed image token"' : ''}. Add ${issue.tag.replace('<', '</')}.`, params);
      case 'tag-unopened':
        return this.add(issue.code, where, `${issue.tag} closes a tag that was never opened.`, params);
      case 'tag-nested':
        return this.add(issue.code, where, `${issue.tag} sits inside ${issue.inside ?? ''}…${(issue.inside ?? '').replace('<', '</')}: tags cannot nest.`, { ...params, inside: issue.inside ?? '' });
      case 'special-token':
        return this.add(issue.code, where, `${issue.tag} is a special token: the tokenizer reads it as the real token inside text, which breaks the chat template. Remove it.`, params);
      case 'box-malformed': {
        const quad = issue.tag === '<quad>';
        const content = value.slice(issue.start + issue.tag.length, issue.end - issue.tag.length - 1);
        return this.add(issue.code, where, `${issue.tag} must hold ${quad ? 'four points (x,y),(x,y),(x,y),(x,y)' : '(x1,y1),(x2,y2)'} as whole numbers; found "${content.length > 40 ? `${content.slice(0, 40)}…` : content}".`, { ...params, content });
      }
    }
  }

  private checkSegment(turn: number, source: Turn, segment: Segment, boundRefs: ReadonlySet<Segment>): void {
    switch (segment.kind) {
      case 'picture': {
        const at = { turn, offset: segment.start, length: segment.end - segment.start };
        if (!segment.label) this.add('picture-label-missing', at, `Picture ${segment.image + 1} has no "Picture ${segment.image + 1}: " before <img>, the form Qwen-VL was trained with.`, { number: segment.image + 1 });
        else if (segment.label.number !== segment.image + 1) {
          this.add('picture-number', { turn, offset: segment.label.start, length: segment.label.end - segment.label.start }, `This is image ${segment.image + 1} of the conversation but is labelled "Picture ${segment.label.number}": number pictures 1, 2, … across all turns.`, {
            number: segment.label.number,
            expected: segment.image + 1,
          });
        }
        this.checkImagePath(turn, segment.path, segment.pathStart);
        return;
      }
      case 'ref':
        if (source.from === 'assistant' && !boundRefs.has(segment)) {
          this.add('ref-without-box', { turn, offset: segment.start, length: segment.end - segment.start }, `<ref>${segment.label}</ref> in an answer is followed by no <box>.`, { label: segment.label });
        }
        return;
      case 'box': {
        const where = { turn, offset: segment.start, length: segment.end - segment.start };
        if (segment.image === null) this.add('box-without-image', where, 'This box comes before any picture in the conversation, so it belongs to no image.');
        const box = segment.coords;
        if (!box) return;
        if (!this.inRange([box.x1, box.y1, box.x2, box.y2], where)) return;
        if (box.x1 >= box.x2 || box.y1 >= box.y2) {
          this.add('box-inverted', where, `The box (${box.x1},${box.y1}),(${box.x2},${box.y2}) is inverted or empty: the first point is the top-left corner, so x1 < x2 and y1 < y2.`, { ...box });
        } else if (box.x2 - box.x1 < TINY_BOX || box.y2 - box.y1 < TINY_BOX) {
          this.add('box-tiny', where, `The box (${box.x1},${box.y1}),(${box.x2},${box.y2}) is under ${TINY_BOX}/1000 of the image wide or high: a slip of the mouse?`, { ...box });
        }
        return;
      }
      case 'quad': {
        const where = { turn, offset: segment.start, length: segment.end - segment.start };
        if (segment.image === null) this.add('box-without-image', where, 'This quad comes before any picture in the conversation, so it belongs to no image.');
        if (segment.points) this.inRange(segment.points, where);
        return;
      }
      case 'text':
        return;
    }
  }

  private inRange(values: readonly number[], where: Where): boolean {
    const outside = values.find((value) => value > this.ceiling);
    if (outside === undefined) return true;
    this.add('box-out-of-range', where, `Coordinate ${outside} is outside [0, ${this.ceiling}]: boxes are in thousandths of the original image's width and height.`, { value: outside, ceiling: this.ceiling });
    return false;
  }

  private checkImagePath(turn: number, path: string, offset: number): void {
    const where = { turn, offset, length: path.length };
    if (path.trim() === '') return this.add('image-path-empty', where, '<img></img> holds no path.');
    const surrogate = loneSurrogateIndex(path);
    if (surrogate !== -1) {
      return this.add('image-path-not-utf8', { turn, offset: offset + surrogate, length: 1 }, `The path "${path}" is not valid Unicode (a file name in a non-UTF-8 encoding, written by Python as "\\udcXX"): the tokenizer turns it into U+FFFD and training cannot open the file. Rename the file to UTF-8.`, { path });
    }
    const bytes = utf8ByteLength(path);
    if (bytes > MAX_IMAGE_PATH_BYTES) {
      this.add('image-path-too-long', where, `The path is ${bytes} bytes in UTF-8; the tokenizer allows ${MAX_IMAGE_PATH_BYTES} ("The content in <img>..</img> is too long"). Use a shorter path (a CJK character is 3 bytes).`, { bytes, limit: MAX_IMAGE_PATH_BYTES });
    }
    if (isRemoteImagePath(path)) {
      return this.add('image-url', where, 'The image is a URL: every rank downloads it on every step, and it is not checked here. Prefer a local copy.', { path });
    }
    this.images.push({ sample: this.index, id: this.id, turn, offset, length: path.length, path });
  }

  private checkTokens(): void {
    const values = this.sample.turns.map((turn) => turn.value);
    const conversation = this.conversation;
    const estimate = estimateConversationTokens(values, conversation, this.maxLength);
    const max = this.maxLength;
    const pictureAt = (image: number): Where => {
      const picture = conversation.pictures[image];
      return picture ? { turn: picture.turn, offset: picture.segment.start, length: picture.segment.end - picture.segment.start } : { turn: null, offset: null };
    };
    const cutImage = estimate.images.find((span) => span.end > max);
    if (cutImage) {
      this.add('token-limit-image', pictureAt(cutImage.image), `About ${estimate.total} tokens (each image is 258): Picture ${cutImage.image + 1} ends near token ${cutImage.end}, past model_max_length ${max}. Truncation cuts it, and a cut image crashes training (bos/eos assert). Use fewer images or less text.`, {
        tokens: estimate.total,
        limit: max,
        number: cutImage.image + 1,
      });
    } else if (estimate.total > max) {
      const where = estimate.cut ? { turn: estimate.cut.turn, offset: estimate.cut.offset } : { turn: null, offset: null };
      this.add('token-limit', where, `About ${estimate.total} tokens, more than model_max_length ${max}: the end is cut off and its answer is not learned.`, { tokens: estimate.total, limit: max });
    } else {
      const near = estimate.images.find((span) => span.end > max * NEAR_LIMIT);
      if (near) {
        this.add('token-limit-near', pictureAt(near.image), `About ${estimate.total} tokens with model_max_length ${max}: Picture ${near.image + 1} ends close to the cut. This is an estimate; check with the tokenizer before adding text.`, {
          tokens: estimate.total,
          limit: max,
          number: near.image + 1,
        });
      }
    }
  }
}

function turnIssueApplies(turn: Turn, issue: ShapeIssue): boolean {
  const origin = turn.origin;
  if (!origin) return false;
  switch (issue.code) {
    case 'turn-not-object':
      return turnUnchanged(turn);
    case 'from-missing':
    case 'from-not-string':
      return turn.from === origin.from;
    case 'value-missing':
    case 'value-not-string':
      return turn.value === origin.value;
    default:
      return true;
  }
}

function roleHint(from: string): string {
  const lower = from.toLowerCase();
  if (lower === 'human' || lower === 'gpt') return ' (human/gpt are ShareGPT/LLaVA names: finetune.py stops with KeyError)';
  if (lower === 'system') return ' (the system prompt is fixed; there are no system turns)';
  if (lower === 'user' || lower === 'assistant') return ', in lower case';
  return '';
}

/** What the facts about a referenced image file say is wrong with it. */
export function imageProblems(reference: ImageReference, facts: ImageFacts): DatasetProblem[] {
  const { path } = reference;
  const problems: DatasetProblem[] = [];
  const add = (code: ProblemCode, message: string, params: Record<string, string | number>): void => {
    problems.push(problem(code, reference, message, params));
  };
  const reason = facts.reason ? ` (${facts.reason})` : '';
  if (!facts.exists) {
    add('image-missing', `The image ${path} does not exist${reason}: training stops with FileNotFoundError when it reaches this sample.`, { path });
    return problems;
  }
  if (facts.decodes === false) {
    add('image-corrupt', `The image ${path} is damaged${reason}: PIL cannot read it.`, { path, reason: facts.reason ?? '' });
    return problems;
  }
  if (facts.decodes === null) add('image-unknown-format', `The image ${path} is not PNG, JPEG, GIF, BMP or WebP, so it was not checked; PIL may still read it.`, { path });
  if (facts.width !== null && facts.height !== null) {
    const pixels = facts.width * facts.height;
    const size = { path, width: facts.width, height: facts.height };
    if (pixels > 2 * PIL_MAX_IMAGE_PIXELS) add('image-too-large', `The image is ${facts.width}×${facts.height}: PIL refuses more than ${2 * PIL_MAX_IMAGE_PIXELS} pixels (DecompressionBombError). Downscale it; training sees 448×448 anyway.`, size);
    else if (pixels > PIL_MAX_IMAGE_PIXELS) add('image-large', `The image is ${facts.width}×${facts.height}: PIL warns about decompression bombs and every rank spends long decoding it. Downscale it; training sees 448×448 anyway.`, size);
  }
  if (facts.exifOrientation !== null && facts.exifOrientation !== 1) {
    add('image-exif-rotated', `The image has EXIF orientation ${facts.exifOrientation}: viewers show it rotated, but training reads it unrotated, so boxes drawn on the rotated view are wrong. Save an upright copy.`, { path, orientation: facts.exifOrientation });
  }
  return problems;
}

function checker(sample: EditableSample, index: number, conversation: ParsedConversation, options: ValidationOptions): SampleChecker {
  const check = new SampleChecker(sample, index, conversation, options.modelMaxLength ?? DEFAULT_MODEL_MAX_LENGTH, options.coordCeiling ?? DEFAULT_COORD_CEILING);
  check.run();
  return check;
}

/**
 * Every problem of one sample that needs no file, plus the local images it uses (judge them
 * with imageProblems once probed). Duplicate ids need the whole list: see DuplicateIds.
 * Parses the sample afresh, for checking many samples once; the editor wants validateSample.
 */
export function inspectSample(sample: EditableSample, index: number, options: ValidationOptions = {}): { problems: DatasetProblem[]; images: ImageReference[] } {
  const check = checker(sample, index, parseConversation(sample.turns.map((turn) => turn.value)), options);
  return { problems: check.problems, images: check.images };
}

/** Every problem of one sample but duplicate ids, with image facts from `images` (a path it
 * has no facts for is not judged). Reuses the sample's parse from viewSample. */
export function validateSample(sample: EditableSample, index: number, images?: ImageFactsLookup, options: ValidationOptions = {}): DatasetProblem[] {
  const check = checker(sample, index, conversationOf(sample), options);
  const problems = check.problems;
  for (const reference of check.images) {
    const facts = images?.(reference.path);
    if (facts) problems.push(...imageProblems(reference, facts));
  }
  return problems;
}

/** Finds repeated string ids, sample by sample. */
export class DuplicateIds {
  private readonly first = new Map<string, number>();

  /** The problem when `sample` repeats an earlier id, else null. */
  check(sample: EditableSample, index: number): DatasetProblem | null {
    if (typeof sample.id !== 'string') return null;
    const earlier = this.first.get(sample.id);
    if (earlier === undefined) {
      this.first.set(sample.id, index);
      return null;
    }
    return problem('id-duplicate', { sample: index, id: sample.id, turn: null, offset: null }, `The id "${sample.id}" is already used by sample ${earlier}.`, { first: earlier });
  }
}

/** All problems of a dataset: the file's own (from openDataset), then each sample's, sorted. */
export function validateDataset(samples: readonly EditableSample[], fileProblems: readonly DatasetProblem[], images?: ImageFactsLookup, options: ValidationOptions = {}): DatasetProblem[] {
  const problems = [...fileProblems];
  const duplicates = new DuplicateIds();
  samples.forEach((sample, index) => {
    const duplicate = duplicates.check(sample, index);
    if (duplicate) problems.push(duplicate);
    for (const entry of validateSample(sample, index, images, options)) problems.push(entry);
  });
  return problems.sort(compareProblems);
}
