import type { BoxSegment, QuadSegment, RefSegment, TagIssue } from '../conversationCodec';
import { parseConversation } from '../conversationCodec';
import type { QwenSample } from './qwenJson';

export interface ExportProblem {
  /** The sample's id. */
  id: string;
  message: string;
}

export interface ExportResult<R> {
  records: R[];
  problems: ExportProblem[];
}

export interface ExportMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** What a `<ref>`, `<box>` or `<quad>` becomes in the target format, given the text as written. */
export type GroundingRewrite = (segment: RefSegment | BoxSegment | QuadSegment, written: string) => string;

const keepAsWritten: GroundingRewrite = (_segment, written) => written;

function describeIssue(issue: TagIssue): string {
  switch (issue.code) {
    case 'tag-unclosed':
      return `${issue.tag} is never closed`;
    case 'tag-unopened':
      return `${issue.tag} closes nothing`;
    case 'tag-nested':
      return `${issue.tag} sits inside ${issue.inside ?? 'another tag'}`;
    case 'box-malformed':
      return `${issue.tag} does not hold integer corners like (x1,y1),(x2,y2)`;
    case 'special-token':
      return `${issue.tag} is a special token inside the text`;
  }
}

/**
 * A sample's turns as role/content messages with `<image>` where each picture was and the image
 * paths in order, or why it cannot be converted. Both toolkits expand `<image>` themselves
 * (ms-swift's Qwen-VL template writes the `Picture N: <img>…</img>\n` line back), so a picture's
 * label and the line break after it go with it. `reserved` are the target's placeholders: text
 * already holding one would be misread.
 */
export function exportMessages(sample: QwenSample, reserved: readonly string[], rewrite: GroundingRewrite = keepAsWritten): { messages: ExportMessage[]; images: string[] } | { error: string } {
  for (const [index, turn] of sample.conversations.entries()) {
    if (turn.from !== 'user' && turn.from !== 'assistant') return { error: `turn ${index + 1} is from "${String(turn.from)}"; only user and assistant turns can be converted` };
    if (typeof turn.value !== 'string') return { error: `turn ${index + 1} has no text value` };
    const expected = index % 2 === 0 ? 'user' : 'assistant';
    if (turn.from !== expected) return { error: `turn ${index + 1} is from ${turn.from}; turns must alternate user, assistant, starting with user` };
    const clash = reserved.find((placeholder) => turn.value.includes(placeholder));
    if (clash) return { error: `turn ${index + 1} already contains ${clash}, which the target format reads as a placeholder` };
  }
  if (sample.conversations.length === 0 || sample.conversations.length % 2 === 1) return { error: sample.conversations.length ? 'the conversation does not end with an assistant turn' : 'the conversation has no turns' };
  const parsed = parseConversation(sample.conversations.map((turn) => turn.value));
  const images: string[] = [];
  const messages: ExportMessage[] = [];
  for (const [index, turn] of sample.conversations.entries()) {
    const { segments, issues } = parsed.turns[index] ?? { segments: [], issues: [] };
    const [issue] = issues;
    if (issue) return { error: `turn ${index + 1}: ${describeIssue(issue)}` };
    let content = '';
    let afterPictureLine = false;
    for (const segment of segments) {
      const written = turn.value.slice(segment.start, segment.end);
      if (segment.kind === 'picture') {
        if (!segment.path.trim()) return { error: `turn ${index + 1}: an <img></img> holds no path` };
        images.push(segment.path);
        content += '<image>';
      } else if (segment.kind === 'text') {
        content += afterPictureLine && written.startsWith('\n') ? written.slice(1) : written;
      } else {
        content += rewrite(segment, written);
      }
      afterPictureLine = segment.kind === 'picture' && segment.label !== null;
    }
    messages.push({ role: turn.from, content });
  }
  return { messages, images };
}
