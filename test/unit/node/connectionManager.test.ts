import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionManager } from '../../../electron/main/services/hosts/connectionManager';
import { SshError } from '../../../electron/main/services/ssh/sshErrors';
import type { SshSession } from '../../../electron/main/services/ssh/sshSession';
import type { HostProfile, HostStatus } from '../../../shared/hosts/hostProfile';

const profile: HostProfile = { id: 'host-0001', name: 'devserver', host: '10.0.0.5', port: 22, user: 'root', auth: 'auto', identityFile: null, jump: [] };

class FakeSession {
  readonly algorithms = { kex: 'curve25519-sha256', serverHostKey: 'ssh-ed25519', cipher: 'aes128-gcm@openssh.com', mac: '(implicit)', compression: 'none' };
  isOpen = true;
  private listener: ((error: SshError | undefined) => void) | undefined;
  onClose(listener: (error: SshError | undefined) => void) {
    this.listener = listener;
    return () => undefined;
  }
  async ping() {
    return 12.34;
  }
  close() {
    this.isOpen = false;
  }
  drop(error: SshError) {
    this.isOpen = false;
    this.listener?.(error);
  }
}

describe('the connection manager', () => {
  let statuses: HostStatus[];
  let outcomes: Array<FakeSession | SshError>;
  let opened: FakeSession[];
  let manager: ConnectionManager;

  beforeEach(() => {
    vi.useFakeTimers();
    statuses = [];
    opened = [];
    outcomes = [];
    manager = new ConnectionManager({
      profile: async () => profile,
      hops: async () => [],
      hostKeyPolicy: () => async () => true,
      prompter: () => ({ password: async () => undefined, passphrase: async () => undefined, keyboardInteractive: async () => undefined }),
      onStatus: (status) => statuses.push(status),
      open: async () => {
        const next = outcomes.shift() ?? new FakeSession();
        if (next instanceof SshError) throw next;
        opened.push(next);
        return next as unknown as SshSession;
      },
      random: () => 0.5,
      now: () => Date.now(),
    });
  });
  afterEach(() => {
    manager.disconnectAll();
    vi.useRealTimers();
  });

  const last = () => statuses[statuses.length - 1];

  it('connects, reports the algorithms and the round-trip time', async () => {
    await manager.connect(profile.id);
    await vi.advanceTimersByTimeAsync(0);
    expect(last()).toMatchObject({ state: 'connected', rttMs: 12.3, algorithms: { cipher: 'aes128-gcm@openssh.com' } });
  });

  it('reconnects after a dropped link with growing, jittered delays, then recovers', async () => {
    await manager.connect(profile.id);
    outcomes.push(new SshError('refused', 'refused'), new FakeSession());
    opened[0]?.drop(new SshError('network', 'connection reset'));
    expect(last()).toMatchObject({ state: 'reconnecting', attempt: 1, error: { kind: 'network' } });
    expect((last()?.retryAt ?? 0) - Date.now()).toBe(750);
    await vi.advanceTimersByTimeAsync(750);
    expect(last()).toMatchObject({ state: 'reconnecting', attempt: 2, error: { kind: 'refused' } });
    expect((last()?.retryAt ?? 0) - Date.now()).toBe(1500);
    await vi.advanceTimersByTimeAsync(1500);
    expect(last()).toMatchObject({ state: 'connected', attempt: 0, error: null });
    expect(opened).toHaveLength(2);
  });

  it('never retries an authentication or host-key failure', async () => {
    outcomes.push(new SshError('auth', 'Authentication failed'));
    await expect(manager.connect(profile.id)).rejects.toThrow('Authentication failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(last()).toMatchObject({ state: 'failed', error: { kind: 'auth' }, retryAt: null });
    expect(opened).toHaveLength(0);

    outcomes.push(new SshError('host-key', 'CHANGED'));
    await expect(manager.connect(profile.id)).rejects.toThrow('CHANGED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(last()).toMatchObject({ state: 'failed', error: { kind: 'host-key' } });
  });

  it('does not retry a first attempt that fails (a wrong address says so at once)', async () => {
    outcomes.push(new SshError('refused', 'connection refused'));
    await expect(manager.connect(profile.id)).rejects.toThrow('refused');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(last()).toMatchObject({ state: 'failed', error: { kind: 'refused' } });
    expect(opened).toHaveLength(0);
  });

  it('stops retrying when the user disconnects', async () => {
    await manager.connect(profile.id);
    opened[0]?.drop(new SshError('timeout', 'Keepalive timeout'));
    manager.disconnect(profile.id);
    expect(last()).toMatchObject({ state: 'disconnected' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opened).toHaveLength(1);
  });
});
