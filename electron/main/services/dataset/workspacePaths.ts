/**
 * Where a dataset's image paths point on this machine, and how a new one is written. A relative
 * path resolves against the dataset file's folder (the CLI's default `--root`); an image inside
 * that folder is written relative to it with forward slashes, so the dataset and its images can
 * move together (and upload together, see workspaceUploadPlan.ts); any other image is absolute.
 */

import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isRemoteImagePath } from '../../../../shared/dataset/imageFacts';
import type { ParsedConversation } from '../../../../shared/dataset/conversationCodec';
import { parseConversation } from '../../../../shared/dataset/conversationCodec';
import type { EditableSample, Turn } from '../../../../shared/dataset/sampleModel';

/** The absolute local file a path written in a sample stands for; null for an http(s) URL. */
export function resolveImagePath(datasetFolder: string, written: string): string | null {
  if (isRemoteImagePath(written)) return null;
  return isAbsolute(written) ? resolve(written) : join(datasetFolder, written);
}

/** True when `path` is `folder` itself or lies under it (both absolute). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** How a sample refers to the image at `absolute`. */
export function writtenImagePath(datasetFolder: string, absolute: string): string {
  if (!isInside(datasetFolder, absolute)) return absolute;
  return relative(datasetFolder, absolute).split(sep).join('/');
}

/**
 * The sample with each image path replaced by `rewrite`'s answer (null: keep it). Only the changed
 * turns change (keeping their origin, so saving splices just the value); box hints after a
 * rewritten path move with the text.
 */
export function rewriteImagePaths(sample: EditableSample, rewrite: (written: string) => string | null, parsed: ParsedConversation = parseConversation(sample.turns.map((turn) => turn.value))): EditableSample {
  if (parsed.pictures.length === 0) return sample;
  let changed = false;
  const turns: Turn[] = sample.turns.map((turn, index) => {
    const edits: Array<{ start: number; end: number; text: string }> = [];
    for (const { turn: at, segment } of parsed.pictures) {
      if (at !== index) continue;
      const next = rewrite(segment.path);
      if (next !== null && next !== segment.path) edits.push({ start: segment.pathStart, end: segment.pathEnd, text: next });
    }
    if (edits.length === 0) return turn;
    changed = true;
    let value = '';
    let at = 0;
    for (const edit of edits) {
      value += turn.value.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    value += turn.value.slice(at);
    const shift = (offset: number): number => edits.reduce((moved, edit) => (edit.end <= offset ? moved + edit.text.length - (edit.end - edit.start) : moved), 0);
    const pixelHints = turn.pixelHints?.map((hint) => ({ ...hint, start: hint.start + shift(hint.start) }));
    return { ...turn, value, ...(pixelHints && { pixelHints }) };
  });
  return changed ? { ...sample, turns } : sample;
}
