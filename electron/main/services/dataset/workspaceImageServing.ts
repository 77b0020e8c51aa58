/**
 * Image bytes for the screen. The workspace decides which paths may be read at all (only images
 * the dataset uses or its images folder holds); this reads one such file through a single open
 * handle (so what is measured is what is read), refuses anything over the size limit, and sends
 * only files whose first bytes are an image a browser shows: naming a text file in a sample does
 * not make it readable through the API.
 */

import { open } from 'node:fs/promises';
import { ApiError } from '../../../../shared/api/apiError';
import type { ImageResult } from '../../../../shared/dataset/workspaceApi';
import { MAX_SERVED_IMAGE_BYTES } from '../../../../shared/dataset/workspaceApi';
import { fileSystemPath } from './imageProbe';

/** The image type its first bytes say, or null. */
export function sniffImageMime(head: Uint8Array): ImageResult['mime'] | null {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 2) === 'BM') return 'image/bmp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export async function readServedImage(path: string): Promise<ImageResult> {
  let handle;
  try {
    handle = await open(fileSystemPath(path), 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not-found', `No image at ${path}.`);
    throw new ApiError('forbidden', `Cannot read ${path}: ${code ?? (error as Error).message}.`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ApiError('not-found', `${path} is not a file.`);
    if (stat.size > MAX_SERVED_IMAGE_BYTES) {
      throw new ApiError('too-large', `${path} is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; images over ${MAX_SERVED_IMAGE_BYTES / 1024 / 1024} MiB are not shown. Downscale it (training sees 448×448 anyway).`);
    }
    const bytes = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const content = bytes.subarray(0, filled);
    const mime = sniffImageMime(content.subarray(0, 12));
    if (!mime) throw new ApiError('forbidden', `${path} is not a PNG, JPEG, GIF, BMP or WebP image.`);
    return { mime, base64: content.toString('base64') };
  } finally {
    await handle.close();
  }
}
