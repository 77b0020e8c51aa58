import type { SFTPWrapper } from 'ssh2';
import type { SessionOptions, SshSession } from '../ssh/sshSession';
import { WorkerConnection } from './workerConnection';

/** SSH connections of their own for big files, each in a worker thread, beside the session. */
export interface ExtraConnections {
  /** How many; at most MAX_CONNECTIONS (sshd's MaxStartups and MaxSessions limit them on the server). */
  count: number;
  /**
   * The session's options (hops, host-key policy, timeouts), with a prompter that never asks the
   * user again: answers from saved secrets only, else `undefined`, and the job does without.
   */
  options: SessionOptions;
}

export const MAX_CONNECTIONS = 4;

/**
 * What the app and the CLI use for uploads: two more connections beside the session, logging in
 * the way the session did. Two because the client and sshd share the cores a DevServer's jump
 * host or a laptop has; more rarely helps and costs the server logins.
 */
export function siblingConnections(session: SshSession): ExtraConnections {
  return { count: 2, options: session.optionsForMoreConnections() };
}

/**
 * One channel moves at most its window (2 MiB with OpenSSH) per round trip, so a long link needs
 * several; on a short one a single deep pipeline is fastest (less per-channel work on both ends).
 */
export function channelsForRtt(rttMs: number): number {
  return rttMs < 5 ? 1 : rttMs < 20 ? 2 : 4;
}

async function openLanes(session: SshSession, count: number): Promise<SFTPWrapper[]> {
  const lanes = await Promise.all(Array.from({ length: count }, () => session.sftp()));
  // Every request in flight watches its channel for a drop (see sftpOps.ts).
  for (const lane of lanes) lane.setMaxListeners(0);
  return lanes;
}

/**
 * Where a job moves bytes: SFTP channels over the session, and for big uploads the connections of
 * its own in worker threads. Every connection has its own sshd process on the server (its own
 * core for decrypting and writing) and its own TCP stream, and each worker does its SSH work
 * on a core of its own here. The chunk pump hands chunks to all of them from one cursor, so
 * resuming and verifying work as with one connection.
 */
export class TransferLinks {
  readonly workers: WorkerConnection[] = [];
  private widening: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly session: SshSession,
    private readonly channels: number,
    private readonly connections: ExtraConnections | undefined,
    readonly lanes: SFTPWrapper[],
  ) {}

  static async open(session: SshSession, channels: number | undefined, connections: ExtraConnections | undefined): Promise<TransferLinks> {
    const count = channels ?? channelsForRtt(await session.ping());
    return new TransferLinks(session, count, connections, await openLanes(session, count));
  }

  /** The session's first channel: for looking around, renaming and the like. */
  get main(): SFTPWrapper {
    return this.lanes[0] as SFTPWrapper;
  }

  /**
   * Connects the extra connections, once; never fails (one that cannot connect is done without).
   * May start while the job is still being planned: connecting then costs no time of its own.
   */
  widen(): Promise<void> {
    this.widening ??= this.connect();
    return this.widening;
  }

  private async connect(): Promise<void> {
    if (!this.connections) return;
    const { count, options } = this.connections;
    const started = await Promise.allSettled(Array.from({ length: Math.min(count, MAX_CONNECTIONS) }, () => WorkerConnection.start(options, this.channels)));
    for (const result of started) {
      if (result.status !== 'fulfilled' || !result.value) continue;
      // The job may have ended (failed planning, say) while these were connecting.
      if (this.closed) result.value.close();
      else this.workers.push(result.value);
    }
  }

  /** Whether a connection dropped: the job failed because of the link, and can be resumed. */
  get dropped(): boolean {
    return !this.session.isOpen || this.workers.some((worker) => !worker.isOpen);
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes) lane.end();
    for (const worker of this.workers) worker.close();
  }
}
