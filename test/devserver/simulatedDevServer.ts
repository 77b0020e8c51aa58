/**
 * A simulated Ascend DevServer for tests: a real OpenSSH sshd on 127.0.0.1 whose sessions find
 * simulated npu-smi, docker, sysctl, yum, iptables and sudo first on PATH. The commands replay
 * real outputs from test/fixtures and keep their state in per-server files (see bin/lib.sh).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { abandonNetwork, joinNetwork, leaveNetwork } from './clusterNetwork';
import { RootHelper } from './rootHelper';
import { makeWeightsFolder } from './trainingFiles';

/** Defaults: npu ok, docker installed, dockerDaemon up, ipForward 1 (also in sysctl.conf). */
export interface DevServerOptions {
  name?: string;
  npu?: 'ok' | 'missing' | 'error' | 'alarm' | 'busy';
  docker?: 'installed' | 'missing';
  dockerDaemon?: 'up' | 'down';
  ipForward?: 0 | 1;
  /** What the simulated torchrun does: train to the end, or fail with an NPU OOM after a few steps. */
  training?: 'ok' | 'oom';
  /** Seconds between two training steps: 0.5 (normal), or 3 (slow) for a run to stop or look into while it goes. */
  trainingPace?: 'normal' | 'slow';
  /** Whether the container reaches the internet (huggingface-cli download). */
  internet?: 'up' | 'down';
}

export interface SimulatedDevServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** Unencrypted ed25519 private key authorized for `user`. */
  clientKey: string;
  /** Passphrase-protected (keyPassphrase) ed25519 key, also authorized. */
  encryptedClientKey: string;
  keyPassphrase: string;
  /** 'SHA256:…' of the ed25519 host key, as OpenSSH prints it (no '=' padding). */
  hostKeyFingerprint: string;
  /** '[127.0.0.1]:PORT ssh-ed25519 AAAA…' for the current ed25519 host key. */
  knownHostsLine: string;
  stateDir: string;
  /** A folder the login user owns, for the guide's work dir (the sim user cannot create /home/ma-user/ws). */
  workDir: string;
  /** Takes effect on the next command; `name` cannot change. */
  setSwitch(name: keyof DevServerOptions, value: string | number): Promise<void>;
  /** The command lines of the server's live processes (sshd, sessions and what they started, detached or not), like `ps -e -o args`. */
  processes(): string[];
  /** Copies a local file or folder into `remoteDir` as root, as the guide's uploads to the host are ("上传文件到宿主机时使用的是root用户"). */
  copyAsRoot(localPath: string, remoteDir: string): Promise<void>;
  /** A reimaged server: sessions dropped, new host keys, sshd back on the same port. */
  rotateHostKey(): Promise<void>;
  /** SIGKILL to sshd and every session process, like a server dying mid-transfer. */
  kill(): Promise<void>;
  /** Serves again on the same port with the same keys (after kill). */
  restart(): Promise<void>;
  /** Shuts down and removes the temp dir with keys, state and logs. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

const HOST = '127.0.0.1';
const USER = 'qvl-sim';
const PASSWORD = 'qvl-sim-Test-Pass-1';
const KEY_PASSPHRASE = 'qvl-sim test key passphrase';
const SSHD = '/usr/sbin/sshd';
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ALWAYS_PRESENT = ['sysctl', 'yum', 'iptables', 'sudo', 'torchrun', 'huggingface-cli'];
/** Commands a switch can make "missing": they then answer like bash for an unknown command. */
const SWITCHED_COMMANDS = { npu: 'npu-smi', docker: 'docker' } as const;
const START_TIMEOUT_MS = 10_000;

type SwitchName = Exclude<keyof DevServerOptions, 'name'>;
type Switches = Record<SwitchName, string>;

const SWITCH_VALUES: Record<SwitchName, readonly string[]> = {
  npu: ['ok', 'missing', 'error', 'alarm', 'busy'],
  docker: ['installed', 'missing'],
  dockerDaemon: ['up', 'down'],
  ipForward: ['0', '1'],
  training: ['ok', 'oom'],
  trainingPace: ['normal', 'slow'],
  internet: ['up', 'down'],
};

const DEFAULT_SWITCHES: Switches = { npu: 'ok', docker: 'installed', dockerDaemon: 'up', ipForward: '1', training: 'ok', internet: 'up', trainingPace: 'normal' };

function switchValue(name: keyof DevServerOptions, value: string | number): string {
  if (name === 'name') throw new Error('name is fixed when the simulated DevServer starts');
  const text = String(value);
  if (!SWITCH_VALUES[name].includes(text)) throw new Error(`${name} must be one of ${SWITCH_VALUES[name].join(', ')}, not ${text}`);
  return text;
}

interface Account {
  uid: number;
  gid: number;
}

let account: Promise<Account> | undefined;

/** The shared login user, created at most once per process (and under flock across processes). */
function provisionAccount(): Promise<Account> {
  account ??= run('flock', [join(tmpdir(), 'qvl-sim-user.lock'), 'sh', join(HERE, 'provisionUser.sh'), USER, PASSWORD]).then(
    ({ stdout }) => {
      const [uid, gid] = stdout.trim().split('\n').map(Number);
      if (uid === undefined || gid === undefined) throw new Error(`provisionUser.sh printed no uid/gid: ${stdout}`);
      return { uid, gid };
    },
    (error: unknown) => {
      account = undefined;
      throw error;
    },
  );
  return account;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function receivesBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    let received = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server's processes: sshd with its per-connection children, and every session process,
 * found by the QVL_SIM_STATE its sessions carry even after their parents died.
 */
function serverPids(sshdPid: number | undefined, stateTag: string): Set<number> {
  const children = new Map<number, number[]>();
  const found = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(stateTag)) found.add(pid);
    } catch {
      // The process exited while the table was read.
    }
  }
  const pending = sshdPid === undefined ? [...found] : [sshdPid, ...found];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    found.add(pid);
    for (const child of children.get(pid) ?? []) if (!found.has(child)) pending.push(child);
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

const live = new Set<DevServer>();
let exitHookInstalled = false;

/** A test that never calls stop() must not leave sshd or its temp dir behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const server of live) server.abandon();
    abandonNetwork();
  });
}

class DevServer implements SimulatedDevServer {
  readonly host = HOST;
  readonly user = USER;
  readonly password = PASSWORD;
  readonly keyPassphrase = KEY_PASSPHRASE;
  readonly clientKey: string;
  readonly encryptedClientKey: string;
  readonly stateDir: string;
  readonly workDir: string;
  port = 0;
  hostKeyFingerprint = '';
  private hostKeyBlob = '';
  private sshd: ChildProcess | undefined;
  private readonly binDir: string;
  private readonly simDir: string;
  private readonly rootHelper: RootHelper;
  private network = '';

  constructor(
    private readonly name: string,
    private readonly root: string,
    private readonly owner: Account,
  ) {
    this.clientKey = join(root, 'id_ed25519');
    this.encryptedClientKey = join(root, 'id_ed25519_encrypted');
    this.stateDir = join(root, 'state');
    this.workDir = join(root, 'ws');
    this.binDir = join(root, 'bin');
    // Mirrors the repo layout (devserver/bin next to ../fixtures) so the scripts find fixtures
    // the same way in both places.
    this.simDir = join(root, 'sim');
    this.rootHelper = new RootHelper(join(this.stateDir, 'root-requests'), root, owner);
  }

  get knownHostsLine(): string {
    return `[${HOST}]:${this.port} ssh-ed25519 ${this.hostKeyBlob}`;
  }

  private get configPath(): string {
    return join(this.root, 'sshd_config');
  }

  private get logPath(): string {
    return join(this.root, 'sshd.log');
  }

  private get running(): boolean {
    return this.sshd !== undefined && this.sshd.exitCode === null && this.sshd.signalCode === null;
  }

  async prepare(switches: Switches): Promise<void> {
    // sshd reads authorized_keys and the sessions read the scripts as the unprivileged user.
    await chmod(this.root, 0o755);
    await Promise.all([
      this.generateHostKeys(),
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'qvl-sim test key', '-f', this.clientKey]),
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', KEY_PASSPHRASE, '-C', 'qvl-sim encrypted test key', '-f', this.encryptedClientKey]),
      cp(join(HERE, 'bin'), join(this.simDir, 'devserver', 'bin'), { recursive: true }),
      cp(join(HERE, '..', 'fixtures', 'npu-smi'), join(this.simDir, 'fixtures', 'npu-smi'), { recursive: true }),
      cp(join(HERE, '..', 'fixtures', 'docker'), join(this.simDir, 'fixtures', 'docker'), { recursive: true }),
      cp(join(HERE, '..', 'fixtures', 'logs'), join(this.simDir, 'fixtures', 'logs'), { recursive: true }),
      mkdir(join(this.stateDir, 'containers'), { recursive: true }),
      mkdir(this.workDir),
      mkdir(this.binDir),
      // The Hub the simulated huggingface-cli downloads from.
      makeWeightsFolder(join(this.simDir, 'hub', 'Qwen')),
    ]);
    this.network = await joinNetwork(this.owner.uid, this.owner.gid);
    await this.rootHelper.start();
    const publicKeys = await Promise.all([readFile(`${this.clientKey}.pub`, 'utf8'), readFile(`${this.encryptedClientKey}.pub`, 'utf8')]);
    await writeFile(join(this.root, 'authorized_keys'), publicKeys.join(''), { mode: 0o644 });

    await writeFile(join(this.stateDir, 'sysctl.conf'), `net.ipv4.ip_forward=${switches.ipForward}\n`);
    await writeFile(join(this.stateDir, 'images.tsv'), '');
    for (const [name, value] of Object.entries(switches)) await this.writeState(name, value);
    for (const command of ALWAYS_PRESENT) await this.link(command);
    await this.showCommand('npu', switches.npu);
    await this.showCommand('docker', switches.docker);
    for (const path of [this.stateDir, join(this.stateDir, 'containers'), join(this.stateDir, 'sysctl.conf'), join(this.stateDir, 'images.tsv'), this.binDir, this.workDir]) {
      await chown(path, this.owner.uid, this.owner.gid);
    }
  }

  async listen(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      await this.writeConfig();
      try {
        await this.launch();
        return;
      } catch (error) {
        // Another process may take the probed port before sshd binds it.
        if (attempt >= 5 || !String(error).includes('Address already in use')) throw error;
      }
    }
  }

  async copyAsRoot(localPath: string, remoteDir: string): Promise<void> {
    await run('cp', ['-R', '--', localPath, `${remoteDir}/`]);
  }

  async setSwitch(name: keyof DevServerOptions, value: string | number): Promise<void> {
    const text = switchValue(name, value);
    await this.writeState(name, text);
    if (name === 'npu' || name === 'docker') await this.showCommand(name, text);
  }

  async rotateHostKey(): Promise<void> {
    await this.kill();
    await Promise.all(['ed25519', 'rsa'].flatMap((type) => [`ssh_host_${type}_key`, `ssh_host_${type}_key.pub`]).map((file) => rm(join(this.root, file), { force: true })));
    await this.generateHostKeys();
    await this.launch();
  }

  async kill(): Promise<void> {
    const sshd = this.sshd;
    this.signalServer('SIGKILL');
    if (sshd !== undefined && sshd.exitCode === null && sshd.signalCode === null) {
      // Referenced again so the process stays up until the exit arrives.
      sshd.ref();
      await once(sshd, 'exit');
    }
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    const sshd = this.sshd;
    if (this.running && sshd !== undefined) {
      this.signalServer('SIGTERM');
      await Promise.race([once(sshd, 'exit'), delay(2000)]);
    }
    // Whatever ignored SIGTERM is killed, and kill() waits for sshd.
    await this.kill();
    this.rootHelper.stop();
    live.delete(this);
    if (this.network !== '') {
      this.network = '';
      await leaveNetwork();
    }
    await rm(this.root, { recursive: true, force: true });
  }

  /** Synchronous last resort for process exit. */
  abandon(): void {
    this.rootHelper.stop();
    this.signalServer('SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
  }

  processes(): string[] {
    return [...serverPids(this.running ? this.sshd?.pid : undefined, `QVL_SIM_STATE=${this.stateDir}`)].flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // A zombie has ended: only its entry waits to be reaped.
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return [];
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')];
      } catch {
        return [];
      }
    });
  }

  private signalServer(name: NodeJS.Signals): void {
    const tag = `QVL_SIM_STATE=${this.stateDir}`;
    let pids = serverPids(this.running ? this.sshd?.pid : undefined, tag);
    // SIGKILL repeats until no session is left: a session may fork while the first round runs.
    for (let round = 0; pids.size > 0 && round < 20; round++) {
      for (const pid of pids) signal(pid, name);
      if (name !== 'SIGKILL') return;
      pids = serverPids(undefined, tag);
    }
  }

  private async generateHostKeys(): Promise<void> {
    const ed25519 = join(this.root, 'ssh_host_ed25519_key');
    await Promise.all([
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', ed25519]),
      run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-N', '', '-C', '', '-f', join(this.root, 'ssh_host_rsa_key')]),
    ]);
    const blob = (await readFile(`${ed25519}.pub`, 'utf8')).split(' ')[1];
    if (blob === undefined) throw new Error(`unreadable host key ${ed25519}.pub`);
    this.hostKeyBlob = blob;
    // OpenSSH prints SHA256 fingerprints as unpadded base64.
    this.hostKeyFingerprint = `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
  }

  private async writeConfig(): Promise<void> {
    const path = (file: string) => `"${join(this.root, file)}"`;
    const config = [
      `ListenAddress ${HOST}`,
      `Port ${this.port}`,
      `HostKey ${path('ssh_host_ed25519_key')}`,
      `HostKey ${path('ssh_host_rsa_key')}`,
      `PidFile ${path('sshd.pid')}`,
      'UsePAM yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication yes',
      'PubkeyAuthentication yes',
      `AuthorizedKeysFile ${path('authorized_keys')}`,
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${USER}`,
      'LogLevel VERBOSE',
      'MaxSessions 32',
      'MaxStartups 100:30:200',
      'X11Forwarding no',
      'Subsystem sftp internal-sftp',
      // Plain `ssh host cmd` gets this PATH as is; login shells get it back from ~/.profile. Every
      // simulated server is this machine's one sim user, so each gets a git config of its own (the
      // guide's `git config --global`, run on two servers at once, would race for one ~/.gitconfig).
      `SetEnv "QVL_SIM_BIN=${this.binDir}" "QVL_SIM_STATE=${this.stateDir}" "QVL_SIM_NETWORK=${this.network}" "PATH=${this.binDir}:/usr/local/bin:/usr/bin:/bin" "GIT_CONFIG_GLOBAL=${this.stateDir}/gitconfig"`,
    ];
    await writeFile(this.configPath, `${config.join('\n')}\n`);
  }

  private async launch(): Promise<void> {
    // sshd's privilege separation directory; tmpfs on most hosts, so it may be gone.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const log = openSync(this.logPath, 'a');
    // The log spans restarts; only what this sshd writes tells whether it is up.
    const start = fstatSync(log).size;
    this.sshd = spawn(SSHD, ['-D', '-e', '-f', this.configPath], { stdio: ['ignore', log, log] });
    // A forgotten server must not keep the test process alive; the exit hook still removes it.
    this.sshd.unref();
    closeSync(log);
    const output = async () => (await readFile(this.logPath)).subarray(start).toString();
    const listening = `Server listening on ${HOST} port ${this.port}.`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (this.running && Date.now() < deadline) {
      if ((await output()).includes(listening) && (await receivesBanner(this.port))) return;
      await delay(30);
    }
    if (this.running) await this.kill();
    throw new Error(`sshd of simulated DevServer "${this.name}" did not start on port ${this.port}:\n${await output()}`);
  }

  private async link(command: string, script = command): Promise<void> {
    await symlink(join(this.simDir, 'devserver', 'bin', script), join(this.binDir, command));
  }

  private async showCommand(name: keyof typeof SWITCHED_COMMANDS, value: string): Promise<void> {
    const command = SWITCHED_COMMANDS[name];
    await rm(join(this.binDir, command), { force: true });
    await this.link(command, value === 'missing' ? 'not-installed' : command);
  }

  private async writeState(name: string, value: string): Promise<void> {
    const path = join(this.stateDir, name);
    // Replaced by rename, so a command reading the switch never sees an empty file.
    await writeFile(`${path}.new`, `${value}\n`);
    await chown(`${path}.new`, this.owner.uid, this.owner.gid);
    await rename(`${path}.new`, path);
  }
}

export async function startDevServer(options: DevServerOptions = {}): Promise<SimulatedDevServer> {
  if (process.getuid?.() !== 0) {
    throw new Error('The simulated DevServer needs root: it creates the login user qvl-sim and runs sshd on 127.0.0.1 (CI runs tests as root).');
  }
  const name = options.name ?? 'devserver';
  const switches: Switches = { ...DEFAULT_SWITCHES };
  for (const key of Object.keys(SWITCH_VALUES) as SwitchName[]) {
    const value = options[key];
    if (value !== undefined) switches[key] = switchValue(key, value);
  }
  const owner = await provisionAccount();
  const root = await mkdtemp(join(tmpdir(), `qvl-devserver-${name.replace(/[^\w-]/g, '_')}-`));
  const server = new DevServer(name, root, owner);
  live.add(server);
  installExitHook();
  try {
    await server.prepare(switches);
    await server.listen();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
