// The `logs` domain: the remote logs being followed or read, by id. Streams outlive the window that
// started them (a reloaded browser tab lists them and reads their points again) and end when
// stopped or when the app quits.

import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../../shared/api/apiError';
import type { HostId, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { LogPointBatch, LogStreamId, LogStreamInfo, LogStreamMode } from '../../../../shared/logs/logStreamApi';
import { LogFollower } from './logFollower';
import type { LogFollowerDeps } from './logFollower';

export type LogFollowerServiceDeps = Omit<LogFollowerDeps, 'onHostStatus'>;

export class LogFollowerService {
  private readonly streams = new Map<LogStreamId, LogFollower>();
  private readonly statusListeners = new Set<(status: HostStatus) => void>();

  constructor(private readonly deps: LogFollowerServiceDeps) {}

  /** To be called with every host status change (the streams wait for reconnects on them). */
  hostStatusChanged(status: HostStatus): void {
    for (const listener of [...this.statusListeners]) listener(status);
  }

  open(hostId: HostId, path: string, mode: LogStreamMode): LogStreamInfo {
    const status = this.deps.hostStatus(hostId);
    if (status.state !== 'connected') throw new ApiError('disconnected', 'Connect to this DevServer first.');
    const id: LogStreamId = `log-${randomBytes(8).toString('hex')}`;
    const stream = new LogFollower(id, hostId, path, mode, {
      ...this.deps,
      onHostStatus: (listener) => {
        this.statusListeners.add(listener);
        return () => this.statusListeners.delete(listener);
      },
    });
    this.streams.set(id, stream);
    void stream.start();
    return stream.info();
  }

  /** Stops reading; the stream stays listed and its points can still be fetched. */
  stop(id: LogStreamId): void {
    this.streams.get(id)?.stop();
  }

  /** Stops reading and forgets the stream and its points. */
  close(id: LogStreamId): void {
    this.stop(id);
    this.streams.delete(id);
  }

  list(): LogStreamInfo[] {
    return [...this.streams.values()].map((stream) => stream.info());
  }

  points(id: LogStreamId, from: number): LogPointBatch {
    const stream = this.streams.get(id);
    if (!stream) throw new ApiError('not-found', 'This log is no longer being read.');
    return stream.points(from);
  }

  shutdown(): void {
    for (const id of [...this.streams.keys()]) this.close(id);
  }
}
