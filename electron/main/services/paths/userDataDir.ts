import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Qwen-VL Studio';

/**
 * The folder Electron's `app.getPath('userData')` gives for this app, computed without Electron
 * so browser mode and the CLI read and write the same files.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.QVL_DATA_DIR) return env.QVL_DATA_DIR;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}
