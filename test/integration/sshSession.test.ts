import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshError } from '../../electron/main/services/ssh/sshErrors';
import type { HostKeyPolicy, KeyboardInteractiveChallenge } from '../../electron/main/services/ssh/sshSession';
import { dockerExec, loginShell, sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { keyHop, noPrompts, openSession, trustingPolicy } from '../support/sshTestKit';

let server: SimulatedDevServer;
let bastion: SimulatedDevServer;

beforeAll(async () => {
  [server, bastion] = await Promise.all([startDevServer({ name: 'target' }), startDevServer({ name: 'bastion' })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), bastion?.stop()]);
});

/** SSH message numbers the client sent in the clear, before its NEWKEYS (RFC 4253 binary packets). */
function plaintextMessages(bytes: Buffer): number[] {
  const banner = bytes.indexOf('\r\n');
  const types: number[] = [];
  for (let at = banner + 2; at + 5 < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes[at + 5] ?? -1;
    types.push(type);
    if (type === 21) break;
    at += 4 + length;
  }
  return types;
}

describe('host keys', () => {
  it('shows the OpenSSH fingerprint of an unknown key and records it on acceptance; known next time', async () => {
    const { policy, appFile, questions } = trustingPolicy();
    const session = await openSession([keyHop(server)], { hostKeyPolicy: policy });
    session.close();
    expect(questions).toEqual([{ host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', fingerprint: server.hostKeyFingerprint, otherKeyTypes: [] }]);
    expect(readFileSync(appFile, 'utf8')).toMatch(/^\|1\|[^ ]+ ssh-ed25519 AAAA/);
    const again = await openSession([keyHop(server)], { hostKeyPolicy: policy });
    again.close();
    expect(questions).toHaveLength(1);
  });

  it('trusts a key already in the user’s OpenSSH known_hosts without asking', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qvl-user-known-')), 'known_hosts');
    writeFileSync(file, `${server.knownHostsLine}\n`);
    const { policy, questions } = trustingPolicy({ userFiles: [file] });
    (await openSession([keyHop(server)], { hostKeyPolicy: policy })).close();
    expect(questions).toEqual([]);
  });

  it('sends no credential before the key is accepted, and none at all when it is refused', async () => {
    const written: Buffer[] = [];
    let decide: (accept: boolean) => void = () => undefined;
    let questionAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (questionAsked = resolve));
    const { policy } = trustingPolicy();
    const gated: HostKeyPolicy = async (hop, key) => {
      questionAsked();
      const accepted = await new Promise<boolean>((resolve) => (decide = resolve));
      return accepted ? policy(hop, key) : new SshError('host-key', 'refused by the user');
    };
    const recordingSocket = () => {
      const socket = connect(server.port, '127.0.0.1');
      const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
      socket.write = ((chunk: Buffer) => {
        written.push(Buffer.from(chunk));
        return write(chunk);
      }) as typeof socket.write;
      return socket;
    };
    const attempt = openSession([keyHop(server)], { hostKeyPolicy: gated, connectSocket: recordingSocket }).catch((error: unknown) => error);
    await asked;
    // Give the client every chance to send what it would; it must still be in the key exchange.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whilePending = plaintextMessages(Buffer.concat(written));
    expect(whilePending).toContain(20); // KEXINIT
    expect(whilePending).not.toContain(21); // NEWKEYS: nothing encrypted, so no userauth request, was sent
    decide(false);
    const error = await attempt;
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).kind).toBe('host-key');
    expect(plaintextMessages(Buffer.concat(written))).not.toContain(21);
  });

  it('refuses a changed key loudly, with both fingerprints and the fix, without asking', async () => {
    const changing = await startDevServer({ name: 'reimaged' });
    try {
      const { policy, questions } = trustingPolicy();
      (await openSession([keyHop(changing)], { hostKeyPolicy: policy })).close();
      const before = changing.hostKeyFingerprint;
      await changing.rotateHostKey();
      const error = (await openSession([keyHop(changing)], { hostKeyPolicy: policy }).catch((e: unknown) => e)) as SshError;
      expect(error).toBeInstanceOf(SshError);
      expect(error.kind).toBe('host-key');
      expect(error.message).toMatch(/CHANGED/);
      expect(error.message).toContain(before);
      expect(error.message).toContain(changing.hostKeyFingerprint);
      expect(error.message).toMatch(/ssh-keygen -R/);
      expect(questions).toHaveLength(1);
    } finally {
      await changing.stop();
    }
  });
});

describe('authentication', () => {
  it('asks for the passphrase of an encrypted key, again when it is wrong', async () => {
    const asked: boolean[] = [];
    const prompter = { ...noPrompts, passphrase: async (_hop: unknown, _path: string, retry: boolean) => (asked.push(retry), retry ? server.keyPassphrase : 'wrong') };
    (await openSession([keyHop(server, server.port, { identityFiles: [server.encryptedClientKey] })], { prompter })).close();
    expect(asked).toEqual([false, true]);
  });

  it('logs in with a key held by ssh-agent, never reading the key file itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qvl-agent-'));
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    const previous = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      execFileSync('ssh-add', [server.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      process.env.SSH_AUTH_SOCK = socket;
      const session = await openSession([keyHop(server, server.port, { identityFiles: [], useAgent: true })]);
      expect((await session.run(sh`whoami`)).stdout.trim()).toBe(server.user);
      session.close();
    } finally {
      if (previous === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = previous;
      agent.kill();
    }
  });

  it('logs in with a password, and fails clearly (not retryable) with a wrong one', async () => {
    const hop = keyHop(server, server.port, { identityFiles: [], allowPassword: true });
    (await openSession([hop], { prompter: { ...noPrompts, password: async () => server.password } })).close();
    const error = (await openSession([hop], { prompter: { ...noPrompts, password: async () => 'not-the-password' } }).catch((e: unknown) => e)) as SshError;
    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/tried password/);
  });

  it('shows the server’s keyboard-interactive prompts and sends the answers', async () => {
    const challenges: KeyboardInteractiveChallenge[] = [];
    const prompter = { ...noPrompts, keyboardInteractive: async (_hop: unknown, challenge: KeyboardInteractiveChallenge) => (challenges.push(challenge), [server.password]) };
    (await openSession([keyHop(server, server.port, { identityFiles: [], allowKeyboardInteractive: true })], { prompter })).close();
    expect(challenges[0]?.prompts[0]).toMatchObject({ prompt: expect.stringMatching(/password/i), echo: false });
  });

  it('reports a cancelled prompt as cancelled', async () => {
    const error = (await openSession([keyHop(server, server.port, { identityFiles: [], allowPassword: true })]).catch((e: unknown) => e)) as SshError;
    expect(error.kind).toBe('cancelled');
  });
});

describe('connection errors are distinct', () => {
  it('refused, name not found and timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(((await openSession([keyHop(server, closedPort)]).catch((e: unknown) => e)) as SshError).kind).toBe('refused');
    expect(((await openSession([{ ...keyHop(server), host: 'no-such-host.invalid' }]).catch((e: unknown) => e)) as SshError).kind).toBe('dns');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const error = (await openSession([keyHop(server, (silent.address() as AddressInfo).port)], { readyTimeoutMs: 800 }).catch((e: unknown) => e)) as SshError;
    expect(error.kind).toBe('timeout');
    silent.close();
  });
});

describe('remote commands', () => {
  it('streams output, returns the exit code, and runs login shells and docker exec', async () => {
    const session = await openSession([keyHop(server)]);
    try {
      const result = await session.run(sh`echo out; echo err >&2; exit 3`);
      expect(result).toMatchObject({ stdout: 'out\n', stderr: 'err\n', code: 3 });
      expect((await session.run(loginShell(sh`command -v npu-smi`))).stdout).toMatch(/npu-smi\n$/);
      const chunks: string[] = [];
      await session.exec(sh`for i in 1 2 3; do echo $i; sleep 0.05; done`, { onStdout: (chunk) => chunks.push(chunk.toString()) });
      expect(chunks.join('')).toBe('1\n2\n3\n');
      expect((await session.run(sh`docker pull ${'swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b'}`)).code).toBe(0);
    } finally {
      session.close();
    }
  });

  it('times out and cancels a command', async () => {
    const session = await openSession([keyHop(server)]);
    try {
      const started = Date.now();
      expect(await session.exec(sh`sleep 30`, { timeoutMs: 300 })).toMatchObject({ timedOut: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      expect(await session.exec(sh`sleep 30`, { signal: controller.signal })).toMatchObject({ cancelled: true });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      session.close();
    }
  });

  it('reports a server that dies mid-command as a dropped connection', async () => {
    const dying = await startDevServer({ name: 'dying' });
    try {
      const session = await openSession([keyHop(dying)]);
      const closed = new Promise<SshError | undefined>((resolve) => session.onClose(resolve));
      const running = session.exec(sh`sleep 30`).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await dying.kill();
      const reason = await closed;
      expect(reason?.kind).toBe('network');
      expect(await running).toMatchObject({ code: null });
    } finally {
      await dying.stop();
    }
  });

  it('reaches a host through a jump host, verifying each hop', async () => {
    const { policy, questions } = trustingPolicy();
    const session = await openSession([keyHop(bastion), keyHop(server)], { hostKeyPolicy: policy });
    expect((await session.run(sh`echo through`)).stdout).toBe('through\n');
    session.close();
    expect(questions.map((q) => q.port)).toEqual([bastion.port, server.port]);
  });
});

describe('hostile values', () => {
  it('never execute, whatever command path they take', async () => {
    const { hostileStrings } = await import('../support/hostileStrings');
    const marker = join(mkdtempSync(join(tmpdir(), 'qvl-hostile-')), 'pwned');
    const session = await openSession([keyHop(server)]);
    try {
      for (const value of hostileStrings(marker)) {
        const echoed = await session.run(sh`printf '%s' ${value}`);
        expect(echoed.stdout).toBe(value);
        await session.run(loginShell(sh`printf '%s' ${value}`));
        await session.run(dockerExec('no-such-container', sh`printf '%s' ${value}`, { workdir: value }));
      }
    } finally {
      session.close();
    }
    expect(existsSync(marker)).toBe(false);
  });
});
