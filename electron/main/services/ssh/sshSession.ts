import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader sees only its default export (the bundles keep it external).
import ssh2 from 'ssh2';
import type { AuthHandlerMiddleware, AuthenticationType, Client, ClientChannel, ConnectConfig, NextAuthHandler, SFTPWrapper } from 'ssh2';

const { Client: SshClient, utils } = ssh2;
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';
import { classifySshFailure, SshError } from './sshErrors';

/** One machine on the way: the target, or a jump host before it. */
export interface SshHop {
  host: string;
  port: number;
  username: string;
  /** Private key paths, tried in order. Only paths are kept, never key contents. */
  identityFiles: string[];
  useAgent: boolean;
  allowPassword: boolean;
  allowKeyboardInteractive: boolean;
}

export interface HostKey {
  type: string;
  blob: Uint8Array;
}

/**
 * Decides about a host key during the key exchange, before authentication starts: nothing
 * secret is sent until it resolves `true`. A refusal carries the error to show.
 */
export type HostKeyPolicy = (hop: SshHop, key: HostKey) => Promise<true | SshError>;

export interface KeyboardInteractiveChallenge {
  name: string;
  instructions: string;
  prompts: { prompt: string; echo: boolean }[];
}

/** Asks the user (or a secret store) for what a hop needs; `undefined` means "cancelled". */
export interface AuthPrompter {
  password(hop: SshHop): Promise<string | undefined>;
  passphrase(hop: SshHop, keyPath: string, retry: boolean): Promise<string | undefined>;
  keyboardInteractive(hop: SshHop, challenge: KeyboardInteractiveChallenge): Promise<string[] | undefined>;
}

export interface SessionOptions {
  hops: SshHop[];
  hostKeyPolicy: HostKeyPolicy;
  prompter: AuthPrompter;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  readyTimeoutMs?: number;
  /** A socket to use instead of TCP (tests put a delaying proxy here). */
  connectSocket?: (hop: SshHop) => Duplex | undefined;
  /** Told about every command run on the target, with the head of its output. */
  onCommand?: (record: CommandRecord) => void;
}

export interface CommandRecord extends ExecResult {
  command: string;
  startedAt: number;
  finishedAt: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/** How much of each stream a command record keeps. */
const RECORD_HEAD_BYTES = 16 * 1024;

export interface NegotiatedAlgorithms {
  kex: string;
  serverHostKey: string;
  cipher: string;
  mac: string;
  compression: string;
}

export interface ExecOptions {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Sent and closed at once; a stream is piped as it comes (stdin closes when it ends). */
  stdin?: string | Uint8Array | Readable;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** false: the audit trail gets the command and its status, not its output (the user's own process list, say). */
  auditOutput?: boolean;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
}

/** A terminal's channel: the login shell, or an interactive command such as `docker exec -it`. */
export interface PtyOptions {
  /** Without one, the user's login shell (an SSH "shell" request). */
  command?: RemoteCommand;
  cols: number;
  rows: number;
}

/** How the audit trail names a login shell, which has no command line of its own. */
export const LOGIN_SHELL_RECORD = '(login shell on a terminal)';

export interface RunResult extends ExecResult {
  stdout: string;
  stderr: string;
}

const MAX_KEY_ATTEMPTS = 6;
const MAX_PASSPHRASE_TRIES = 3;
/** Collected output of `run` is capped: checks read a screenful, never a whole log. */
const RUN_OUTPUT_LIMIT = 8 * 1024 * 1024;

export class SshSession {
  private readonly closeListeners = new Set<(error: SshError | undefined) => void>();
  private closedWith: SshError | undefined | null = null;

  private constructor(
    private readonly clients: Client[],
    readonly algorithms: NegotiatedAlgorithms,
    private readonly onCommand: SessionOptions['onCommand'],
    private readonly siblings: SessionOptions,
  ) {
    const target = clients[clients.length - 1];
    let lastError: SshError | undefined;
    target?.on('error', (error) => (lastError = classifySshFailure(error, 'connection')));
    target?.on('close', () => this.finish(lastError ?? new SshError('network', 'The connection closed.')));
  }

  /**
   * Options for more connections to the same host beside this one (big uploads): the same hops
   * and host-key policy, and a prompter that answers only with what this login was told — the
   * user is never asked again, and a question it cannot answer means that connection does without.
   */
  optionsForMoreConnections(): SessionOptions {
    return this.siblings;
  }

  static async open(options: SessionOptions): Promise<SshSession> {
    const clients: Client[] = [];
    const answers = new AnswerMemory(options.prompter);
    const withMemory = { ...options, prompter: answers.recording };
    try {
      let algorithms: NegotiatedAlgorithms | undefined;
      for (const hop of options.hops) {
        const previous = clients[clients.length - 1];
        const sock = previous ? await forwardTo(previous, hop) : options.connectSocket?.(hop);
        const { client, negotiated } = await connectHop(hop, withMemory, sock);
        clients.push(client);
        algorithms = negotiated;
      }
      if (!algorithms) throw new SshError('protocol', 'No host to connect to.');
      return new SshSession(clients, algorithms, options.onCommand, { ...options, prompter: answers.replaying, onCommand: undefined });
    } catch (error) {
      for (const client of clients.reverse()) client.end();
      throw error;
    }
  }

  private get client(): Client {
    const client = this.clients[this.clients.length - 1];
    if (!client || this.closedWith !== null) throw this.closedWith ?? new SshError('network', 'Not connected.');
    return client;
  }

  get isOpen(): boolean {
    return this.closedWith === null;
  }

  /** Runs a command built by `sh`, streaming its output. */
  exec(command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const client = this.client;
    const record = this.onCommand ? new OutputHead() : undefined;
    const startedAt = Date.now();
    const watched: ExecOptions =
      record && options.auditOutput !== false
        ? { ...options, onStdout: (chunk) => (record.add('stdout', chunk), options.onStdout?.(chunk)), onStderr: (chunk) => (record.add('stderr', chunk), options.onStderr?.(chunk)) }
        : options;
    return new Promise<ExecResult>((resolve, reject) => {
      client.exec(command.text, (error, channel) => {
        if (error) {
          reject(classifySshFailure(error, 'exec'));
          return;
        }
        attachExec(channel, watched, (result) => {
          if (record) this.onCommand?.({ ...result, command: command.text, startedAt, finishedAt: Date.now(), ...record.text() });
          resolve(result);
        });
      });
    });
  }

  /** Runs a command and collects its output (capped), for checks that parse what it prints. */
  async run(command: RemoteCommand, options: Omit<ExecOptions, 'onStdout' | 'onStderr'> = {}): Promise<RunResult> {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      if (size >= RUN_OUTPUT_LIMIT) return;
      size += chunk.length;
      into.push(chunk);
    };
    const result = await this.exec(command, { ...options, onStdout: keep(stdout), onStderr: keep(stderr) });
    return { ...result, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
  }

  /**
   * Opens a channel with an xterm-256color pty. The audit trail gets the command and its exit
   * status when the channel closes, never what went through it (keystrokes, passwords, output).
   */
  openPty(options: PtyOptions): Promise<ClientChannel> {
    const client = this.client;
    const window = { term: 'xterm-256color', cols: options.cols, rows: options.rows, width: 0, height: 0 };
    const startedAt = Date.now();
    return new Promise((resolve, reject) => {
      const opened = (error: Error | undefined, channel: ClientChannel) => {
        if (error) {
          reject(classifySshFailure(error, 'terminal'));
          return;
        }
        if (this.onCommand) this.auditPty(channel, options.command?.text ?? LOGIN_SHELL_RECORD, startedAt);
        resolve(channel);
      };
      if (options.command) client.exec(options.command.text, { pty: window }, opened);
      else client.shell(window, opened);
    });
  }

  private auditPty(channel: ClientChannel, command: string, startedAt: number): void {
    let code: number | null = null;
    let signal: string | null = null;
    channel.once('exit', (exitCode: number | null, exitSignal?: string) => {
      code = exitCode;
      signal = exitSignal ?? null;
    });
    channel.once('close', () => {
      this.onCommand?.({ command, code, signal, timedOut: false, cancelled: false, startedAt, finishedAt: Date.now(), stdout: '', stderr: '', truncated: false });
    });
  }

  /** A new SFTP channel; transfers open several to keep a long link busy. */
  sftp(): Promise<SFTPWrapper> {
    const client = this.client;
    return new Promise((resolve, reject) => {
      client.sftp((error, sftp) => (error ? reject(classifySshFailure(error, 'sftp')) : resolve(sftp)));
    });
  }

  /** A bare `sftp` subsystem channel, for a client that speaks the protocol itself (upload lanes). */
  sftpSubsystem(): Promise<ClientChannel> {
    const client = this.client;
    return new Promise((resolve, reject) => {
      client.subsys('sftp', (error, channel) => (error ? reject(classifySshFailure(error, 'sftp')) : resolve(channel)));
    });
  }

  /**
   * One global-request round trip. Cancelling a forward that does not exist costs the server
   * nothing, and ssh2 reports the reply to its callback (its keepalive ping offers no hook).
   */
  ping(): Promise<number> {
    const client = this.client;
    const started = performance.now();
    return new Promise((resolve) => client.unforwardIn('127.0.0.1', 1, () => resolve(performance.now() - started)));
  }

  close(): void {
    for (const client of [...this.clients].reverse()) client.end();
    this.finish(undefined);
  }

  /** Fires once: with an error when the link failed, with nothing when we closed it. */
  onClose(listener: (error: SshError | undefined) => void): () => void {
    if (this.closedWith !== null) {
      queueMicrotask(() => listener(this.closedWith ?? undefined));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private finish(error: SshError | undefined): void {
    if (this.closedWith !== null) return;
    this.closedWith = error;
    for (const client of this.clients) client.end();
    for (const listener of this.closeListeners) listener(error);
    this.closeListeners.clear();
  }
}

/** The first RECORD_HEAD_BYTES of stdout and of stderr, for the audit trail. */
class OutputHead {
  private readonly parts = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private readonly sizes = { stdout: 0, stderr: 0 };
  private cut = false;

  add(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const room = RECORD_HEAD_BYTES - this.sizes[stream];
    if (room <= 0) {
      this.cut = true;
      return;
    }
    if (chunk.length > room) this.cut = true;
    const kept = chunk.subarray(0, room);
    this.parts[stream].push(kept);
    this.sizes[stream] += kept.length;
  }

  text(): { stdout: string; stderr: string; truncated: boolean } {
    return { stdout: Buffer.concat(this.parts.stdout).toString('utf8'), stderr: Buffer.concat(this.parts.stderr).toString('utf8'), truncated: this.cut };
  }
}

function attachExec(channel: ClientChannel, options: ExecOptions, resolve: (result: ExecResult) => void): void {
  let code: number | null = null;
  let signal: string | null = null;
  let timedOut = false;
  let cancelled = false;
  const stop = () => {
    // Ask the process to stop (OpenSSH honours "signal" requests), then drop the channel.
    try {
      channel.signal('TERM');
    } catch {
      // The channel may already be closing.
    }
    channel.close();
  };
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs)
    : undefined;
  const onAbort = () => {
    cancelled = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  channel.on('data', (chunk: Buffer) => options.onStdout?.(chunk));
  channel.stderr.on('data', (chunk: Buffer) => options.onStderr?.(chunk));
  channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
    code = exitCode;
    signal = exitSignal ?? null;
  });
  channel.on('close', () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    resolve({ code, signal, timedOut, cancelled });
  });
  // stdin stays open unless we feed it: ssh2 drops "signal" requests on a channel whose writing
  // side is closed, and cancelling relies on them. Commands are built not to read stdin.
  if (options.stdin instanceof Readable) options.stdin.pipe(channel);
  else if (options.stdin !== undefined) channel.end(options.stdin);
}

function forwardTo(previous: Client, hop: SshHop): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    previous.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, stream) => {
      if (error) reject(new SshError('unreachable', `The jump host could not reach ${hop.host}:${hop.port} (${error.message}).`));
      else resolve(stream);
    });
  });
}

function agentSocket(): string | undefined {
  if (process.env.SSH_AUTH_SOCK) return process.env.SSH_AUTH_SOCK;
  return process.platform === 'win32' ? 'pageant' : undefined;
}

function connectHop(hop: SshHop, options: SessionOptions, sock: Duplex | undefined): Promise<{ client: Client; negotiated: NegotiatedAlgorithms }> {
  const where = `${hop.username}@${hop.host}:${hop.port}`;
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let hostKeyRefusal: SshError | undefined;
    let negotiated: NegotiatedAlgorithms | undefined;
    const auth = new AuthSequence(hop, options.prompter);
    let settled = false;
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };

    client.on('handshake', (info) => {
      negotiated = { kex: info.kex, serverHostKey: info.serverHostKey, cipher: info.cs.cipher, mac: info.cs.mac || '(implicit)', compression: info.cs.compress };
    });
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      // Keystrokes must not wait for Nagle's algorithm.
      client.setNoDelay(true);
      resolve({ client, negotiated: negotiated ?? { kex: '?', serverHostKey: '?', cipher: '?', mac: '?', compression: '?' } });
    });
    client.on('error', (error) => fail(hostKeyRefusal ?? auth.failure() ?? classifySshFailure(error, where)));
    client.on('close', () => fail(hostKeyRefusal ?? auth.failure() ?? new SshError('network', `${where}: the connection closed during login.`)));

    const config: ConnectConfig = {
      host: hop.host,
      port: hop.port,
      username: hop.username,
      sock,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 4,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        const parsed = utils.parseKey(key);
        const type = parsed instanceof Error ? 'unknown' : parsed.type;
        options.hostKeyPolicy(hop, { type, blob: new Uint8Array(key) }).then(
          (verdict) => {
            if (verdict !== true) hostKeyRefusal = verdict;
            verify(verdict === true);
          },
          (error: unknown) => {
            hostKeyRefusal = classifySshFailure(error, where);
            verify(false);
          },
        );
      },
      authHandler: ((methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (auth: NextAuth) => void) => {
        auth.next(methodsLeft).then(next, (error: unknown) => {
          auth.abort(classifySshFailure(error, where));
          next(false);
        });
      }) as unknown as AuthHandlerMiddleware,
    };
    const agent = hop.useAgent ? agentSocket() : undefined;
    if (agent) config.agent = agent;
    client.connect(config);
  });
}

/** ssh2 also takes `false` ("no more methods"), which its type definitions leave out. */
type NextAuth = Parameters<NextAuthHandler>[0] | false;

/**
 * OpenSSH's order: agent, then key files, then password, then keyboard-interactive, each only
 * when the server still lists it. Prompts happen here, after the host key was accepted.
 */
class AuthSequence {
  private readonly steps: Array<'none' | 'agent' | 'key' | 'password' | 'keyboard-interactive'> = [];
  private keyIndex = 0;
  private keyAttempts = 0;
  private readonly tried: string[] = [];
  private aborted: SshError | undefined;

  constructor(
    private readonly hop: SshHop,
    private readonly prompter: AuthPrompter,
  ) {
    this.steps.push('none');
    if (hop.useAgent && agentSocket()) this.steps.push('agent');
    if (hop.identityFiles.length) this.steps.push('key');
    if (hop.allowPassword) this.steps.push('password');
    if (hop.allowKeyboardInteractive) this.steps.push('keyboard-interactive');
  }

  abort(error: SshError): void {
    this.aborted = error;
  }

  /** Why login failed, once the server gave up on us (or the user cancelled a prompt). */
  failure(): SshError | undefined {
    if (this.aborted) return this.aborted;
    if (this.tried.length <= 1) return undefined;
    const methods = this.tried.filter((method) => method !== 'none').join(', ');
    return new SshError('auth', `Authentication failed for ${this.hop.username}@${this.hop.host}${methods ? ` (tried ${methods})` : ''}.`);
  }

  async next(methodsLeft: AuthenticationType[] | null): Promise<NextAuth> {
    const allowed = (method: AuthenticationType) => methodsLeft === null || methodsLeft.includes(method);
    const username = this.hop.username;
    while (this.steps.length) {
      const step = this.steps[0];
      if (step === 'none') {
        this.steps.shift();
        this.tried.push('none');
        return { type: 'none', username };
      }
      if (step === 'agent') {
        this.steps.shift();
        const agent = agentSocket();
        if (!agent || !allowed('publickey')) continue;
        this.tried.push('agent');
        return { type: 'agent', username, agent };
      }
      if (step === 'key') {
        const path = this.hop.identityFiles[this.keyIndex++];
        if (path === undefined || this.keyAttempts >= MAX_KEY_ATTEMPTS) {
          this.steps.shift();
          continue;
        }
        if (!allowed('publickey')) continue;
        const key = await this.loadKey(path);
        if (!key) continue;
        this.keyAttempts++;
        this.tried.push(`key ${path}`);
        return { type: 'publickey', username, key: key.data, passphrase: key.passphrase } as NextAuth;
      }
      this.steps.shift();
      if (step === 'password' && allowed('password')) {
        const password = await this.prompter.password(this.hop);
        if (password === undefined) throw new SshError('cancelled', 'Login cancelled.');
        this.tried.push('password');
        return { type: 'password', username, password };
      }
      if (step === 'keyboard-interactive' && allowed('keyboard-interactive')) {
        this.tried.push('keyboard-interactive');
        return {
          type: 'keyboard-interactive',
          username,
          prompt: (name, instructions, _lang, prompts, finish) => {
            if (prompts.length === 0) {
              finish([]);
              return;
            }
            this.prompter.keyboardInteractive(this.hop, { name, instructions, prompts: prompts.map(({ prompt, echo }) => ({ prompt, echo: !!echo })) }).then(
              (answers) => {
                if (answers === undefined) this.abort(new SshError('cancelled', 'Login cancelled.'));
                finish(answers ?? []);
              },
              () => finish([]),
            );
          },
        };
      }
    }
    return false;
  }

  /** Reads a key file (only its path is ever stored) and asks for its passphrase if it has one. */
  private async loadKey(path: string): Promise<{ data: Buffer; passphrase?: string } | undefined> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      return undefined;
    }
    const plain = utils.parseKey(data);
    if (!(plain instanceof Error)) return { data };
    if (!/passphrase|encrypted/i.test(plain.message)) return undefined;
    for (let attempt = 0; attempt < MAX_PASSPHRASE_TRIES; attempt++) {
      const passphrase = await this.prompter.passphrase(this.hop, path, attempt > 0);
      if (passphrase === undefined) throw new SshError('cancelled', 'Login cancelled.');
      if (!(utils.parseKey(data, passphrase) instanceof Error)) return { data, passphrase };
    }
    throw new SshError('auth', `Wrong passphrase for ${path}.`);
  }
}

/**
 * The password and passphrases a login was given, per hop, kept in memory for the session's life
 * so that its sibling connections can log in the same way. Keyboard-interactive answers are not
 * replayed: they are often one-time codes.
 */
class AnswerMemory {
  private readonly given = new Map<string, string>();

  constructor(private readonly asker: AuthPrompter) {}

  private remember(key: string, answer: string | undefined): string | undefined {
    if (answer !== undefined) this.given.set(key, answer);
    return answer;
  }

  readonly recording: AuthPrompter = {
    password: async (hop) => this.remember(passwordKey(hop), await this.asker.password(hop)),
    passphrase: async (hop, keyPath, retry) => this.remember(passphraseKey(hop, keyPath), await this.asker.passphrase(hop, keyPath, retry)),
    keyboardInteractive: (hop, challenge) => this.asker.keyboardInteractive(hop, challenge),
  };

  readonly replaying: AuthPrompter = {
    password: (hop) => Promise.resolve(this.given.get(passwordKey(hop))),
    // A retry means the remembered passphrase was wrong for this key: there is nothing better to say.
    passphrase: (hop, keyPath, retry) => Promise.resolve(retry ? undefined : this.given.get(passphraseKey(hop, keyPath))),
    keyboardInteractive: () => Promise.resolve(undefined),
  };
}

const passwordKey = (hop: SshHop) => `${hop.username}@${hop.host}:${hop.port}`;
const passphraseKey = (hop: SshHop, keyPath: string) => `${passwordKey(hop)}|${keyPath}`;
