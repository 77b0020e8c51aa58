import type { WebPreferences } from 'electron';
import { resolveContainedPath } from '../services/fs/containedPath';

/**
 * The window's security rules as plain functions, so they are unit-tested without Electron.
 * Only type imports from 'electron' here: importing it at run time would start its download.
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const APP_HOST = 'renderer';

/**
 * Node's URL gives custom schemes an opaque origin ("null"), so compare scheme and host, not
 * `origin`: `app://renderer.evil/` and `app://user@renderer/` must not pass.
 */
function isAppLocation(parsed: URL | undefined): parsed is URL {
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

export function isAppUrl(url: string): boolean {
  return isAppLocation(parse(url));
}

/** Links leave the app only as https, and only to the OS browser. */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
}

/** IPC is answered only for our own page's top frame, never for an iframe or a foreign page. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Writing to the clipboard on a user gesture is all the renderer may ask for. */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** `app://renderer/<path>` to a file inside the built renderer, or undefined if it escapes. */
export function resolveAppAsset(root: string, url: string): string | undefined {
  const parsed = parse(url);
  return isAppLocation(parsed) ? resolveContainedPath(root, parsed.pathname) : undefined;
}

/** `--lang en` or `--lang=zh` among the process arguments. */
export function launchLanguageArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang') return argv[i + 1];
    if (arg?.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}
