import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppBackend } from '../../electron/main/services/appBackend';
import type { AppBackend } from '../../electron/main/services/appBackend';
import { MemoryHostsRepository } from '../../electron/main/services/hosts/hostsRepository';
import { MemorySecretStore } from '../../electron/main/services/hosts/secretStore';
import { MemorySettingsRepository } from '../../electron/main/services/settings/jsonFileSettingsRepository';
import { LOGIN_SHELL_RECORD } from '../../electron/main/services/ssh/sshSession';
import type { AuditEntry } from '../../shared/audit/auditEntry';
import { sh } from '../../shared/remote/remoteCommand';
import { TERMINAL_FLOW } from '../../shared/terminal/terminalApi';
import type { TerminalBusy, TerminalData, TerminalInfo } from '../../shared/terminal/terminalApi';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

const IMAGE = 'swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b';
const CONTAINER = 'qvl-term';

let server: SimulatedDevServer;
let backend: AppBackend;
let dataDir: string;
/** A folder on this machine that the server's user can write to, so tests can look at it. */
let shared: string;
let hostId: string;
const screens = new Map<string, Screen>();
const changes: TerminalInfo[] = [];

async function call(method: string, input?: unknown): Promise<unknown> {
  const result = await backend.dispatcher.dispatch(method, input, { clientId: 'test' });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a view of one terminal received. It acknowledges in TERMINAL_FLOW.ackBatch steps, as the
 * renderer does after xterm parsed the text, unless told to hold back. Large floods are only
 * counted, with the positions of the markers a test watches for.
 */
class Screen {
  text = '';
  total = 0;
  acking: boolean;
  private unacked = 0;
  private carry = '';
  private readonly marks: Array<{ pattern: string; from: number; at: number | null }> = [];

  constructor(
    readonly id: string,
    private readonly keep: boolean,
    acking: boolean,
  ) {
    this.acking = acking;
  }

  receive(data: string): void {
    const window = this.carry + data;
    const base = this.total - this.carry.length;
    for (const mark of this.marks) {
      if (mark.at !== null) continue;
      const found = window.indexOf(mark.pattern, Math.max(0, mark.from - base));
      if (found >= 0) mark.at = base + found;
    }
    this.total += data.length;
    this.carry = window.slice(-256);
    if (this.keep) this.text += data;
    this.unacked += data.length;
    if (this.acking) this.acknowledge(false);
  }

  /** Sends what is owed (all of it when `all`, else whole batches). */
  acknowledge(all: boolean): void {
    const chars = all ? this.unacked : this.unacked - (this.unacked % TERMINAL_FLOW.ackBatch);
    if (chars <= 0) return;
    this.unacked -= chars;
    void call('terminal:ack', { id: this.id, chars });
  }

  /** The absolute position of `pattern`'s first appearance from now on, once it arrived. */
  mark(pattern: string): () => number | undefined {
    const mark = { pattern, from: this.total, at: null as number | null };
    this.marks.push(mark);
    return () => mark.at ?? undefined;
  }

  async expect(pattern: string, timeoutMs?: number): Promise<void> {
    const seen = this.mark(pattern);
    await waitFor(seen, `"${pattern}" on the screen`, timeoutMs);
  }
}

async function open(request: Record<string, unknown>, view: { keep?: boolean; acking?: boolean } = {}): Promise<{ info: TerminalInfo; screen: Screen }> {
  const info = (await call('terminal:open', { hostId, cols: 80, rows: 24, ...request })) as TerminalInfo;
  const screen = new Screen(info.id, view.keep ?? true, view.acking ?? true);
  screens.set(info.id, screen);
  return { info, screen };
}

/** Opens a host shell and waits for its prompt, set to something no command echo contains. */
async function openShell(request: Record<string, unknown> = {}, view: { keep?: boolean; acking?: boolean } = {}) {
  const opened = await open({ target: { kind: 'host' }, ...request }, view);
  const prompt = opened.screen.mark('QVL> ');
  await call('terminal:write', { id: opened.info.id, data: "PS1='QVL''> '\r" });
  await waitFor(prompt, 'the prompt');
  return opened;
}

async function run(screen: Screen, line: string, expected: string): Promise<void> {
  const seen = screen.mark(expected);
  await call('terminal:write', { id: screen.id, data: `${line}\r` });
  await waitFor(seen, `"${expected}" after ${line}`);
}

const busy = (id: string) => call('terminal:busy', { id }) as Promise<TerminalBusy>;
const ended = (id: string) => waitFor(() => changes.find((change) => change.id === id && change.state !== 'running'), `terminal ${id} to end`);

beforeAll(async () => {
  server = await startDevServer({ name: 'terminal' });
  dataDir = mkdtempSync(join(tmpdir(), 'qvl-terminal-'));
  shared = mkdtempSync(join(tmpdir(), 'qvl-terminal-shared-'));
  chmodSync(shared, 0o777);
  backend = createAppBackend({ runtime: 'web', settings: new MemorySettingsRepository(), hosts: new MemoryHostsRepository(), secrets: new MemorySecretStore(), launchLanguage: null, dataDir, home: dataDir, userKnownHosts: [] });
  backend.events.subscribe((event, payload) => {
    if (event === 'hosts:onDidRequestPrompt') void call('hosts:answerPrompt', { promptId: (payload as { promptId: string }).promptId, answer: { accept: true } });
    if (event === 'terminal:onDidData') screens.get((payload as TerminalData).id)?.receive((payload as TerminalData).data);
    if (event === 'terminal:onDidChange') changes.push(payload as TerminalInfo);
  });
  const profile = (await call('hosts:add', { name: 'node1', host: '127.0.0.1', port: server.port, user: server.user, auth: 'key', identityFile: server.clientKey, jump: [] })) as { id: string };
  hostId = profile.id;
  expect(await call('hosts:connect', { id: hostId })).toMatchObject({ state: 'connected' });
  // The guide's Step 2 container, made the way the wizard makes it.
  const session = await backend.hosts.connections.session(hostId);
  const made = await session.run(sh`docker run -d --name ${CONTAINER} ${IMAGE} /bin/bash`);
  expect(made).toMatchObject({ code: 0 });
});

afterAll(async () => {
  backend?.shutdown();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(shared, { recursive: true, force: true });
});

describe('a host shell', () => {
  it('runs what is typed and shows its output; closing forgets it', async () => {
    const { info, screen } = await openShell();
    expect(info).toMatchObject({ hostId, target: { kind: 'host' }, title: { en: `node1 · ${server.user}@127.0.0.1`, zh: `node1 · ${server.user}@127.0.0.1` }, state: 'running', exitCode: null, logFile: null });
    expect(changes).toContainEqual(info);
    await run(screen, 'echo "sum=$((40+2))"', 'sum=42');
    expect((await call('terminal:list')) as TerminalInfo[]).toContainEqual(info);
    await call('terminal:close', { id: info.id });
    expect((await call('terminal:list')) as TerminalInfo[]).not.toContainEqual(expect.objectContaining({ id: info.id }));
    await expect(call('terminal:write', { id: info.id, data: 'x' })).rejects.toThrow(/No terminal/);
  });

  it('reports the exit status when the shell exits', async () => {
    const { info, screen } = await openShell();
    await call('terminal:write', { id: info.id, data: 'exit 7\r' });
    expect(await ended(info.id)).toMatchObject({ state: 'exited', exitCode: 7, reason: null });
    expect(screen.text).toContain('exit 7');
    expect((await call('terminal:list')) as TerminalInfo[]).toContainEqual(expect.objectContaining({ id: info.id, state: 'exited' }));
    await call('terminal:close', { id: info.id });
  });

  it('resizes the pty: stty size follows', async () => {
    const { info, screen } = await openShell({ cols: 80, rows: 24 });
    await run(screen, 'echo "size=$(stty size)"', 'size=24 80');
    await call('terminal:resize', { id: info.id, cols: 132, rows: 43 });
    await run(screen, 'echo "size=$(stty size)"', 'size=43 132');
    await call('terminal:close', { id: info.id });
  });

  it('joins a UTF-8 character whose bytes arrive in separate packets', async () => {
    const { info, screen } = await openShell();
    // 中 is e4 b8 ad: the first two bytes leave 300 ms before the rest, in their own SSH packet.
    await run(screen, String.raw`printf '<\344\270'; sleep 0.3; printf '\255\346\226\207>\n'`, '>\r\n');
    expect(screen.text).toContain('<中文>');
    expect(screen.text).not.toContain('\uFFFD');
    await call('terminal:close', { id: info.id });
  });
});

describe('flow control', () => {
  it('stops the remote producer while the view does not acknowledge, and loses nothing', async () => {
    const bytes = 48 * 1024 * 1024 - 1;
    const done = join(shared, 'flood-done');
    const { info, screen } = await openShell({}, { keep: false, acking: true });
    screen.acking = false;
    const begin = screen.mark('BEGIN-2\r\n');
    const end = screen.mark('END-4');
    await call('terminal:write', { id: info.id, data: `echo BEGIN-$((1+1)); head -c ${bytes} /dev/zero | base64; echo END-$((2+2)); touch ${done}\r` });

    await waitFor(() => screen.total > TERMINAL_FLOW.high, 'the output to pass the high watermark');
    const producer = Number(await waitFor(() => pgrep(`^head -c ${bytes}`), 'the remote head process'));
    await sleep(1500);
    const emitted = screen.total;
    const written = producerWrote(producer);
    await sleep(1000);
    // Nothing more reached the view, and the process on the server wrote nothing more: the SSH
    // window closed, so sshd stopped reading the pty and base64, then head, blocked.
    expect(screen.total).toBe(emitted);
    expect(producerWrote(producer)).toBe(written);
    expect(emitted).toBeLessThan(TERMINAL_FLOW.high + 64 * 1024);
    expect(existsSync(done)).toBe(false);
    expect(pgrep(`^head -c ${bytes}`)).toBe(String(producer));

    screen.acking = true;
    screen.acknowledge(true);
    await waitFor(() => end() !== undefined && existsSync(done), 'the flood to finish', 60_000);
    // base64 wraps at 76 columns; the pty turns each \n into \r\n.
    const encoded = Math.ceil(bytes / 3) * 4;
    const expected = encoded + Math.ceil(encoded / 76) * 2;
    expect((end() ?? 0) - ((begin() ?? 0) + 'BEGIN-2\r\n'.length)).toBe(expected);
    await call('terminal:close', { id: info.id });
  });

  it('stops a flood on Ctrl+C within a second while acknowledgements flow', async () => {
    const { info, screen } = await openShell({}, { keep: false });
    await call('terminal:write', { id: info.id, data: 'base64 /dev/zero\r' });
    await waitFor(() => screen.total > 4 * 1024 * 1024, 'the flood');
    const prompt = screen.mark('QVL> ');
    const started = performance.now();
    await call('terminal:write', { id: info.id, data: '\x03' });
    await waitFor(prompt, 'the prompt after Ctrl+C', 5000);
    expect(performance.now() - started).toBeLessThan(1000);
    await run(screen, 'echo "after=$((6*7))"', 'after=42');
    await call('terminal:close', { id: info.id });
  });
});

/** The remote process's pid (the server runs on this machine). */
function pgrep(pattern: string): string | undefined {
  try {
    return execFileSync('pgrep', ['-u', server.user, '-f', pattern], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Bytes the process has written so far. */
function producerWrote(pid: number): number {
  return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
}

describe('the guide container shell', () => {
  it('opens docker exec -it as ma-user in the container, and says when a job runs', async () => {
    const { info, screen } = await open({ target: { kind: 'container', container: CONTAINER } });
    expect(info).toMatchObject({ target: { kind: 'container', container: CONTAINER, user: 'ma-user' }, title: { en: `node1 · ma-user@${CONTAINER} (container)`, zh: `node1 · ma-user@${CONTAINER}（容器）` } });
    await run(screen, 'echo "in=$QVL_SIM_USER@$QVL_SIM_CONTAINER tty=$(tty)"', `in=ma-user@${CONTAINER} tty=/dev/pts/`);
    expect(await busy(info.id)).toEqual({ busy: false, command: null });
    await call('terminal:write', { id: info.id, data: 'sleep 31\r' });
    await waitFor(async () => (await busy(info.id)).command === 'sleep 31', 'sleep to be the foreground job');
    await call('terminal:write', { id: info.id, data: '\x03' });
    await waitFor(async () => !(await busy(info.id)).busy, 'the shell to be idle again');
    await call('terminal:close', { id: info.id });
    // The probes are audited as commands, but what they found (the user's jobs) is not kept.
    const audit = (await call('audit:list', { hostId })) as AuditEntry[];
    expect(audit.filter((entry) => entry.command.includes(' probe ')).length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit)).not.toContain('sleep 31');
  });

  it('opens as another user when asked, and shows why docker refused one', async () => {
    const { info, screen } = await open({ target: { kind: 'container', container: CONTAINER, user: 'root' } });
    await run(screen, 'echo "as=$QVL_SIM_USER"', 'as=root');
    await call('terminal:close', { id: info.id });

    const refused = await open({ target: { kind: 'container', container: CONTAINER, user: 'nobody-here' } });
    expect(await ended(refused.info.id)).toMatchObject({ state: 'exited', exitCode: 126 });
    expect(refused.screen.text).toContain('unable to find user nobody-here');
    await call('terminal:close', { id: refused.info.id });
    await expect(call('terminal:open', { hostId, cols: 80, rows: 24, target: { kind: 'container', container: CONTAINER, user: '-u root' } })).rejects.toThrow(/user/);
  });

  it('records the docker exec command in the audit trail, never what was typed', async () => {
    const { info, screen } = await open({ target: { kind: 'container', container: CONTAINER } });
    await run(screen, 'echo typed-$((5*5))-keys', 'typed-25-keys');
    await call('terminal:write', { id: info.id, data: 'exit 3\r' });
    await ended(info.id);
    const entries = await waitFor(async () => {
      const all = (await call('audit:list', { hostId })) as AuditEntry[];
      return all.some((entry) => entry.command.includes(`'QVL_TERMINAL=${info.id}'`) && entry.code === 3) && all;
    }, 'the audit entry');
    const entry = entries.find((candidate) => candidate.command.includes(`QVL_TERMINAL=${info.id}`) && candidate.code === 3);
    expect(entry?.command).toMatch(new RegExp(`^docker exec '-it' '-u' 'ma-user' .*'${CONTAINER}' sh -c`));
    expect(entry).toMatchObject({ stdout: '', stderr: '' });
    expect(JSON.stringify(entries)).not.toMatch(/typed-/);
    await call('terminal:close', { id: info.id });
  });
});

describe('busy', () => {
  it('tells which of several shells runs a job, and which job', async () => {
    const first = await openShell();
    const second = await openShell();
    const third = await open({ target: { kind: 'container', container: CONTAINER } });
    await call('terminal:write', { id: second.info.id, data: 'sleep 32 | cat\r' });
    await waitFor(async () => (await busy(second.info.id)).command === 'sleep 32', 'the job to start');
    expect(await busy(second.info.id)).toEqual({ busy: true, command: 'sleep 32' });
    expect(await busy(first.info.id)).toEqual({ busy: false, command: null });
    await call('terminal:write', { id: first.info.id, data: 'exec sleep 33\r' });
    await waitFor(async () => (await busy(first.info.id)).command === 'sleep 33', 'the replaced shell');
    expect(await busy(third.info.id)).toEqual({ busy: false, command: null });
    for (const opened of [first, second, third]) await call('terminal:close', { id: opened.info.id });
  });
});

describe('session logs', () => {
  it('writes the screen to a private file, without a password typed at a prompt', async () => {
    const password = 'Typed-Pa55word-Never-Logged';
    const { info, screen } = await openShell({ log: true });
    expect(info.logFile).toMatch(new RegExp(`^${dataDir}/terminal-logs/node1-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ-${info.id}\\.log$`));
    // Echo off, then the prompt, as sudo does it (split so the echoed command line differs).
    await call('terminal:write', { id: info.id, data: `stty -echo; printf '[sudo] pass''word for %s: ' "$USER"; read -r pw; stty echo; echo; echo "length=\${#pw}"\r` });
    await screen.expect('[sudo] password for ');
    await run(screen, password, `length=${password.length}`);
    // getpass, as su/ssh/passwd-style programs prompt.
    await call('terminal:write', { id: info.id, data: `python3 -c 'import getpass; print("got", len(getpass.getpass()))'\r` });
    await screen.expect('Password: ');
    await run(screen, password, `got ${password.length}`);
    await call('terminal:close', { id: info.id });

    const logFile = info.logFile ?? '';
    const logged = await waitFor(() => {
      const text = readFileSync(logFile, 'utf8');
      return text.includes(`got ${password.length}`) && text;
    }, 'the log to be written');
    expect(logged).toContain('[sudo] password for');
    expect(logged).toContain(`length=${password.length}`);
    expect(logged).not.toContain(password);
    expect(screen.text).not.toContain(password);
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    expect(dirname(logFile)).toBe(join(dataDir, 'terminal-logs'));
    const audit = JSON.stringify(await call('audit:list', { hostId }));
    expect(audit).not.toContain(password);
    expect(audit).toContain(LOGIN_SHELL_RECORD);
  });
});

describe('a dropped connection', () => {
  it('marks the terminal dropped with the reason, and a new one opens once the server is back', async () => {
    const dying = await startDevServer({ name: 'terminal-drop' });
    try {
      const profile = (await call('hosts:add', { name: 'node2', host: '127.0.0.1', port: dying.port, user: dying.user, auth: 'key', identityFile: dying.clientKey, jump: [] })) as { id: string };
      const { info, screen } = await open({ hostId: profile.id, target: { kind: 'host' } });
      await waitFor(() => screen.total > 0, 'the prompt');
      await dying.kill();
      const dropped = await ended(info.id);
      expect(dropped).toMatchObject({ state: 'dropped', exitCode: null });
      expect(dropped.reason).toMatch(/connection/i);
      await call('terminal:write', { id: info.id, data: 'ignored\r' });
      await call('terminal:close', { id: info.id });

      await dying.restart();
      const again = await openShell({ hostId: profile.id });
      expect(again.info.state).toBe('running');
      await call('terminal:close', { id: again.info.id });
      await call('hosts:remove', { id: profile.id });
    } finally {
      await dying.stop();
    }
  });
});
