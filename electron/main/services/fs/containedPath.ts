import { resolve, sep } from 'node:path';

/**
 * Maps a URL pathname (still percent-encoded) to a file inside `root`, or undefined when it would
 * escape (`..`, encoded separators, backslashes, NUL). `/` is `index.html`.
 */
export function resolveContainedPath(root: string, urlPathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${decoded === '/' ? '/index.html' : decoded}`);
  return file.startsWith(base + sep) ? file : undefined;
}
