import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';

/**
 * Runs the built preload bundle the way Electron's sandbox does (CommonJS, `require` that only
 * knows 'electron'), with recording stand-ins for contextBridge and ipcRenderer: the real ones
 * need the Electron binary, which cannot be downloaded here.
 */
function loadPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return { ok: true, value: `answer to ${channel}` };
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
    },
  };
  const module = { exports: {} };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`the sandboxed preload required "${name}"`);
  };
  runInNewContext(readFileSync('dist/preload/index.cjs', 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });
  return { exposed, invoked, listeners };
}

describe('the preload', () => {
  it('exposes one `api` object with exactly the contract’s methods and events', () => {
    const { exposed } = loadPreload();
    expect(Object.keys(exposed)).toEqual(['api']);
    const api = exposed.api as Record<string, Record<string, unknown>>;
    const names = Object.entries(api).flatMap(([domain, members]) => Object.keys(members).map((member) => `${domain}:${member}`));
    expect(names.sort()).toEqual([...Object.keys(contract.methods), ...Object.keys(contract.events)].sort());
    for (const members of Object.values(api)) for (const member of Object.values(members)) expect(typeof member).toBe('function');
  });

  it('forwards a call on its own channel and returns the value', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.api as { settings: { update(patch: unknown): Promise<unknown> } };
    await expect(api.settings.update({ theme: 'dark' })).resolves.toBe('answer to settings:update');
    expect(invoked).toEqual([['settings:update', { theme: 'dark' }]]);
  });

  it('hands listeners the payload only, never the IpcRendererEvent, and unsubscribes', () => {
    const { exposed, listeners } = loadPreload();
    const api = exposed.api as { settings: { onDidChange(listener: (...args: unknown[]) => void): () => void } };
    const received: unknown[][] = [];
    const off = api.settings.onDidChange((...args) => received.push(args));
    for (const listener of listeners.get('settings:onDidChange') ?? []) listener({ sender: 'IpcRendererEvent' }, { theme: 'dark' });
    expect(received).toEqual([[{ theme: 'dark' }]]);
    off();
    expect(listeners.get('settings:onDidChange')?.size).toBe(0);
  });
});
