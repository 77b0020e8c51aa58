/**
 * "Write an upright copy" of an image whose EXIF rotation training ignores: the renderer sends the
 * pixels turned upright (Chromium decodes with the tag applied and re-encodes, so no native image
 * library is needed here); this checks them against the original, writes them beside it under a
 * new name (never over a file), and points the sample at the copy with its boxes turned along,
 * as one edit. The original file is left as it is.
 */

import { open, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ApiError } from '../../../../shared/api/apiError';
import { pointAtUprightCopy, uprightSize } from '../../../../shared/dataset/exifUpright';
import { conversationOf } from '../../../../shared/dataset/sampleModel';
import type { EditResult } from '../../../../shared/dataset/workspaceApi';
import { probeImageSync } from './imageProbe';
import type { DatasetWorkspace } from './workspace';
import { toWireSample } from './workspaceWire';

export type UprightCopyMime = 'image/png' | 'image/jpeg' | 'image/webp';

const EXTENSIONS: Record<UprightCopyMime, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp' };
/** Names tried beside the original: name.upright.jpg, name.upright-2.jpg, … */
const NAMES_TRIED = 100;

/** Writes `bytes` to a new file beside `original`; returns its name. */
async function writeBeside(original: string, extension: string, bytes: Uint8Array): Promise<string> {
  const stem = basename(original, extname(original));
  for (let attempt = 1; attempt <= NAMES_TRIED; attempt++) {
    const name = `${stem}.upright${attempt === 1 ? '' : `-${attempt}`}${extension}`;
    let handle;
    try {
      handle = await open(join(dirname(original), name), 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new ApiError('cannot-write', `Cannot write beside ${original}: ${(error as Error).message}`);
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return name;
  }
  throw new ApiError('cannot-write', `Every name up to ${stem}.upright-${NAMES_TRIED}${extension} is taken beside ${original}.`);
}

export async function writeUprightCopy(workspace: DatasetWorkspace, index: number, written: string, mime: UprightCopyMime, bytes: Uint8Array): Promise<EditResult> {
  const sample = workspace.snapshot().samples[index];
  if (!sample) throw new ApiError('not-found', `There is no sample ${index}.`);
  const picture = conversationOf(sample).pictures.find(({ segment }) => segment.path === written);
  const original = workspace.servableImage(written);
  if (!picture || original === null) throw new ApiError('forbidden', `${written} is not a picture of sample ${index}.`);
  const facts = probeImageSync(original);
  const orientation = facts.exifOrientation ?? 1;
  if (orientation === 1 || facts.width === null || facts.height === null) throw new ApiError('invalid-input', `${written} has no EXIF rotation to bake in.`);
  const stored = { width: facts.width, height: facts.height };

  const name = await writeBeside(original, EXTENSIONS[mime], bytes);
  const copy = join(dirname(original), name);
  const copyPath = written.slice(0, written.length - basename(written).length) + name;
  try {
    // What arrived must be this image turned upright, and read that way by training too.
    const made = probeImageSync(copy);
    const expected = uprightSize(stored, orientation);
    if (!made.decodes || made.width !== expected.width || made.height !== expected.height || (made.exifOrientation ?? 1) !== 1) {
      throw new ApiError('invalid-input', `The copy is not ${written} turned upright (${expected.width}×${expected.height} without EXIF rotation); it was not kept.`);
    }
    const pointed = pointAtUprightCopy(sample, picture.segment.image, copyPath, stored, orientation);
    if ('error' in pointed) throw new ApiError('invalid-input', `Cannot point the sample at an upright copy: ${pointed.error}.`);
    // From here the sample uses the copy (even if the journal then fails, the edit is in memory).
    return workspace.update(index, toWireSample(pointed));
  } catch (error) {
    await rm(copy, { force: true });
    throw error;
  }
}
