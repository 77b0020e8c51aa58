/**
 * How many tokens finetune.py makes of a sample, estimated without Qwen's tokenizer (its
 * qwen.tiktoken vocabulary lives with the 19 GB of weights). The estimate errs high, because
 * what it guards is `model_max_length`: finetune.py cuts every sample there, and a cut inside
 * an image's 258 tokens crashes training (the bos/eos assert of Qwen-VL#279).
 *
 * Qwen's BPE splits text like cl100k with one difference that matters here: every digit is its
 * own token. The rules, per run of characters:
 *   - ASCII letters: one token per 4 letters, rounded up (English averages ~4.5 per token);
 *   - each digit, each ASCII punctuation mark: one token;
 *   - a single space before a word: nothing (it joins the word); other whitespace runs: one;
 *   - CJK ideographs, kana, hangul, full-width forms: one each (common Chinese pairs are single
 *     tokens, so this counts high);
 *   - any other character in the BMP: one; outside it (emoji…): three (four UTF-8 bytes).
 * Tags: `<ref>`, `</ref>`, `<box>`, `</box>` and the like are one special token each; a picture
 * `<img>…</img>` is exactly 258 tokens whatever its path. The chat template adds the system
 * prompt (11 tokens: `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n`) and 5 per
 * turn (`<|im_start|>`, the role, `\n`, then `<|im_end|>\n` after the value).
 */

import type { ParsedConversation, Segment } from './conversationCodec';

export const TOKENS_PER_IMAGE = 258;
export const SYSTEM_PROMPT_TOKENS = 11;
export const TURN_TEMPLATE_TOKENS = 5;
export const DEFAULT_MODEL_MAX_LENGTH = 2048;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Estimated tokens of plain text `text[start, end)`. */
export function estimateTextTokens(text: string, start = 0, end = text.length): number {
  let tokens = 0;
  let k = start;
  while (k < end) {
    const code = text.charCodeAt(k);
    if (isAsciiLetter(code)) {
      const runStart = k;
      while (k < end && isAsciiLetter(text.charCodeAt(k))) k++;
      tokens += Math.ceil((k - runStart) / 4);
    } else if (isSpace(code)) {
      const runStart = k;
      while (k < end && isSpace(text.charCodeAt(k))) k++;
      const joinsWord = k - runStart === 1 && code === 0x20 && k < end && isAsciiLetter(text.charCodeAt(k));
      if (!joinsWord) tokens++;
    } else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      tokens += 3;
      k += 2;
    } else {
      // A digit, punctuation mark, CJK character or any other character of the BMP.
      tokens++;
      k++;
    }
  }
  return tokens;
}

function segmentTokens(value: string, segment: Segment): number {
  switch (segment.kind) {
    case 'text':
      return estimateTextTokens(value, segment.start, segment.end);
    case 'picture':
      return (segment.label ? estimateTextTokens(value, segment.label.start, segment.label.end) : 0) + TOKENS_PER_IMAGE;
    case 'ref':
      return 2 + estimateTextTokens(value, segment.labelStart, segment.labelEnd);
    case 'box':
    case 'quad':
      return 2 + estimateTextTokens(value, segment.contentStart, segment.contentEnd);
  }
}

export interface ImageTokenSpan {
  image: number;
  turn: number;
  /** Token positions [start, end) of `<img>…</img>` in the training sequence. */
  start: number;
  end: number;
}

export interface TokenEstimate {
  total: number;
  images: ImageTokenSpan[];
  /** Where `maxLength` falls: the turn and the start of the segment it cuts; null when it fits. */
  cut: { turn: number; offset: number } | null;
}

/** The whole training sequence of a sample: system prompt, template and every turn. */
export function estimateConversationTokens(values: readonly string[], parsed: ParsedConversation, maxLength = DEFAULT_MODEL_MAX_LENGTH): TokenEstimate {
  let position = SYSTEM_PROMPT_TOKENS;
  const images: ImageTokenSpan[] = [];
  let cut: TokenEstimate['cut'] = null;
  parsed.turns.forEach((turn, index) => {
    const value = values[index] ?? '';
    // <|im_start|>, the role and "\n" come before the value.
    position += 3;
    for (const segment of turn.segments) {
      const tokens = segmentTokens(value, segment);
      if (segment.kind === 'picture') {
        const start = position + tokens - TOKENS_PER_IMAGE;
        images.push({ image: segment.image, turn: index, start, end: start + TOKENS_PER_IMAGE });
      }
      if (!cut && position + tokens > maxLength) cut = { turn: index, offset: segment.start };
      position += tokens;
    }
    position += TURN_TEMPLATE_TOKENS - 3;
  });
  return { total: position, images, cut };
}
