import { reconnectDelay } from '../../../../shared/hosts/backoff';
import type { HostId, HostProfile, HostStatus } from '../../../../shared/hosts/hostProfile';
import { SshError } from '../ssh/sshErrors';
import { SshSession } from '../ssh/sshSession';
import type { AuthPrompter, CommandRecord, HostKeyPolicy, SessionOptions, SshHop } from '../ssh/sshSession';

export interface ConnectionDeps {
  profile(id: HostId): Promise<HostProfile>;
  hops(profile: HostProfile): Promise<SshHop[]>;
  hostKeyPolicy(profile: HostProfile, signal: AbortSignal): HostKeyPolicy;
  prompter(profile: HostProfile, signal: AbortSignal): AuthPrompter;
  onStatus(status: HostStatus): void;
  /** Every command run on a host's session, for the audit trail. */
  onCommand?(hostId: HostId, record: CommandRecord): void;
  open?: (options: SessionOptions) => Promise<SshSession>;
  now?: () => number;
  random?: () => number;
  /** How often to measure the round-trip time of a live connection. */
  rttIntervalMs?: number;
}

interface Entry {
  status: HostStatus;
  session: SshSession | undefined;
  /** Aborts the attempt in progress and its prompts, and any scheduled retry. */
  abort: AbortController;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  rttTimer: ReturnType<typeof setInterval> | undefined;
  /** Resolves when the current attempt settles, for callers that wait for a session. */
  attempt: Promise<SshSession> | undefined;
  /** Only a link that worked is retried: a first attempt that fails reports why, like ssh. */
  everConnected: boolean;
}

function idleStatus(id: HostId): HostStatus {
  return { id, state: 'disconnected', error: null, retryAt: null, attempt: 0, algorithms: null, rttMs: null, connectedAt: null };
}

/**
 * Keeps one SSH session per connected host. A link that dropped is retried with backoff and
 * jitter; auth and host-key failures are not retried (they will not fix themselves), and neither
 * is a first attempt that fails (a wrong address should say so, not spin).
 */
export class ConnectionManager {
  private readonly entries = new Map<HostId, Entry>();

  constructor(private readonly deps: ConnectionDeps) {}

  statuses(): HostStatus[] {
    return [...this.entries.values()].map((entry) => entry.status);
  }

  status(id: HostId): HostStatus {
    return this.entries.get(id)?.status ?? idleStatus(id);
  }

  /** The live session, connecting first if needed. */
  async session(id: HostId): Promise<SshSession> {
    const entry = this.entries.get(id);
    if (entry?.session?.isOpen) return entry.session;
    if (entry?.attempt) return entry.attempt;
    return this.connect(id);
  }

  connect(id: HostId): Promise<SshSession> {
    this.stop(id, false);
    const entry: Entry = { status: { ...idleStatus(id), state: 'connecting' }, session: undefined, abort: new AbortController(), retryTimer: undefined, rttTimer: undefined, attempt: undefined, everConnected: false };
    this.entries.set(id, entry);
    return this.attempt(id, entry);
  }

  disconnect(id: HostId): void {
    this.stop(id, true);
  }

  disconnectAll(): void {
    for (const id of [...this.entries.keys()]) this.stop(id, true);
  }

  private attempt(id: HostId, entry: Entry): Promise<SshSession> {
    const now = this.deps.now ?? Date.now;
    this.publish(entry, { state: entry.status.attempt > 0 ? 'reconnecting' : 'connecting', retryAt: null });
    const signal = entry.abort.signal;
    entry.attempt = (async () => {
      const profile = await this.deps.profile(id);
      const session = await (this.deps.open ?? SshSession.open)({
        hops: await this.deps.hops(profile),
        hostKeyPolicy: this.deps.hostKeyPolicy(profile, signal),
        prompter: this.deps.prompter(profile, signal),
        onCommand: (record) => this.deps.onCommand?.(id, record),
      });
      if (signal.aborted) {
        session.close();
        throw new SshError('cancelled', 'Disconnected.');
      }
      return session;
    })();
    entry.attempt.then(
      (session) => {
        entry.attempt = undefined;
        entry.session = session;
        entry.everConnected = true;
        this.publish(entry, { state: 'connected', error: null, attempt: 0, algorithms: session.algorithms, connectedAt: now() });
        this.measureRtt(entry, session);
        session.onClose((error) => {
          clearInterval(entry.rttTimer);
          if (entry.session !== session || signal.aborted) return;
          entry.session = undefined;
          this.failed(id, entry, error ?? new SshError('network', 'The connection closed.'));
        });
      },
      (error: unknown) => {
        entry.attempt = undefined;
        if (!signal.aborted) this.failed(id, entry, error instanceof SshError ? error : new SshError('protocol', String(error)));
      },
    );
    return entry.attempt;
  }

  private failed(id: HostId, entry: Entry, error: SshError): void {
    const now = this.deps.now ?? Date.now;
    const reason = { kind: error.kind, message: error.message };
    if (!error.retryable || !entry.everConnected) {
      this.publish(entry, { state: 'failed', error: reason, retryAt: null, algorithms: null, rttMs: null, connectedAt: null });
      return;
    }
    const delay = reconnectDelay(entry.status.attempt, this.deps.random);
    this.publish(entry, { state: 'reconnecting', error: reason, retryAt: now() + delay, attempt: entry.status.attempt + 1, rttMs: null, connectedAt: null });
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      this.attempt(id, entry).catch(() => undefined);
    }, delay);
  }

  private measureRtt(entry: Entry, session: SshSession): void {
    const measure = () =>
      session.ping().then(
        (ms) => entry.session === session && this.publish(entry, { rttMs: Math.round(ms * 10) / 10 }),
        () => undefined,
      );
    void measure();
    entry.rttTimer = setInterval(measure, this.deps.rttIntervalMs ?? 30_000);
  }

  private stop(id: HostId, announce: boolean): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.abort.abort();
    clearTimeout(entry.retryTimer);
    clearInterval(entry.rttTimer);
    entry.session?.close();
    this.entries.delete(id);
    if (announce) this.deps.onStatus(idleStatus(id));
  }

  private publish(entry: Entry, change: Partial<HostStatus>): void {
    entry.status = { ...entry.status, ...change };
    this.deps.onStatus(entry.status);
  }
}
