// Follows (or reads once) one training log on a DevServer through the host's SSH session.
//
// Only bytes up to a line break are parsed (see remoteLogOutput.ts), and `offset` counts exactly
// the bytes parsed. When the link drops, the connection manager reconnects; the follower waits for
// it and runs the command again from `offset`, feeding the same parser: no byte is parsed twice or
// skipped, so the point sequence is the one a single read of the whole file would give.

import { TrainingLogParser, summarizeLog } from '../../../../shared/trainingLog';
import type { ByteSearch, LogSummary } from '../../../../shared/trainingLog';
import type { HostId, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { LogPointBatch, LogStreamId, LogStreamInfo, LogStreamMode, LogStreamProblem, LogStreamState } from '../../../../shared/logs/logStreamApi';
import type { SshSession } from '../ssh/sshSession';
import { LogFollowerBatcher } from './logFollowerBatcher';
import { remoteLogCommand } from './remoteLogCommand';
import { RemoteLogOutput } from './remoteLogOutput';
import type { NoticeKind, OutputItem } from './remoteLogOutput';

/** Node's memchr-speed search for the parser (shared/ cannot use Buffer itself). */
const bufferSearch: ByteSearch = (hay, needle, from) => Buffer.prototype.indexOf.call(hay, needle, from);

/** Progress events at most this often. */
const INFO_MS = 250;
/** The summary is recomputed at most this often, and never takes more than a tenth of the time. */
const SUMMARY_MS = 1000;
/** A tail that dies while the link stays up is restarted this many times before giving up. */
const MAX_RESTARTS = 3;
/** What is kept of the shell's own error output, to explain a failure. */
const STDERR_KEEP = 2000;

export interface LogFollowerDeps {
  /** The host's live session (the connection manager's). */
  session(hostId: HostId): Promise<SshSession>;
  hostStatus(hostId: HostId): HostStatus;
  /** Subscribes to every host's status changes; returns the unsubscribe. */
  onHostStatus(listener: (status: HostStatus) => void): () => void;
  emitInfo(info: LogStreamInfo): void;
  emitBatch(batch: LogPointBatch): void;
  now?: () => number;
}

type Outcome = { kind: 'stopped' } | { kind: 'finished'; state: 'ended' | 'error'; problem: LogStreamProblem | null } | { kind: 'dropped'; detail: string | null };

const problem = (code: LogStreamProblem['code'], detail: string | null = null): LogStreamProblem => ({ code, detail });

export class LogFollower {
  private readonly parser = new TrainingLogParser({ search: bufferSearch });
  private readonly batcher: LogFollowerBatcher;
  private readonly now: () => number;
  private state: LogStreamState = 'connecting';
  private problem: LogStreamProblem | null = null;
  /** Bytes of the file parsed: where the next read starts. */
  private offset = 0;
  /** File size when the current read started: bytes up to here were written before we looked. */
  private liveFrom = 0;
  private bytesTotal: number | null = null;
  private summary: LogSummary | null = null;
  private stopped = false;
  private ended = false;
  private readonly stop$ = new AbortController();
  private infoTimer: ReturnType<typeof setTimeout> | undefined;
  private lastInfo = 0;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private summaryAt = 0;
  private summaryCost = 0;

  constructor(
    readonly id: LogStreamId,
    readonly hostId: HostId,
    readonly path: string,
    readonly mode: LogStreamMode,
    private readonly deps: LogFollowerDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.batcher = new LogFollowerBatcher(id, () => this.parser.drainPoints(), (batch) => deps.emitBatch(batch), this.now);
  }

  /** Starts reading; the promise settles when reading has finished (stopped, ended or failed). */
  start(): Promise<void> {
    return this.run().catch((error: unknown) => this.finish('error', problem('unreadable', error instanceof Error ? error.message : String(error))));
  }

  info(): LogStreamInfo {
    return {
      id: this.id,
      hostId: this.hostId,
      path: this.path,
      mode: this.mode,
      state: this.state,
      problem: this.problem,
      bytesRead: this.offset,
      bytesTotal: this.bytesTotal,
      points: this.batcher.count,
      summary: this.summary,
    };
  }

  /** Points of the sequence from `from` (at most one batch), for a renderer that missed some. */
  points(from: number): LogPointBatch {
    this.batcher.flush();
    return this.batcher.resend(this.parser.snapshot(), from);
  }

  /** Stops reading; what was read stays (state `ended`). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stop$.abort();
    if (!this.ended) this.finish('ended', null);
  }

  private async run(): Promise<void> {
    let restarts = 0;
    while (!this.stopped) {
      const session = await this.waitForSession();
      if (!session) return;
      const before = this.offset;
      const outcome = await this.readOnce(session);
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'finished') {
        this.finish(outcome.state, outcome.problem);
        return;
      }
      // The link dropped: waitForSession waits for the connection manager's reconnect.
      if (!session.isOpen) continue;
      // tail ended while the link stayed up (killed on the server?): start it again, a few times.
      restarts = this.offset > before ? 0 : restarts + 1;
      if (restarts > MAX_RESTARTS) {
        this.finish('error', problem('unreadable', outcome.detail));
        return;
      }
      await this.pause(500 * restarts);
    }
  }

  /** The host's session once it is connected; null once stopped. */
  private async waitForSession(): Promise<SshSession | null> {
    for (;;) {
      if (this.stopped) return null;
      const status = this.deps.hostStatus(this.hostId);
      if (status.state === 'connected') {
        try {
          return await this.deps.session(this.hostId);
        } catch {
          // It dropped in between: wait for the next status.
        }
      } else {
        const waiting = status.state === 'connecting' || status.state === 'reconnecting';
        this.setState('reconnecting', problem(waiting ? 'link-lost' : 'host-offline', status.error?.message ?? null));
      }
      await this.nextHostStatus();
    }
  }

  private nextHostStatus(): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        unsubscribe();
        this.stop$.signal.removeEventListener('abort', finish);
        resolve();
      };
      const unsubscribe = this.deps.onHostStatus((status) => {
        if (status.id === this.hostId) finish();
      });
      this.stop$.signal.addEventListener('abort', finish);
    });
  }

  private async readOnce(session: SshSession): Promise<Outcome> {
    const output = new RemoteLogOutput(this.path);
    const abort = new AbortController();
    const onStop = () => abort.abort();
    this.stop$.signal.addEventListener('abort', onStop);
    // Set from the output callback: how this read ends, when the output decided it.
    const read: { verdict: Outcome | null; headerSeen: boolean } = { verdict: null, headerSeen: false };
    let stderr = '';
    const onStdout = (chunk: Buffer) => {
      if (read.verdict || this.stopped) return;
      for (const item of output.push(chunk)) {
        if (item.type === 'header' || item.type === 'no-tail' || item.type === 'bad-header') read.headerSeen = true;
        read.verdict = this.handle(item);
        if (read.verdict) {
          abort.abort();
          return;
        }
      }
    };
    try {
      const result = await session.exec(remoteLogCommand(this.path, this.offset, this.mode === 'follow'), {
        onStdout,
        onStderr: (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP)),
        signal: abort.signal,
      });
      if (this.stopped) return { kind: 'stopped' };
      if (read.verdict) return read.verdict;
      if (this.mode === 'review' && read.headerSeen && result.code === 0) {
        // The end of the file: its last line may have no line break.
        this.commit(output.rest());
        this.parser.end();
        this.batcher.parsed(this.offset > this.liveFrom);
        return { kind: 'finished', state: 'ended', problem: null };
      }
      if (result.code !== null && result.code !== 0 && session.isOpen) {
        return { kind: 'dropped', detail: stderr.trim() || `The log reader ended with code ${result.code}.` };
      }
      return { kind: 'dropped', detail: stderr.trim() || null };
    } catch (error) {
      if (this.stopped) return { kind: 'stopped' };
      return { kind: 'dropped', detail: error instanceof Error ? error.message : String(error) };
    } finally {
      this.stop$.signal.removeEventListener('abort', onStop);
    }
  }

  /** Acts on one piece of output; returns how the read ends when this piece decides it. */
  private handle(item: OutputItem): Outcome | null {
    const follow = this.mode === 'follow';
    switch (item.type) {
      case 'no-tail':
        return { kind: 'finished', state: 'error', problem: problem('unreadable', 'GNU tail (coreutils) was not found on the server.') };
      case 'bad-header':
        return { kind: 'finished', state: 'error', problem: problem('unreadable', item.text) };
      case 'header':
        if (item.size === null && this.offset > 0) return { kind: 'finished', state: 'error', problem: problem('gone') };
        if (item.size !== null && item.size < this.offset) return { kind: 'finished', state: 'error', problem: problem('truncated', `${item.size} < ${this.offset}`) };
        this.liveFrom = item.size ?? 0;
        this.bytesTotal = item.size;
        this.setState('following', item.size === null && follow ? problem('missing') : null);
        return null;
      case 'data':
        this.commit(item.bytes);
        return null;
      case 'notice':
        return this.onNotice(item.notice.kind, item.notice.text);
    }
  }

  private onNotice(kind: NoticeKind, text: string): Outcome | null {
    const follow = this.mode === 'follow';
    switch (kind) {
      case 'info':
        return null;
      case 'missing':
        if (!follow) return { kind: 'finished', state: 'error', problem: problem('missing', text) };
        this.setState('following', problem('missing'));
        return null;
      case 'gone':
        this.setState('following', problem('gone', text));
        return null;
      case 'appeared':
        // A file that appears after we read from another one under that name is another run's.
        if (this.offset > 0) return { kind: 'finished', state: 'error', problem: problem('replaced', text) };
        this.setState('following', null);
        return null;
      case 'truncated':
        return { kind: 'finished', state: 'error', problem: problem('truncated', text) };
      case 'replaced':
        return { kind: 'finished', state: 'error', problem: problem('replaced', text) };
      case 'unreadable':
        return { kind: 'finished', state: 'error', problem: problem('unreadable', text) };
    }
  }

  private commit(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parser.push(bytes);
    this.offset += bytes.length;
    this.batcher.parsed(this.offset > this.liveFrom);
    this.scheduleInfo();
  }

  private setState(state: LogStreamState, next: LogStreamProblem | null): void {
    if (this.ended) return;
    if (state === this.state && next?.code === this.problem?.code && next?.detail === this.problem?.detail) return;
    this.state = state;
    this.problem = next;
    this.emitInfo();
  }

  private finish(state: 'ended' | 'error', next: LogStreamProblem | null): void {
    if (this.ended) return;
    this.batcher.flush();
    this.state = state;
    this.problem = next;
    this.ended = true;
    clearTimeout(this.infoTimer);
    clearTimeout(this.summaryTimer);
    // A file never found has no verdict ("the log is empty" would be wrong).
    if (this.offset > 0 || this.bytesTotal !== null) this.refreshSummary();
    this.batcher.dispose();
    this.emitInfo();
  }

  /** Progress at most every INFO_MS; the summary on its own, slower clock. */
  private scheduleInfo(): void {
    if (this.infoTimer === undefined) {
      const wait = Math.max(0, this.lastInfo + INFO_MS - this.now());
      this.infoTimer = setTimeout(() => {
        this.infoTimer = undefined;
        this.emitInfo();
      }, wait);
    }
    if (this.summaryTimer === undefined) {
      const wait = Math.max(0, this.summaryAt + Math.max(SUMMARY_MS, this.summaryCost * 10) - this.now());
      this.summaryTimer = setTimeout(() => {
        this.summaryTimer = undefined;
        this.refreshSummary();
        this.emitInfo();
      }, wait);
    }
  }

  private refreshSummary(): void {
    const started = performance.now();
    this.summary = summarizeLog(this.parser.snapshot());
    this.summaryCost = performance.now() - started;
    this.summaryAt = this.now();
  }

  private emitInfo(): void {
    // Points go out before the progress that counts them.
    this.batcher.flush();
    this.lastInfo = this.now();
    this.deps.emitInfo(this.info());
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.stop$.signal.addEventListener('abort', done, { once: true });
    });
  }
}
