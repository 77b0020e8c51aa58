/**
 * A folder of this machine for the file chooser: in browser mode the page cannot see local paths,
 * so choosing a dataset, an images folder or an export target goes through this listing. Folders
 * first, then files, in name order (numbers as numbers), hidden entries after the others; a
 * symbolic link is listed as what it points to. A huge folder is cut at MAX_FOLDER_ENTRIES.
 */

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../../../../shared/api/apiError';
import type { FolderListing } from '../../../../shared/dataset/workspaceApi';
import { MAX_FOLDER_ENTRIES } from '../../../../shared/dataset/workspaceApi';
import { nameOrder } from './workspaceImageFolder';

type Entry = FolderListing['entries'][number];

const STATS_IN_FLIGHT = 32;

async function describe(dir: string, entry: Dirent): Promise<Entry | null> {
  const path = join(dir, entry.name);
  if (entry.isDirectory()) return { name: entry.name, path, kind: 'dir', size: null };
  if (entry.isFile()) {
    const size = await stat(path).then(
      (stats) => stats.size,
      () => null,
    );
    return { name: entry.name, path, kind: 'file', size };
  }
  if (entry.isSymbolicLink()) {
    // A dangling link leads nowhere: leave it out.
    const target = await stat(path).catch(() => null);
    if (!target) return null;
    return target.isDirectory() ? { name: entry.name, path, kind: 'dir', size: null } : { name: entry.name, path, kind: 'file', size: target.size };
  }
  return null;
}

function compareEntries(a: Entry, b: Entry): number {
  const hidden = Number(a.name.startsWith('.')) - Number(b.name.startsWith('.'));
  if (hidden !== 0) return hidden;
  if (a.kind !== b.kind) return a.kind === 'dir' ? -1 : 1;
  return nameOrder(a.name, b.name);
}

export async function listFolder(dir: string): Promise<FolderListing> {
  const absolute = resolve(dir);
  let dirents: Dirent[];
  try {
    dirents = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('not-found', `No folder ${absolute}.`);
    if (code === 'ENOTDIR') throw new ApiError('not-found', `${absolute} is not a folder.`);
    throw new ApiError('forbidden', `Cannot read the folder ${absolute}: ${code ?? (error as Error).message}.`);
  }
  // Cut before measuring, in the listing's order (folders and visible names first), so a folder
  // of 100,000 files costs one listing and MAX_FOLDER_ENTRIES stats.
  const truncated = dirents.length > MAX_FOLDER_ENTRIES;
  const ordered = dirents
    .map((entry) => ({ entry, key: { name: entry.name, path: '', kind: entry.isDirectory() ? 'dir' : 'file', size: null } satisfies Entry }))
    .sort((a, b) => compareEntries(a.key, b.key))
    .slice(0, MAX_FOLDER_ENTRIES);
  const entries: Array<Entry | null> = new Array(ordered.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < ordered.length; k = next++) {
      const item = ordered[k];
      if (item) entries[k] = await describe(absolute, item.entry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(STATS_IN_FLIGHT, ordered.length) }, worker));
  const listed = entries.filter((entry): entry is Entry => entry !== null).sort(compareEntries);
  const parent = dirname(absolute);
  return { dir: absolute, parent: parent === absolute ? null : parent, entries: listed, truncated };
}
