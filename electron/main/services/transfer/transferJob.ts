import { mkdir, readdir, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import type { SshSession } from '../ssh/sshSession';
import { downloadFile, sendToPart, settleUploads } from './fileTransfer';
import type { FileTransferResult } from './fileTransfer';
import { sha256File } from './localHash';
import { partPath, remoteFreeBytes, remoteMkdirs, remoteSha256, TransferError } from './remoteFiles';
import { ProgressMeter } from './progressMeter';
import type { TransferProgress } from './progressMeter';
import { sftpReaddir, sftpStat } from './sftpOps';
import { TransferLinks } from './transferLinks';
import type { ExtraConnections } from './transferLinks';

export type { TransferProgress } from './progressMeter';

export interface TransferSummary {
  bytes: number;
  sent: number;
  resumedFrom: number;
  /** For a single file; null for a folder. */
  sha256: string | null;
  verified: boolean;
  seconds: number;
  files: number;
  skipped: number;
}

export interface TransferJobOptions {
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
  /** SFTP channels per connection (sshd's MaxSessions is 10 by default); default: from the RTT. */
  channels?: number;
  /** Uploads only: connections of their own for the big files; default: the session alone. */
  connections?: ExtraConnections;
}

interface PlannedFile {
  source: string;
  target: string;
  size: number;
}

/** Files at least this big get every channel (uploads: the extra connections); smaller ones share the session's, one each. */
const BIG_FILE_BYTES = 32 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 200;

async function listLocal(root: string): Promise<Array<{ path: string; size: number }>> {
  const info = await stat(root);
  if (info.isFile()) return [{ path: root, size: info.size }];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: Array<{ path: string; size: number }> = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    // stat follows symlinks to files; links to folders are not walked (readdir lists them as links), so no loops.
    const info = entry.isFile() || entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : undefined;
    if (info?.isFile()) files.push({ path, size: info.size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function listRemote(sftp: SFTPWrapper, root: string): Promise<Array<{ path: string; size: number }>> {
  const info = await sftpStat(sftp, root);
  if (!info) throw new TransferError('remote-command', `${root} does not exist on the server.`);
  if (info.isFile()) return [{ path: root, size: info.size }];
  const files: Array<{ path: string; size: number }> = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await sftpReaddir(sftp, dir)) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && !entry.name.endsWith('.qvl-part')) files.push({ path, size: entry.size });
    }
  };
  await walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Runs a job on fresh SFTP channels; a failure caused by a link dropping says so, and how to resume. */
async function withLinks<T>(session: SshSession, options: TransferJobOptions, work: (links: TransferLinks) => Promise<T>): Promise<T> {
  const links = await TransferLinks.open(session, options.channels, options.connections);
  try {
    return await work(links);
  } catch (error) {
    if (options.signal?.aborted) throw new TransferError('cancelled', 'Cancelled. Start the transfer again to resume it.');
    if (links.dropped) throw new TransferError('interrupted', 'The connection dropped during the transfer. Start it again to resume where it stopped.');
    throw error;
  } finally {
    links.close();
  }
}

/** Small files go in groups: sent side by side, then verified together in one round trip. */
const SMALL_FILE_GROUP = 16;

type Assigned = { file: PlannedFile; lanes: SFTPWrapper[] };

/** Groups the files: a big one alone on every lane, small ones together, one lane each in turn. */
function groupFiles(files: PlannedFile[], lanes: SFTPWrapper[]): Assigned[][] {
  const groups: Assigned[][] = [];
  let small: Assigned[] = [];
  const flush = () => {
    if (small.length) groups.push(small);
    small = [];
  };
  for (const file of files) {
    if (file.size >= BIG_FILE_BYTES) {
      flush();
      groups.push([{ file, lanes }]);
      continue;
    }
    small.push({ file, lanes: [lanes[small.length % lanes.length] as SFTPWrapper] });
    if (small.length === SMALL_FILE_GROUP) flush();
  }
  flush();
  return groups;
}

async function runGroups(groups: Assigned[][], meter: ProgressMeter, move: (group: Assigned[]) => Promise<FileTransferResult[]>): Promise<FileTransferResult[]> {
  const results: FileTransferResult[] = [];
  for (const group of groups) {
    meter.fileStarted(group[0]?.file.source ?? '');
    const done = await move(group);
    for (let i = 0; i < done.length; i++) meter.fileDone();
    results.push(...done);
  }
  return results;
}

function summarize(results: FileTransferResult[], skipped: number, started: number, single: boolean): TransferSummary {
  return {
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
    sent: results.reduce((sum, r) => sum + r.sent, 0),
    resumedFrom: results.reduce((sum, r) => sum + r.resumedFrom, 0),
    sha256: single ? (results[0]?.sha256 ?? null) : null,
    verified: results.every((r) => r.verified),
    seconds: (performance.now() - started) / 1000,
    files: results.length,
    skipped,
  };
}

function withProgress<T>(meter: ProgressMeter, onProgress: ((progress: TransferProgress) => void) | undefined, work: () => Promise<T>): Promise<T> {
  if (!onProgress) return work();
  const timer = setInterval(() => onProgress(meter.snapshot()), PROGRESS_INTERVAL_MS);
  return work().finally(() => {
    clearInterval(timer);
    onProgress(meter.snapshot());
  });
}

/**
 * Uploads a file or a whole folder. Like scp: into `remote` when it is an existing folder or ends
 * with '/', else as `remote`. Identical files are skipped, free space is checked first, and each
 * file resumes, verifies and lands atomically (see fileTransfer.ts).
 */
export async function uploadPath(session: SshSession, local: string, remote: string, options: TransferJobOptions = {}): Promise<TransferSummary> {
  const started = performance.now();
  return withLinks(session, options, async (links) => {
    const main = links.main;
    const remoteInfo = await sftpStat(main, remote);
    const base = remote.endsWith('/') || remoteInfo?.isDirectory() ? posix.join(remote, basename(local)) : remote;
    const localInfo = await stat(local);
    const sources = await listLocal(local);
    const files = sources.map(({ path, size }) => ({
      source: path,
      target: localInfo.isFile() ? base : posix.join(base, ...relative(local, path).split(sep)),
      size,
    }));
    // Big files go over connections of their own: they log in while the job is planned.
    const widening = files.some((file) => file.size >= BIG_FILE_BYTES) ? links.widen() : undefined;

    // Same size on the server: compare hashes, and skip what is already there.
    const targets = await Promise.all(files.map((file) => sftpStat(main, file.target)));
    const sameSize = files.filter((file, i) => targets[i]?.isFile() && targets[i]?.size === file.size);
    const knownHashes = new Map(sameSize.map((file) => [file.source, sha256File(file.source, options.signal)]));
    const remoteHashes = await remoteSha256(session, sameSize.map((file) => file.target), options.signal);
    const identical = new Set<string>();
    for (const file of sameSize) if (remoteHashes.get(file.target) === (await knownHashes.get(file.source))) identical.add(file.source);
    const todo = files.filter((file) => !identical.has(file.source));

    const parts = await Promise.all(todo.map((file) => sftpStat(main, partPath(file.target))));
    const need = todo.reduce((sum, file, i) => sum + Math.max(0, file.size - (parts[i]?.size ?? 0)), 0);
    const free = await remoteFreeBytes(session, posix.dirname(base));
    if (free !== undefined && need > free) {
      throw new TransferError('no-space', `Not enough space on the server: ${formatBytes(need)} to upload, ${formatBytes(free)} free under ${posix.dirname(base)}.`);
    }
    await remoteMkdirs(session, todo.map((file) => posix.dirname(file.target)));

    await widening;
    const meter = new ProgressMeter(todo.reduce((sum, file) => sum + file.size, 0), todo.length);
    const results = await withProgress(meter, options.onProgress, () =>
      runGroups(groupFiles(todo, links.lanes), meter, async (group) => {
        const sent = await Promise.all(
          group.map(({ file, lanes: fileLanes }) =>
            sendToPart(file.source, file.target, {
              session,
              lanes: fileLanes,
              connections: file.size >= BIG_FILE_BYTES ? links.workers : [],
              onBytes: (b) => meter.add(b),
              onResumed: (b) => meter.add(b),
              signal: options.signal,
              knownLocalSha256: knownHashes.get(file.source),
            }),
          ),
        );
        return settleUploads(session, main, sent, options.signal);
      }),
    );
    const skipped = files.filter((file) => identical.has(file.source));
    const skippedResults = await Promise.all(
      skipped.map(async (file) => ({ bytes: file.size, sent: 0, resumedFrom: 0, sha256: await (knownHashes.get(file.source) as Promise<string>), verified: true, skipped: true })),
    );
    return summarize([...results, ...skippedResults], skipped.length, started, localInfo.isFile());
  });
}

/** Downloads a remote file or folder; the local side mirrors uploadPath's rules. */
export async function downloadPath(session: SshSession, remote: string, local: string, options: TransferJobOptions = {}): Promise<TransferSummary> {
  const started = performance.now();
  return withLinks(session, options, async (links) => {
    const main = links.main;
    const localInfo = await stat(local).catch(() => undefined);
    const base = local.endsWith(sep) || localInfo?.isDirectory() ? join(local, posix.basename(remote)) : local;
    const sources = await listRemote(main, remote);
    const single = sources.length === 1 && sources[0]?.path === remote;
    const files = sources.map(({ path, size }) => ({ source: path, target: single ? base : join(base, ...posix.relative(remote, path).split('/')), size }));

    const existing = await Promise.all(files.map((file) => stat(file.target).catch(() => undefined)));
    const sameSize = files.filter((file, i) => existing[i]?.isFile() && existing[i]?.size === file.size);
    const remoteHashes = await remoteSha256(session, sameSize.map((file) => file.source), options.signal);
    const identical = new Set<string>();
    for (const file of sameSize) if (remoteHashes.get(file.source) === (await sha256File(file.target, options.signal))) identical.add(file.source);
    const todo = files.filter((file) => !identical.has(file.source));

    const need = todo.reduce((sum, file) => sum + file.size, 0);
    await mkdir(dirname(base), { recursive: true });
    const fs = await statfs(dirname(base));
    const free = fs.bavail * fs.bsize;
    if (need > free) throw new TransferError('no-space', `Not enough space here: ${formatBytes(need)} to download, ${formatBytes(free)} free in ${dirname(base)}.`);
    await Promise.all(todo.map((file) => mkdir(dirname(file.target), { recursive: true })));

    const meter = new ProgressMeter(need, todo.length);
    const results = await withProgress(meter, options.onProgress, () =>
      runGroups(groupFiles(todo, links.lanes), meter, (group) =>
        Promise.all(
          group.map(({ file, lanes: fileLanes }) =>
            downloadFile(file.source, file.target, { session, lanes: fileLanes, onBytes: (b) => meter.add(b), onResumed: (b) => meter.add(b), signal: options.signal }),
          ),
        ),
      ),
    );
    const skipped = files.filter((file) => identical.has(file.source));
    const skippedResults = skipped.map((file) => ({ bytes: file.size, sent: 0, resumedFrom: 0, sha256: remoteHashes.get(file.source) ?? '', verified: true, skipped: true }));
    return summarize([...results, ...skippedResults], skipped.length, started, single);
  });
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
