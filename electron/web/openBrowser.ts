import { spawn } from 'node:child_process';

/** Opens the URL in the user's browser when there is one to open; returns whether it tried. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const command =
    env.BROWSER ?? (platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer.exe' : env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : undefined);
  if (!command) return false;
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
