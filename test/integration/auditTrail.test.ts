import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppBackend } from '../../electron/main/services/appBackend';
import type { AppBackend } from '../../electron/main/services/appBackend';
import { MemoryHostsRepository } from '../../electron/main/services/hosts/hostsRepository';
import { MemorySecretStore } from '../../electron/main/services/hosts/secretStore';
import { MemorySettingsRepository } from '../../electron/main/services/settings/jsonFileSettingsRepository';
import type { CallResult } from '../../shared/api/contractTypes';
import { modelartsQwenVl6310 } from '../../shared/guide/modelartsQwenVl6310';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

let server: SimulatedDevServer;
let backend: AppBackend;
let dataDir: string;

async function call(method: string, input?: unknown): Promise<unknown> {
  const result: CallResult = await backend.dispatcher.dispatch(method, input, { clientId: 'test' });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  server = await startDevServer({ name: 'audit' });
  dataDir = mkdtempSync(join(tmpdir(), 'qvl-audit-'));
  backend = createAppBackend({ runtime: 'web', settings: new MemorySettingsRepository(), hosts: new MemoryHostsRepository(), secrets: new MemorySecretStore(), launchLanguage: null, dataDir, home: dataDir, userKnownHosts: [] });
  // The user trusts the host key when asked, as they would in the dialog.
  backend.events.subscribe((event, payload) => {
    if (event === 'hosts:onDidRequestPrompt') void call('hosts:answerPrompt', { promptId: (payload as { promptId: string }).promptId, answer: { accept: true } });
  });
});
afterAll(async () => {
  backend?.shutdown();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the audit trail', () => {
  it('records every command the app ran on a host, with when, exit code and output', async () => {
    const profile = (await call('hosts:add', { name: 'audited', host: '127.0.0.1', port: server.port, user: server.user, auth: 'key', identityFile: server.clientKey, jump: [] })) as { id: string };
    expect(await call('hosts:connect', { id: profile.id })).toMatchObject({ state: 'connected' });
    await call('guide:check', { hostIds: [profile.id], stepId: 'environment', params: modelartsQwenVl6310.defaults });
    const entries = (await call('audit:list', { hostId: profile.id })) as Array<{ command: string; code: number | null; stdout: string; startedAt: number; finishedAt: number }>;
    const npuSmi = entries.find((entry) => entry.command === 'npu-smi info');
    expect(npuSmi).toMatchObject({ code: 0 });
    expect(npuSmi?.stdout).toMatch(/910B/);
    expect(npuSmi && npuSmi.finishedAt >= npuSmi.startedAt).toBe(true);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(await call('audit:list', { hostId: 'host-none-000' })).toEqual([]);
  });
});
