import { BrowserWindow, screen, session, shell } from 'electron';
import type { ElectronStoreSettings, WindowBounds } from '../platform/electronStoreSettings';
import { APP_ENTRY_URL, buildWebPreferences, isAppUrl, isPermissionAllowed, isSafeExternalUrl } from '../security/policy';

const DEFAULT_SIZE = { width: 1440, height: 900 };

/** Restores saved bounds only if they still overlap a connected display (monitors come and go). */
function visibleBounds(saved: WindowBounds | undefined): Partial<WindowBounds> {
  if (!saved || saved.x === undefined || saved.y === undefined) return saved ? { width: saved.width, height: saved.height } : DEFAULT_SIZE;
  const { x, y, width, height } = saved;
  const onScreen = screen.getAllDisplays().some(({ workArea: area }) => x < area.x + area.width && x + width > area.x && y < area.y + area.height && y + height > area.y);
  return onScreen ? saved : { width, height };
}

/** Deny every permission and navigation by default, for all content in the app's session. */
export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}

export function createMainWindow(preloadPath: string, store: ElectronStoreSettings): BrowserWindow {
  const saved = store.windowBounds();
  const window = new BrowserWindow({
    ...visibleBounds(saved),
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Qwen-VL Studio',
    webPreferences: buildWebPreferences(preloadPath),
  });
  if (saved?.maximized) window.maximize();

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    store.saveWindowBounds({ ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
