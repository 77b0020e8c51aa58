import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../../shared/api/channels';
import type { Contract } from '../../shared/api/contract';
import { createBridge } from '../../shared/api/createBridge';
import type { CallResult } from '../../shared/api/contractTypes';

/**
 * Exposes exactly the contract's methods and events as `window.api`: no generic invoke, and
 * listeners get the payload, never the IpcRendererEvent.
 */
const api = createBridge<Contract>(CHANNELS, {
  invoke: (method, input) => ipcRenderer.invoke(method, input) as Promise<CallResult>,
  subscribe(event, listener) {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);
