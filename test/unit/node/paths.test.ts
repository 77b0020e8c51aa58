import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveContainedPath } from '../../../electron/main/services/fs/containedPath';
import { userDataDir } from '../../../electron/main/services/paths/userDataDir';

describe('resolveContainedPath', () => {
  const root = resolve('/srv/app');
  it('maps paths inside the root, and / to index.html', () => {
    expect(resolveContainedPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveContainedPath(root, '/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'));
    expect(resolveContainedPath(root, '/a%20b.png')).toBe(join(root, 'a b.png'));
  });
  it('refuses every way out', () => {
    for (const path of ['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/etc/passwd', '/..%2fetc/passwd', '/..%5cetc', '/a%00.js', '/%E0%A4%A', '/..']) {
      expect(resolveContainedPath(root, path), path).toBeUndefined();
    }
  });
});

describe('userDataDir', () => {
  it('matches Electron’s userData folder for the product name on each platform', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'Qwen-VL Studio'));
    expect(userDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'Qwen-VL Studio'));
    expect(userDataDir({}, 'darwin')).toMatch(/Library[/\\]Application Support[/\\]Qwen-VL Studio$/);
    expect(userDataDir({ QVL_DATA_DIR: '/tmp/q' }, 'linux')).toBe('/tmp/q');
  });
});
