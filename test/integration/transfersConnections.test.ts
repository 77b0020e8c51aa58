// Big uploads over connections of their own (worker threads) beside the session, against the
// simulated DevServer's real sshd: verified, resumable after drops, and done without when the
// extra connections cannot log in.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SshError } from '../../electron/main/services/ssh/sshErrors';
import type { HostKeyPolicy, SessionOptions } from '../../electron/main/services/ssh/sshSession';
import { TransferError } from '../../electron/main/services/transfer/remoteFiles';
import { uploadPath } from '../../electron/main/services/transfer/transferJob';
import { MAX_CONNECTIONS, TransferLinks } from '../../electron/main/services/transfer/transferLinks';
import { WorkerConnection } from '../../electron/main/services/transfer/workerConnection';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { keyHop, noPrompts, openSession, trustingPolicy } from '../support/sshTestKit';
import { startTcpProxy } from '../support/tcpProxy';
import { makeFile, sha256File, startTransferPlace, stopTransferPlace } from '../support/transferPlace';

const MB = 1024 * 1024;
let server: SimulatedDevServer;
let local: string;
let remote: string;

beforeAll(async () => {
  ({ server, local, remote } = await startTransferPlace('transfer-connections'));
});
afterAll(() => stopTransferPlace({ server, local, remote }));

/** The options the extra connections log in with, counting the host-key questions they ask this thread. */
function connectionOptions(port = server.port, verdict?: HostKeyPolicy): { options: SessionOptions; asked: () => number } {
  const policy = verdict ?? trustingPolicy().policy;
  let asked = 0;
  const hostKeyPolicy: HostKeyPolicy = (hop, key) => {
    asked++;
    return policy(hop, key);
  };
  return { options: { hops: [keyHop(server, port)], hostKeyPolicy, prompter: noPrompts, readyTimeoutMs: 10_000 }, asked: () => asked };
}

describe('uploads over connections of their own', () => {
  it('sends a big file over the extra connections, verified, asking this thread about their host key', async () => {
    const file = makeFile(local, 'two.bin', 70 * MB + 5);
    // Only the extra connections go through the proxy: what it forwards is what they carried.
    const proxy = await startTcpProxy(server.port);
    const extra = connectionOptions(proxy.port);
    const session = await openSession([keyHop(server)]);
    try {
      const summary = await uploadPath(session, file, `${remote}/two/`, { connections: { count: 2, options: extra.options } });
      expect(summary).toMatchObject({ bytes: 70 * MB + 5, sent: 70 * MB + 5, resumedFrom: 0, verified: true, sha256: sha256File(file) });
      expect(sha256File(join(remote, 'two', 'two.bin'))).toBe(sha256File(file));
      expect(extra.asked()).toBe(2);
      expect(proxy.clientBytes()).toBeGreaterThan(70 * MB);
      expect(existsSync(join(remote, 'two', '.two.bin.qvl-part'))).toBe(false);
    } finally {
      session.close();
      await proxy.close();
    }
  });

  it('opens no more than MAX_CONNECTIONS, and none for a job of small files', async () => {
    const big = makeFile(local, 'many.bin', 40 * MB);
    const extra = connectionOptions();
    const session = await openSession([keyHop(server)]);
    try {
      await uploadPath(session, big, `${remote}/many/`, { connections: { count: 50, options: extra.options } });
      expect(extra.asked()).toBe(MAX_CONNECTIONS);
      const small = connectionOptions();
      await uploadPath(session, makeFile(local, 'small.bin', 2 * MB), `${remote}/many/`, { connections: { count: 2, options: small.options } });
      expect(small.asked()).toBe(0);
    } finally {
      session.close();
    }
  });

  it('does without extra connections that cannot log in', async () => {
    const file = makeFile(local, 'refused.bin', 40 * MB);
    const refuse: HostKeyPolicy = async () => new SshError('host-key', 'Not this key.');
    const extra = connectionOptions(server.port, refuse);
    const session = await openSession([keyHop(server)]);
    try {
      const summary = await uploadPath(session, file, `${remote}/refused/`, { connections: { count: 2, options: extra.options } });
      expect(summary).toMatchObject({ verified: true, sha256: sha256File(file) });
      expect(extra.asked()).toBe(2);
    } finally {
      session.close();
    }
  });

  it('resumes after the links drop at random points and ends byte-identical, never from zero', async () => {
    const file = makeFile(local, 'dropped.bin', 96 * MB);
    const target = `${remote}/dropped/dropped.bin`;
    // Everything goes through the proxy, so a cut drops the session and both extra connections.
    const proxy = await startTcpProxy(server.port);
    const extra = connectionOptions(proxy.port);
    const failures: unknown[] = [];
    const resumes: number[] = [];
    try {
      for (let attempt = 0; attempt < 12 && !resumes.length; attempt++) {
        const session = await openSession([keyHop(server, proxy.port)]);
        const cutAfter = proxy.clientBytes() + 24 * MB + Math.floor(Math.random() * 40 * MB);
        const watcher = setInterval(() => proxy.clientBytes() > cutAfter && proxy.cut(), 2);
        try {
          resumes.push((await uploadPath(session, file, target, { connections: { count: 2, options: extra.options } })).resumedFrom);
        } catch (error) {
          failures.push(error);
        } finally {
          clearInterval(watcher);
          session.close();
        }
      }
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) expect(failure).toMatchObject({ kind: 'interrupted' });
      expect(resumes[0]).toBeGreaterThan(0);
      expect(sha256File(target)).toBe(sha256File(file));
    } finally {
      await proxy.close();
    }
  });

  it('fails as interrupted when only an extra connection drops, and the next run resumes', async () => {
    const file = makeFile(local, 'half.bin', 96 * MB);
    const target = `${remote}/half/half.bin`;
    // The session goes straight to sshd; only the extra connections go through the proxy.
    const proxy = await startTcpProxy(server.port);
    const extra = connectionOptions(proxy.port);
    const session = await openSession([keyHop(server)]);
    try {
      const cutAfter = 32 * MB;
      const watcher = setInterval(() => proxy.clientBytes() > cutAfter && proxy.cut(), 2);
      const failed = await uploadPath(session, file, target, { connections: { count: 2, options: extra.options } }).catch((error: unknown) => error);
      clearInterval(watcher);
      expect(failed).toBeInstanceOf(TransferError);
      expect((failed as TransferError).kind).toBe('interrupted');
      expect(session.isOpen).toBe(true);
      const again = await uploadPath(session, file, target, { connections: { count: 2, options: connectionOptions().options } });
      expect(again.resumedFrom).toBeGreaterThan(0);
      expect(sha256File(target)).toBe(sha256File(file));
    } finally {
      session.close();
      await proxy.close();
    }
  });

  it('ends a connection on close, and closes the ones that finish logging in after the job ended', async () => {
    const connection = await WorkerConnection.start(connectionOptions().options, 1);
    expect(connection?.isOpen).toBe(true);
    connection?.close();
    await vi.waitFor(() => expect(connection?.isOpen).toBe(false));

    const session = await openSession([keyHop(server)]);
    try {
      const extra = connectionOptions();
      const links = await TransferLinks.open(session, 1, { count: 2, options: extra.options });
      const widening = links.widen();
      links.close();
      await widening;
      expect(extra.asked()).toBe(2);
      expect(links.workers).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('logs sibling connections in with the answer the session was given, asking the user only once', async () => {
    let asked = 0;
    const prompter = { ...noPrompts, password: () => Promise.resolve((asked++, server.password)) };
    const session = await openSession([keyHop(server, server.port, { identityFiles: [], allowPassword: true })], { prompter });
    try {
      const sibling = await WorkerConnection.start(session.optionsForMoreConnections(), 1);
      expect(sibling?.isOpen).toBe(true);
      sibling?.close();
      expect(asked).toBe(1);
      // Keyboard-interactive answers (one-time codes) are never replayed: that sibling does without.
      await expect(session.optionsForMoreConnections().prompter.keyboardInteractive(keyHop(server), { name: '', instructions: '', prompts: [] })).resolves.toBeUndefined();
    } finally {
      session.close();
    }
  });

  it('does not log a sibling in with an answer the user never gave', async () => {
    const session = await openSession([keyHop(server)]);
    try {
      const passwordOnly = { ...session.optionsForMoreConnections(), hops: [keyHop(server, server.port, { identityFiles: [], allowPassword: true })] };
      await expect(WorkerConnection.start(passwordOnly, 1)).rejects.toThrow();
    } finally {
      session.close();
    }
  });
});
