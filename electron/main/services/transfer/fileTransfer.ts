import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import type { SshSession } from '../ssh/sshSession';
import { BufferPool } from './bufferPool';
import { CHUNK_BYTES, MAX_REQUESTS_IN_FLIGHT, pumpChunks, RESUME_REWIND_BYTES } from './chunkPump';
import { downloadLane, uploadLane } from './laneCopies';
import { sha256File } from './localHash';
import { partPath, remoteSha256, TransferError } from './remoteFiles';
import { RemoteFileHasher, segmentCount } from './segmentHashes';
import { sftpClose, sftpOpen, sftpRead, sftpReplace, sftpStat, sftpTruncate, sftpUnlink } from './sftpOps';
import type { WorkerConnection } from './workerConnection';

export interface FileTransferResult {
  bytes: number;
  /** Bytes that crossed the link this time. */
  sent: number;
  resumedFrom: number;
  sha256: string;
  verified: boolean;
  skipped: boolean;
}

export interface FileTransferOptions {
  session: SshSession;
  /** One SFTP channel per lane; big files use several so one SSH window does not cap the rate. */
  lanes: SFTPWrapper[];
  /** Uploads only: connections of their own (worker threads) that carry the bytes instead of `lanes`. */
  connections?: WorkerConnection[];
  /** Default: the pump's whole window shared among the lanes. */
  requestsPerLane?: number;
  onBytes: (bytes: number) => void;
  /** Bytes a resume found already in place, reported once before the copy starts. */
  onResumed?: (bytes: number) => void;
  signal?: AbortSignal | undefined;
  /** A hash the caller already has for the local file (from the skip check). */
  knownLocalSha256?: Promise<string> | undefined;
}

/** Bytes just before the resume point compared with the local file, to catch a stale partial from another file. */
const RESUME_PROBE_BYTES = 1024 * 1024;

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TransferError('cancelled', 'Cancelled.');
}

/** Reads into a buffer at a file position; resolves with the bytes read (0 at end of file). */
type ReadAt = (into: Buffer, position: number) => Promise<number>;

function localReader(local: FileHandle): ReadAt {
  return (into, position) => local.read(into, 0, into.length, position).then((r) => r.bytesRead);
}

function remoteReader(sftp: SFTPWrapper, handle: Buffer): ReadAt {
  return (into, position) => sftpRead(sftp, handle, into, into.length, position);
}

async function sameBytes(readLocal: ReadAt, readRemote: ReadAt, position: number, length: number): Promise<boolean> {
  const local = Buffer.allocUnsafe(length);
  const remote = Buffer.allocUnsafe(length);
  for (let done = 0; done < length; ) {
    const [a, b] = await Promise.all([readLocal(local.subarray(done), position + done), readRemote(remote.subarray(done), position + done)]);
    if (a === 0 || a !== b || !local.subarray(done, done + a).equals(remote.subarray(done, done + b))) return false;
    done += a;
  }
  return true;
}

/** Where a resume may start: a little before the partial's end, if what precedes it matches. */
async function resumeOffset(partSize: number, total: number, local: ReadAt, remote: ReadAt): Promise<number> {
  if (partSize <= 0 || partSize > total) return 0;
  const offset = Math.max(0, Math.floor((partSize - RESUME_REWIND_BYTES) / CHUNK_BYTES) * CHUNK_BYTES);
  if (offset === 0) return 0;
  const probe = Math.min(RESUME_PROBE_BYTES, offset);
  return (await sameBytes(local, remote, offset - probe, probe)) ? offset : 0;
}

export interface SentFile {
  remotePath: string;
  part: string;
  localSha256: Promise<string>;
  /** Files over one segment are hashed on the server during the upload; smaller ones by `settleUploads`. */
  remoteSha256?: RemoteFileHasher;
  result: Omit<FileTransferResult, 'sha256' | 'verified'>;
}

/**
 * Sends one file into a hidden `.name.qvl-part` beside its target, resuming a partial that is
 * there (never truncating it). `settleUploads` then verifies and moves it into place.
 */
export async function sendToPart(localPath: string, remotePath: string, options: FileTransferOptions): Promise<SentFile> {
  const { lanes, signal } = options;
  const main = lanes[0];
  if (!main) throw new RangeError('sendToPart needs at least one SFTP lane');
  const size = (await stat(localPath)).size;
  const part = partPath(remotePath);
  const localSha256 = options.knownLocalSha256 ?? sha256File(localPath, signal);
  // The hash is read concurrently with the upload; make sure a failure there is never unhandled.
  localSha256.catch(() => undefined);

  const local = await open(localPath, 'r');
  let remoteHasher: RemoteFileHasher | undefined;
  try {
    const partStat = await sftpStat(main, part);
    let resumedFrom = 0;
    if (partStat?.isFile()) {
      const probeHandle = await sftpOpen(main, part, 'r');
      try {
        resumedFrom = await resumeOffset(partStat.size, size, localReader(local), remoteReader(main, probeHandle));
      } finally {
        await sftpClose(main, probeHandle);
      }
    }
    throwIfCancelled(signal);
    options.onResumed?.(resumedFrom);

    // 'r+' writes in place without truncating what is there; 'w' only creates a missing file.
    // The first lane creates a missing partial before the others open it.
    const first = { sftp: main, handle: await sftpOpen(main, part, partStat ? 'r+' : 'w') };
    if (segmentCount(size) > 1) remoteHasher = new RemoteFileHasher(options.session, part, size, signal);
    // Connections of their own carry the bytes where there are any; the session's other channels then rest.
    const connections = options.connections ?? [];
    const others = connections.length ? [] : lanes.slice(1);
    const handles = [first, ...(await Promise.all(others.map((sftp) => sftpOpen(sftp, part, 'r+').then((handle) => ({ sftp, handle })))))];
    let sent = 0;
    const written = new ContiguousPrefix(resumedFrom);
    remoteHasher?.written(resumedFrom);
    const buffers = new BufferPool(CHUNK_BYTES);
    try {
      const remoteLanes = await Promise.all(connections.map((connection) => connection.openUpload(localPath, part)));
      const pumpLanes = remoteLanes.length ? remoteLanes : handles.map(({ sftp, handle }) => uploadLane(local, localPath, sftp, handle, buffers));
      await pumpChunks({
        start: resumedFrom,
        end: size,
        lanes: pumpLanes,
        requestsPerLane: options.requestsPerLane ?? Math.max(1, Math.floor(MAX_REQUESTS_IN_FLIGHT / pumpLanes.length)),
        onChunk: (offset, bytes) => {
          sent += bytes;
          options.onBytes(bytes);
          remoteHasher?.written(written.add(offset, bytes));
        },
        signal,
      });
      throwIfCancelled(signal);
      // A stale partial longer than this file is cut back only now, after every byte is written.
      if (partStat && partStat.size > size) await sftpTruncate(main, first.handle, size);
    } finally {
      await Promise.allSettled([...handles.map(({ sftp, handle }) => sftpClose(sftp, handle)), ...connections.map((connection) => connection.closeFile())]);
    }
    return { remotePath, part, localSha256, ...(remoteHasher ? { remoteSha256: remoteHasher } : {}), result: { bytes: size, sent, resumedFrom, skipped: false } };
  } catch (error) {
    remoteHasher?.abandon();
    throw error;
  } finally {
    await local.close();
  }
}

/**
 * Verifies sent files with one `sha256sum` for all the small ones (one round trip, not one per
 * image of a dataset) and the hash a big one's server side computed during the upload, then
 * renames each over its target in one step. A partial that does not match is deleted, since it
 * would pass the next resume probe and fail again.
 */
export async function settleUploads(session: SshSession, sftp: SFTPWrapper, sent: SentFile[], signal?: AbortSignal): Promise<FileTransferResult[]> {
  // Every big file's server side is told to finish before anything here can fail.
  const streamed = new Map(sent.map((file) => [file, file.remoteSha256?.finish()]));
  const remote = await remoteSha256(session, sent.filter((file) => !file.remoteSha256).map((file) => file.part), signal);
  const results: FileTransferResult[] = [];
  const failures: string[] = [];
  await Promise.all(
    sent.map(async (file) => {
      const expected = await file.localSha256;
      const actual = file.remoteSha256 ? await streamed.get(file) : remote.get(file.part);
      if (actual !== expected) {
        const mismatch = `sha256 ${actual ?? 'missing'} on the server, ${expected} here`;
        await sftpUnlink(sftp, file.part).catch(() => undefined);
        failures.push(`${file.remotePath}: the uploaded copy does not match (${mismatch}).`);
        return;
      }
      await sftpReplace(sftp, file.part, file.remotePath);
      results.push({ ...file.result, sha256: expected, verified: true });
    }),
  );
  if (failures.length) throw new TransferError('verify-failed', `${failures.join('\n')}\nUpload again.`);
  return results;
}

/** Tracks how far from the start every byte has been written, as chunks complete out of order. */
class ContiguousPrefix {
  private readonly pending = new Map<number, number>();
  constructor(private end: number) {}

  add(offset: number, length: number): number {
    this.pending.set(offset, length);
    for (let next = this.pending.get(this.end); next !== undefined; next = this.pending.get(this.end)) {
      this.pending.delete(this.end);
      this.end += next;
    }
    return this.end;
  }
}

/** Uploads one file: sent, verified by sha256 on both ends, then moved into place atomically. */
export async function uploadFile(localPath: string, remotePath: string, options: FileTransferOptions): Promise<FileTransferResult> {
  const sent = await sendToPart(localPath, remotePath, options);
  const [result] = await settleUploads(options.session, options.lanes[0] as SFTPWrapper, [sent], options.signal);
  return result as FileTransferResult;
}

/**
 * Downloads one file into `name.qvl-part` beside the local target, resumable, verified against
 * the server's sha256 (computed there while the bytes travel), then renamed into place.
 */
export async function downloadFile(remotePath: string, localPath: string, options: FileTransferOptions): Promise<FileTransferResult> {
  const { session, lanes, signal } = options;
  const main = lanes[0];
  if (!main) throw new RangeError('downloadFile needs at least one SFTP lane');
  const remoteStat = await sftpStat(main, remotePath);
  if (!remoteStat?.isFile()) throw new TransferError('remote-command', `${remotePath} is not a file on the server.`);
  const size = remoteStat.size;
  const remoteHash = remoteSha256(session, [remotePath], signal).then((hashes) => hashes.get(remotePath));
  remoteHash.catch(() => undefined);

  const part = `${localPath}.qvl-part`;
  const partSize = await stat(part).then(
    (info) => info.size,
    () => -1,
  );
  const local = await open(part, partSize >= 0 ? 'r+' : 'w');
  const handles = await Promise.all(lanes.map((sftp) => sftpOpen(sftp, remotePath, 'r').then((handle) => ({ sftp, handle }))));
  let sent = 0;
  let resumedFrom = 0;
  const buffers = new BufferPool(CHUNK_BYTES);
  try {
    const first = handles[0];
    if (partSize > 0 && first) resumedFrom = await resumeOffset(partSize, size, localReader(local), remoteReader(first.sftp, first.handle));
    options.onResumed?.(resumedFrom);
    await pumpChunks({
      start: resumedFrom,
      end: size,
      lanes: handles.map(({ sftp, handle }) => downloadLane(remotePath, sftp, handle, local, buffers)),
      requestsPerLane: options.requestsPerLane ?? Math.max(1, Math.floor(MAX_REQUESTS_IN_FLIGHT / lanes.length)),
      onChunk: (_offset, bytes) => {
        sent += bytes;
        options.onBytes(bytes);
      },
      signal,
    });
    throwIfCancelled(signal);
    await local.sync();
  } finally {
    await Promise.allSettled(handles.map(({ sftp, handle }) => sftpClose(sftp, handle)));
    await local.close();
  }
  if (partSize > size) await truncate(part, size);
  const [expected, actual] = await Promise.all([remoteHash, sha256File(part, signal)]);
  if (expected !== actual) {
    await rm(part, { force: true });
    throw new TransferError('verify-failed', `${remotePath}: the downloaded copy does not match the server's sha256. Download it again.`);
  }
  await rename(part, localPath);
  return { bytes: size, sent, resumedFrom, sha256: actual, verified: true, skipped: false };
}
