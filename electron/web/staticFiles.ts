import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveContainedPath } from '../main/services/fs/containedPath';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export interface StaticFile {
  path: string;
  size: number;
  contentType: string;
  /** Vite puts a content hash in every file name under assets/, so those can be cached forever. */
  immutable: boolean;
}

export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  const path = resolveContainedPath(root, urlPath);
  if (!path) return undefined;
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    return {
      path,
      size: info.size,
      contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      immutable: urlPath.startsWith('/assets/'),
    };
  } catch {
    return undefined;
  }
}

export function openStaticFile(file: StaticFile): NodeJS.ReadableStream {
  return createReadStream(file.path);
}
