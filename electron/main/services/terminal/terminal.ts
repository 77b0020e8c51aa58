import type { ClientChannel } from 'ssh2';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import type { TerminalInfo, TerminalState, TerminalTarget } from '../../../../shared/terminal/terminalApi';
import type { SshError } from '../ssh/sshErrors';
import type { SshSession } from '../ssh/sshSession';
import { FlowGate } from './flowGate';
import { OutputBatcher } from './outputBatcher';
import type { OutputStream } from './outputBatcher';
import type { SessionLog } from './sessionLog';

/**
 * sshd always reports a shell's exit status before closing its channel, unless the connection
 * itself is going away: then the channel may close (or report a killing signal) a moment before
 * the session notices.
 */
const CONNECTION_LOSS_GRACE_MS = 2000;

export interface TerminalSetup {
  id: string;
  hostId: HostId;
  target: TerminalTarget;
  title: LocalizedText;
  session: SshSession;
  channel: ClientChannel;
  /** Position among the session's pty channels, by when they were opened. */
  order: number;
  log: SessionLog | null;
  /** Text for the view, in order. */
  onData(text: string): void;
  /** The terminal exited or dropped. */
  onEnd(terminal: Terminal): void;
}

/**
 * One shell on a pty channel: output decoded and batched for the view, paused when the view
 * falls behind, copied to the session log; ends as 'exited' (the shell's exit status) or
 * 'dropped' (the connection's error), always after the last of its output.
 */
export class Terminal {
  readonly id: string;
  readonly hostId: HostId;
  readonly target: TerminalTarget;
  readonly title: LocalizedText;
  readonly session: SshSession;
  readonly order: number;
  private readonly channel: ClientChannel;
  private readonly log: SessionLog | null;
  private readonly output: OutputBatcher;
  private readonly gate: FlowGate;
  private status: TerminalState = 'running';
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private reason: string | null = null;
  /** Set when the connection went away: what is still buffered drains, then the terminal drops. */
  private lostWith: string | null = null;
  private channelDone = false;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly stopWatchingSession: () => void;

  constructor(private readonly setup: TerminalSetup) {
    this.id = setup.id;
    this.hostId = setup.hostId;
    this.target = setup.target;
    this.title = setup.title;
    this.session = setup.session;
    this.order = setup.order;
    this.channel = setup.channel;
    this.log = setup.log;
    this.output = new OutputBatcher((text) => {
      this.log?.write(text);
      setup.onData(text);
    });
    this.gate = new FlowGate({
      pause: () => {
        this.flowing(false);
        // Nothing more arrives until the view catches up: holding the tail for company would only
        // delay the acknowledgements that resume the channel.
        this.output.flush();
      },
      resume: () => {
        this.output.expectMore();
        this.flowing(true);
      },
    });
    const channel = setup.channel;
    channel.on('data', (chunk: Buffer) => this.received(chunk, 'stdout'));
    channel.stderr.on('data', (chunk: Buffer) => this.received(chunk, 'stderr'));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.exitCode = code;
      this.exitSignal = signal ?? null;
    });
    // ssh2 emits 'close' only after the last buffered 'data', so nothing is cut off.
    channel.on('close', () => this.channelClosed());
    this.stopWatchingSession = setup.session.onClose((error) => this.connectionLost(error));
  }

  get state(): TerminalState {
    return this.status;
  }

  info(): TerminalInfo {
    return { id: this.id, hostId: this.hostId, target: this.target, title: this.title, state: this.status, exitCode: this.exitCode, reason: this.reason, logFile: this.log?.path ?? null };
  }

  write(data: string): void {
    if (this.status === 'running') this.channel.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.status === 'running') this.channel.setWindow(rows, cols, 0, 0);
  }

  acknowledge(chars: number): void {
    this.gate.acknowledged(chars);
  }

  /**
   * Closes the channel (sshd hangs up the pty, which ends the shell and its jobs) without
   * waiting for the server: the terminal counts as exited now.
   */
  close(): void {
    this.output.flush();
    this.finish('exited', 'Closed.');
    // A paused stream would never reach 'close', which ssh2 needs to forget the channel.
    this.flowing(true);
    this.channel.close();
  }

  private received(chunk: Buffer, stream: OutputStream): void {
    // After the view closed the terminal, what the server still sends has nowhere to go.
    if (this.status !== 'running') return;
    const chars = this.output.push(chunk, stream);
    // Without a connection there is no sender to slow down; what is buffered just drains.
    if (this.lostWith === null) this.gate.sent(chars);
  }

  private connectionLost(error: SshError | undefined): void {
    this.lostWith = error?.message ?? 'Disconnected.';
    if (this.channelDone) {
      this.finish('dropped', this.lostWith);
      return;
    }
    this.flowing(true);
  }

  /**
   * Pausing the readable side is what stops the server: ssh2 withholds the window adjustment
   * while its buffer is full, so sshd stops reading the pty once the window is used up.
   */
  private flowing(on: boolean): void {
    for (const stream of [this.channel, this.channel.stderr]) {
      if (on) stream.resume();
      else stream.pause();
    }
  }

  private channelClosed(): void {
    if (this.status !== 'running') return;
    this.output.end();
    this.channelDone = true;
    if (this.lostWith !== null) this.finish('dropped', this.lostWith);
    else if (this.exitCode !== null) this.finish('exited', null);
    else {
      // A shell killed by a signal is also what a dying server looks like (its processes are
      // killed before the connection closes), so wait for the connection before calling it exited.
      const reason = this.exitSignal !== null ? `Ended by signal ${this.exitSignal}.` : 'The shell ended without an exit status.';
      this.graceTimer = setTimeout(() => this.finish('exited', reason), CONNECTION_LOSS_GRACE_MS);
    }
  }

  private finish(state: Exclude<TerminalState, 'running'>, reason: string | null): void {
    if (this.status !== 'running') return;
    clearTimeout(this.graceTimer);
    this.status = state;
    this.reason = reason;
    this.stopWatchingSession();
    void this.log?.close();
    this.setup.onEnd(this);
  }
}
