/**
 * Absolute POSIX paths as a server sees them, compared by segment: `/home/ma-user/`,
 * `/home//ma-user` and `/home/./ma-user` are one directory, and `/home/ma-userx` is not inside it.
 */

/** Collapses repeated slashes and `.` segments and drops a trailing slash (`/` stays `/`). */
export function normalizeAbsolutePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  return `/${segments.join('/')}`;
}

/** True when `path` is `dir` or below it. Both must be absolute. */
export function isWithin(path: string, dir: string): boolean {
  const inner = normalizeAbsolutePath(path);
  const outer = normalizeAbsolutePath(dir);
  return outer === '/' || inner === outer || inner.startsWith(`${outer}/`);
}
