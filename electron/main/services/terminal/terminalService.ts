import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../../shared/api/apiError';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { TerminalOpenRequest } from '../../../../shared/terminal/terminalApi';
import type { TerminalBusy, TerminalData, TerminalInfo } from '../../../../shared/terminal/terminalApi';
import type { SshSession } from '../ssh/sshSession';
import { foregroundJob, foregroundProbe, parseProcTable, sessionLeaders } from './foregroundJob';
import { SessionLog } from './sessionLog';
import { Terminal } from './terminal';
import { containerProbe, containerShell, terminalTitle } from './terminalTarget';

export interface TerminalServiceOptions {
  /** The host's live session (the connection manager connects or reconnects as needed). */
  session(hostId: HostId): Promise<SshSession>;
  profile(hostId: HostId): Promise<HostProfile>;
  /** Where session logs go (the data folder's terminal-logs). */
  logDir: string;
  onData(data: TerminalData): void;
  onChange(info: TerminalInfo): void;
  now?: () => Date;
}

/** What the UI is told when the foreground job cannot be found out: ask before closing. */
const UNKNOWN: TerminalBusy = { busy: true, command: null };
/** The probe lists the command lines of the user's jobs: the audit trail keeps only that it ran. */
const PROBE_OPTIONS = { timeoutMs: 5000, auditOutput: false };

/**
 * The terminals of every host. Opening one asks the host's session for a pty channel (a login
 * shell, or `docker exec -it` into a container); each terminal then lives until it is closed,
 * and stays listed after it exited or dropped so the view can offer to reopen it.
 */
export class TerminalService {
  private readonly terminals = new Map<string, Terminal>();
  /** Pty channels of one session are opened one at a time, so their shells start in open order. */
  private readonly opening = new WeakMap<SshSession, Promise<unknown>>();
  private opened = 0;

  constructor(private readonly options: TerminalServiceOptions) {}

  list(): TerminalInfo[] {
    return [...this.terminals.values()].map((terminal) => terminal.info());
  }

  async open(input: TerminalOpenRequest): Promise<TerminalInfo> {
    const request = TerminalOpenRequest.parse(input);
    const id = randomUUID();
    const profile = await this.options.profile(request.hostId);
    const session = await this.options.session(request.hostId).catch((error: unknown) => {
      throw new ApiError('disconnected', error instanceof Error ? error.message : String(error));
    });
    const command = request.target.kind === 'container' ? containerShell(request.target, id) : undefined;
    const { channel, order } = await this.serially(session, async () => ({ channel: await session.openPty({ command, cols: request.cols, rows: request.rows }), order: this.opened++ }));
    let log: SessionLog | null = null;
    if (request.log) {
      try {
        log = await SessionLog.create(this.options.logDir, profile.name, id, this.options.now?.() ?? new Date());
      } catch (error) {
        channel.close();
        throw error;
      }
    }
    const terminal = new Terminal({
      id,
      hostId: request.hostId,
      target: request.target,
      title: terminalTitle(profile, request.target),
      session,
      channel,
      order,
      log,
      onData: (data) => this.options.onData({ id, data }),
      onEnd: (ended) => this.options.onChange(ended.info()),
    });
    this.terminals.set(id, terminal);
    const info = terminal.info();
    this.options.onChange(info);
    return info;
  }

  write(id: string, data: string): void {
    this.get(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.get(id).resize(cols, rows);
  }

  acknowledge(id: string, chars: number): void {
    this.get(id).acknowledge(chars);
  }

  /** Closes the shell (if it still runs) and forgets the terminal. */
  close(id: string): void {
    const terminal = this.get(id);
    this.terminals.delete(id);
    terminal.close();
  }

  closeAll(): void {
    for (const id of [...this.terminals.keys()]) this.close(id);
  }

  /**
   * Whether the shell runs a job now. A host shell is found among the sessions sshd started for
   * this connection (in the order the terminals were opened); a container shell by the marker it
   * carries, looked up inside the container. Anything uncertain answers "busy, unknown command".
   */
  async busy(id: string): Promise<TerminalBusy> {
    const terminal = this.get(id);
    if (terminal.state !== 'running') return { busy: false, command: null };
    const target = terminal.target;
    try {
      if (target.kind === 'container') {
        const procs = parseProcTable((await terminal.session.run(containerProbe(target, id), PROBE_OPTIONS)).stdout);
        const leaders = sessionLeaders(procs);
        return leaders.length === 1 && leaders[0] ? foregroundJob(procs, leaders[0]) : UNKNOWN;
      }
      const procs = parseProcTable((await terminal.session.run(foregroundProbe(null), PROBE_OPTIONS)).stdout);
      const leaders = sessionLeaders(procs);
      // Container terminals are sessions of this connection too (their `docker exec` client).
      const siblings = [...this.terminals.values()].filter((other) => other.session === terminal.session && other.state === 'running').sort((a, b) => a.order - b.order);
      const leader = leaders.length === siblings.length ? leaders[siblings.indexOf(terminal)] : undefined;
      return leader ? foregroundJob(procs, leader) : UNKNOWN;
    } catch {
      return UNKNOWN;
    }
  }

  private get(id: string): Terminal {
    const terminal = this.terminals.get(id);
    if (!terminal) throw new ApiError('not-found', `No terminal ${id}.`);
    return terminal;
  }

  private serially<T>(session: SshSession, task: () => Promise<T>): Promise<T> {
    const previous = this.opening.get(session) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.opening.set(session, next.catch(() => undefined));
    return next;
  }
}
