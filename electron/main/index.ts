import { app, BrowserWindow, nativeTheme } from 'electron';
import { fileURLToPath } from 'node:url';
import { Language } from '../../shared/settings/settings';
import type { Settings } from '../../shared/settings/settings';
import { registerIpc } from './ipc/registerIpc';
import { installAppMenu } from './menu/appMenu';
import { ElectronStoreHosts } from './platform/electronStoreHosts';
import { ElectronStoreSettings } from './platform/electronStoreSettings';
import { SafeStorageSecretStore } from './platform/safeStorageSecrets';
import { handleAppProtocol, registerAppScheme } from './protocol/appProtocol';
import { launchLanguageArg } from './security/policy';
import { createAppBackend } from './services/appBackend';
import { lockDownSession, createMainWindow } from './window/mainWindow';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  void app.whenReady().then(async () => {
    const store = new ElectronStoreSettings();
    const lang = Language.safeParse(launchLanguageArg(process.argv));
    const backend = createAppBackend({
      runtime: 'electron',
      settings: store,
      hosts: new ElectronStoreHosts(),
      secrets: new SafeStorageSecretStore(),
      dataDir: app.getPath('userData'),
      launchLanguage: lang.success ? lang.data : null,
    });
    app.on('before-quit', () => backend.shutdown());
    // The OS title bar, menus and dialogs follow the app's theme choice.
    const applyTheme = (settings: Settings) => (nativeTheme.themeSource = settings.theme);
    applyTheme(await backend.settings.get());
    backend.events.subscribe((name, payload) => {
      if (name === 'settings:onDidChange') applyTheme(payload as Settings);
    });

    lockDownSession();
    handleAppProtocol(rendererDir);
    installAppMenu(!app.isPackaged);
    registerIpc(backend);
    mainWindow = createMainWindow(preloadPath, store);
    mainWindow.on('closed', () => (mainWindow = undefined));

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(preloadPath, store);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
