import { BrowserWindow, ipcMain } from 'electron';
import { METHOD_CHANNELS } from '../../../shared/api/channels';
import { ApiError } from '../../../shared/api/apiError';
import type { CallResult } from '../../../shared/api/contractTypes';
import type { AppBackend } from '../services/appBackend';
import { isTrustedSender } from '../security/policy';

/**
 * The only place that touches ipcMain: one handler per contract method, each checking that the
 * call comes from our page's top frame; pushes go to every window.
 */
export function registerIpc(backend: AppBackend): () => void {
  for (const name of METHOD_CHANNELS) {
    ipcMain.handle(name, (event, input: unknown): Promise<CallResult> | CallResult => {
      if (!isTrustedSender(event.senderFrame)) {
        return { ok: false, error: new ApiError('forbidden', 'IPC from an untrusted frame').toJSON() };
      }
      return backend.dispatcher.dispatch(name, input, { clientId: `window-${event.sender.id}` });
    });
  }
  const unsubscribe = backend.events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(name, payload);
  });
  return () => {
    unsubscribe();
    for (const name of METHOD_CHANNELS) ipcMain.removeHandler(name);
  };
}
