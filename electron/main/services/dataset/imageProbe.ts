/**
 * The ImageFacts of an image file on disk, from its header and its last few KiB (see
 * imageHeaders.ts). Missing files, folders and unreadable files become facts, not throws.
 *
 * Two drivers of the same parser: probeImage (asynchronous, for a process that must stay
 * responsive) and probeImageSync (for checking many files: on a warm cache a probe is a few
 * microseconds of system calls, several times less than the round trips through libuv's
 * thread pool cost).
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import { loneSurrogateIndex } from '../../../../shared/dataset/utf8';
import { inspectImage } from './imageHeaders';

/**
 * The bytes of a file name. A path holding lone surrogates came from Python's surrogateescape
 * (a name that is not UTF-8, "\udce9" for the byte 0xE9): those stand for raw bytes.
 */
export function fileSystemPath(path: string): string | Buffer {
  if (loneSurrogateIndex(path) === -1) return path;
  const bytes: number[] = [];
  for (const char of path) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xdc80 && code <= 0xdcff) bytes.push(code - 0xdc00);
    else bytes.push(...Buffer.from(char, 'utf8'));
  }
  return Buffer.from(bytes);
}

function facts(exists: boolean, reason: string): ImageFacts {
  return { exists, decodes: false, format: null, width: null, height: null, exifOrientation: null, reason };
}

/** Facts for a file that could not be opened or read. */
function failure(error: unknown, opening: boolean): ImageFacts {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return facts(false, 'no such file');
  if (code === 'ENOTDIR') return facts(false, 'a part of the path is not a folder');
  if (code === 'EISDIR') return facts(false, 'a folder, not a file');
  if (code === 'EACCES' || code === 'EPERM') return facts(true, 'permission denied');
  return facts(true, `cannot ${opening ? 'open' : 'read'} it: ${code ?? (error as Error).message}`);
}

function notARegularFile(isDirectory: boolean): ImageFacts {
  return isDirectory ? facts(false, 'a folder, not a file') : facts(true, 'not a regular file');
}

function bufferFor(size: number, offset: number, length: number): Buffer {
  return Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
}

export async function probeImage(path: string): Promise<ImageFacts> {
  let handle: FileHandle;
  try {
    handle = await open(fileSystemPath(path), 'r');
  } catch (error) {
    return failure(error, true);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return notARegularFile(stat.isDirectory());
    const inspection = inspectImage(stat.size);
    for (let step = inspection.next(); ; ) {
      if (step.done) return step.value;
      const buffer = bufferFor(stat.size, step.value.offset, step.value.length);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, step.value.offset);
      step = inspection.next(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    return failure(error, false);
  } finally {
    await handle.close();
  }
}

/** The first read of every synchronous probe lands here: one 64 KiB buffer instead of one per
 * file. Safe because a synchronous probe finishes before the next starts, and facts keep no bytes. */
const headScratch = Buffer.allocUnsafe(64 * 1024);

export function probeImageSync(path: string): ImageFacts {
  let fd: number;
  try {
    fd = openSync(fileSystemPath(path), 'r');
  } catch (error) {
    return failure(error, true);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return notARegularFile(stat.isDirectory());
    const inspection = inspectImage(stat.size);
    for (let step = inspection.next(), first = true; ; first = false) {
      if (step.done) return step.value;
      const { offset, length } = step.value;
      const buffer = first && length <= headScratch.length ? headScratch.subarray(0, length) : bufferFor(stat.size, offset, length);
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      step = inspection.next(buffer.subarray(0, read));
    }
  } catch (error) {
    return failure(error, false);
  } finally {
    closeSync(fd);
  }
}
