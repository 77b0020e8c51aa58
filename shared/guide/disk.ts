/**
 * Free space from `df -Pk` (POSIX format: one line per file system, sizes in 1024-byte blocks),
 * and which file system each folder the guide writes to lives on. Listing every file system and
 * picking the longest mount point that contains a folder works even before the folder exists.
 */
import { sh } from '../remote/remoteCommand';
import { isWithin, normalizeAbsolutePath } from './posixPath';

export const DISK_FREE = sh`df -Pk`;

export interface DfMount {
  readonly filesystem: string;
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly availableBytes: number;
  readonly mountPoint: string;
  readonly line: string;
}

const ROW = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(?:\d+%|-)\s+(\/.*)$/;

export function parseDfPk(text: string): DfMount[] {
  return text.split(/\r?\n/).flatMap((rawLine) => {
    const line = rawLine.trimEnd();
    const match = ROW.exec(line);
    if (!match) return [];
    const [, filesystem = '', total, used, available, mountPoint = '/'] = match;
    return [{ filesystem, totalBytes: Number(total) * 1024, usedBytes: Number(used) * 1024, availableBytes: Number(available) * 1024, mountPoint, line }];
  });
}

/** The file system a path is on: the longest mount point containing it. */
export function mountFor(path: string, mounts: readonly DfMount[]): DfMount | null {
  let best: DfMount | null = null;
  for (const mount of mounts) {
    if (!isWithin(path, mount.mountPoint)) continue;
    if (!best || normalizeAbsolutePath(mount.mountPoint).length > normalizeAbsolutePath(best.mountPoint).length) best = mount;
  }
  return best;
}

export interface SpaceNeed {
  readonly path: string;
  readonly bytes: number;
}

export interface SpaceOnMount {
  /** Null when no listed file system contains the paths (df printed nothing usable). */
  readonly mount: DfMount | null;
  readonly paths: readonly string[];
  readonly neededBytes: number;
}

/** Needs on the same file system add up (the image and the weights often share the root disk). */
export function spaceByMount(needs: readonly SpaceNeed[], mounts: readonly DfMount[]): SpaceOnMount[] {
  const groups = new Map<DfMount | null, { paths: string[]; neededBytes: number }>();
  for (const need of needs) {
    const mount = mountFor(need.path, mounts);
    const group = groups.get(mount) ?? { paths: [], neededBytes: 0 };
    if (!group.paths.includes(need.path)) group.paths.push(need.path);
    group.neededBytes += need.bytes;
    groups.set(mount, group);
  }
  return [...groups].map(([mount, group]) => ({ mount, ...group }));
}

export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
