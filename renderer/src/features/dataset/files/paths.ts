// Paths of the machine running the main process, as strings: the page has no `path` module, and
// the main process may be Windows (backslashes) while the page is not.

function separatorOf(path: string): '/' | '\\' {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

export function joinPath(dir: string, name: string): string {
  const separator = separatorOf(dir);
  return dir.endsWith(separator) ? dir + name : dir + separator + name;
}

/** The folder part and the last name of a path ("" folder for a bare name). */
export function splitPath(path: string): { dir: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut === -1) return { dir: '', name: path };
  return { dir: cut === 0 ? path.slice(0, 1) : path.slice(0, cut), name: path.slice(cut + 1) };
}

/** `path` relative to `folder` when it lies inside it, else `path` itself (images keep working from the dataset's folder). */
export function relativeTo(folder: string, path: string): string {
  const separator = separatorOf(folder);
  const prefix = folder.endsWith(separator) ? folder : folder + separator;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const IMAGE_NAME = /\.(?:png|jpe?g|gif|bmp|webp)$/i;

export function isImageName(name: string): boolean {
  return IMAGE_NAME.test(name);
}

export function isJsonName(name: string): boolean {
  return /\.json$/i.test(name);
}
