import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostKeyPolicy } from '../../electron/main/services/hosts/hostKeyPolicy';
import type { HostKeyQuestion } from '../../electron/main/services/hosts/hostKeyPolicy';
import { SshSession } from '../../electron/main/services/ssh/sshSession';
import type { AuthPrompter, SessionOptions, SshHop } from '../../electron/main/services/ssh/sshSession';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

export const noPrompts: AuthPrompter = { password: async () => undefined, passphrase: async () => undefined, keyboardInteractive: async () => undefined };

export function keyHop(server: SimulatedDevServer, port = server.port, overrides: Partial<SshHop> = {}): SshHop {
  return { host: '127.0.0.1', port, username: server.user, identityFiles: [server.clientKey], useAgent: false, allowPassword: false, allowKeyboardInteractive: false, ...overrides };
}

/** A host-key policy over throwaway known_hosts files, recording every question it was asked. */
export function trustingPolicy(options: { accept?: boolean; userFiles?: string[] } = {}) {
  const appFile = join(mkdtempSync(join(tmpdir(), 'qvl-known-')), 'known_hosts');
  const questions: HostKeyQuestion[] = [];
  const policy = createHostKeyPolicy({
    userFiles: options.userFiles ?? [],
    appFile,
    decide: async (question) => {
      questions.push(question);
      return options.accept ?? true;
    },
  });
  return { policy, appFile, questions };
}

export function openSession(hops: SshHop[], overrides: Partial<SessionOptions> = {}): Promise<SshSession> {
  return SshSession.open({ hops, hostKeyPolicy: trustingPolicy().policy, prompter: noPrompts, readyTimeoutMs: 10_000, ...overrides });
}
