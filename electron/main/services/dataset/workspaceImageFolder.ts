/**
 * An images folder opened with a dataset: every image file in it (recursively, hidden files and
 * folders skipped) becomes a sample unless one already uses it. The folder is read by name only,
 * one directory listing per folder and no per-file stat, so a folder of 100,000 images opens fast;
 * the files are probed later, in the background, like every other image the dataset uses.
 */

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { formatPicture } from '../../../../shared/dataset/conversationCodec';
import type { WireSample } from '../../../../shared/dataset/workspaceApi';
import { writtenImagePath } from './workspacePaths';

/** What PIL opens and annotators use; the probe judges the files themselves later. */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.gif', '.webp', '.tif', '.tiff']);

/** Name order with numbers compared as numbers (img2 before img10), as file managers show them. */
export const nameOrder = new Intl.Collator('en', { numeric: true }).compare;

/** Every image file under `folder`, absolute, in name order of their paths relative to it. */
export async function scanImageFolder(folder: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // The folder itself must be readable; a subfolder that is not is skipped like a hidden one.
      if (dir === folder) throw error;
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      // A symbolic link to an image is an image; links to folders are not followed (no loops).
      else if ((entry.isFile() || entry.isSymbolicLink()) && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
    }
  }
  const keyed = found.map((path) => ({ path, key: relative(folder, path).split(sep).join('/') }));
  keyed.sort((a, b) => nameOrder(a.key, b.key));
  return keyed.map(({ path }) => path);
}

/** The file name without its extension, as a sample id: `img_001.jpg` → `img_001`. */
function stemOf(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name) || 'image';
}

/**
 * New samples for the images no sample uses yet: one user turn naming the picture, ids from the
 * file names made unique against `takenIds` (which grows with the new ids).
 */
export function samplesForImages(images: readonly string[], datasetFolder: string, usedImages: ReadonlySet<string>, takenIds: Set<string>): WireSample[] {
  const samples: WireSample[] = [];
  for (const image of images) {
    if (usedImages.has(image)) continue;
    const stem = stemOf(image);
    let id = stem;
    for (let n = 2; takenIds.has(id); n++) id = `${stem}-${n}`;
    takenIds.add(id);
    samples.push({ id, turns: [{ from: 'user', value: formatPicture(1, writtenImagePath(datasetFolder, image)) }], reviewed: false });
  }
  return samples;
}
