import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  buildWebPreferences,
  isAppUrl,
  isPermissionAllowed,
  isSafeExternalUrl,
  isTrustedSender,
  launchLanguageArg,
  resolveAppAsset,
} from '../../../electron/main/security/policy';

describe('the Electron window policy', () => {
  it('builds sandboxed, isolated web preferences with Node off', () => {
    const prefs = buildWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs).not.toHaveProperty('experimentalFeatures');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('keeps navigation inside app://renderer, parsed rather than prefix-matched', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    for (const url of ['app://renderer.evil/index.html', 'app://user@renderer/', 'app://renderer:8080/', 'app://evil/', 'https://renderer/', 'file:///etc/passwd', 'not a url']) expect(isAppUrl(url)).toBe(false);
  });

  it('opens only plain https links externally', () => {
    expect(isSafeExternalUrl('https://support.huaweicloud.com/')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com', 'garbage'])
      expect(isSafeExternalUrl(url)).toBe(false);
  });

  it('answers IPC only from our own top frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('denies every permission but clipboard writes', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) expect(isPermissionAllowed(permission)).toBe(false);
  });

  it('serves app:// assets from inside the build only', () => {
    const root = resolve('/opt/qvl/renderer');
    expect(resolveAppAsset(root, 'app://renderer/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://renderer/assets/a.js')).toBe(join(root, 'assets', 'a.js'));
    // The URL parser itself folds dot segments (even %2e%2e) at the root...
    expect(resolveAppAsset(root, 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    // ...and encoded separators, which it leaves alone, are caught by the containment check.
    expect(resolveAppAsset(root, 'app://renderer/..%2f..%2fetc/passwd')).toBeUndefined();
    expect(resolveAppAsset(root, 'app://renderer/..%5c..%5cwindows')).toBeUndefined();
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeUndefined();
  });

  it('reads --lang from the command line in both spellings', () => {
    expect(launchLanguageArg(['electron', '.', '--lang', 'zh'])).toBe('zh');
    expect(launchLanguageArg(['electron', '.', '--lang=en'])).toBe('en');
    expect(launchLanguageArg(['electron', '.'])).toBeUndefined();
  });
});
