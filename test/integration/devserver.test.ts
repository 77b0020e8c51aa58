// Proves the simulated DevServer harness with the real OpenSSH client: every simulated command
// is checked against the recorded fixtures it replays.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

const FIXTURE_REF = '127.0.0.1:5000/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b';
const GUIDE_REF = FIXTURE_REF.replace('127.0.0.1:5000', 'swr.cn-southwest-2.myhuaweicloud.com');
const GUIDE_REPOSITORY = GUIDE_REF.slice(0, GUIDE_REF.lastIndexOf(':'));
const GUIDE_DEVICES = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `/dev/davinci${n}`).concat('/dev/davinci_manager', '/dev/devmm_svm', '/dev/hisi_hdc');

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/** A whole-output fixture without its leading "# source:" line. */
function recorded(path: string): string {
  const text = fixture(path);
  return text.slice(text.indexOf('\n') + 1);
}

function recordedLine(path: string, start: string): string {
  const line = fixture(path).split('\n').find((candidate) => candidate.startsWith(start));
  if (line === undefined) throw new Error(`${path} has no line starting ${start}`);
  return line;
}

/** The lines recorded under `header`, up to the next command, comment or (unless withStatus) "rc=" line. */
function block(path: string, header: string, withStatus = false): string {
  const lines = fixture(path).split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`${path} has no line ${header}`);
  const end = lines.findIndex((line, index) => index > start && (withStatus ? /^(\$ |#)/ : /^(\$ |#|rc=)/).test(line));
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch = '';
const knownHostsFiles = new Map<string, string>();

/** A known_hosts file trusting exactly `line`, written once: suites running in parallel read it. */
function knownHosts(line: string): string {
  let file = knownHostsFiles.get(line);
  if (file === undefined) {
    file = join(scratch, `known_hosts-${knownHostsFiles.size}`);
    writeFileSync(file, `${line}\n`);
    knownHostsFiles.set(line, file);
  }
  return file;
}

function openssh(program: 'ssh' | 'sftp', server: SimulatedDevServer, args: string[], trusted: string, input = ''): Promise<Result> & { child: ReturnType<typeof spawn> } {
  const options = ['-F', '/dev/null', '-i', server.clientKey, '-o', `UserKnownHostsFile=${knownHosts(trusted)}`, '-o', 'GlobalKnownHostsFile=/dev/null'];
  options.push('-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', program === 'ssh' ? '-p' : '-P', String(server.port));
  const child = spawn(`/usr/bin/${program}`, [...options, ...args]);
  const result = new Promise<Result>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(input);
  return Object.assign(result, { child });
}

function ssh(server: SimulatedDevServer, command: string, options: { tty?: boolean; input?: string; trusted?: string } = {}) {
  const target = `${server.user}@${server.host}`;
  return openssh('ssh', server, [...(options.tty ? ['-tt'] : []), target, command], options.trusted ?? server.knownHostsLine, options.input);
}

/** `command`'s stderr and exit status only, to check several failures in one session. */
const failure = (command: string) => `${command} 2>&1 >/dev/null; echo "rc=$?"`;

// One server per concern, so suites flipping switches never disturb each other: the suites run
// in parallel ({ concurrent: true }) while the steps inside each run in order (it.sequential).
let host: SimulatedDevServer; // npu, docker availability, host setup
let dockerHost: SimulatedDevServer; // the guide's docker workflow
let second: SimulatedDevServer; // a second machine: separate state, rotation, kill/restart
let workDir = '';

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'qvl-devserver-test-'));
  // The host dir the container mounts; the sim user writes into it through docker exec and SFTP.
  workDir = mkdtempSync(join(tmpdir(), 'qvl-devserver-work-'));
  chmodSync(workDir, 0o777);
  [host, dockerHost, second] = await Promise.all([
    startDevServer({ name: 'host' }),
    startDevServer({ name: 'docker' }),
    startDevServer({ name: 'second', npu: 'missing', ipForward: 0 }),
  ]);
});

afterAll(async () => {
  await Promise.all([host, dockerHost, second].map((server) => server?.stop()));
  rmSync(scratch, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('simulated npu-smi', { concurrent: true }, () => {
  it.sequential('replays npu-smi info and info -l byte for byte', async () => {
    expect(await ssh(host, 'npu-smi info')).toEqual({ code: 0, stdout: recorded('npu-smi/npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt'), stderr: '' });
    expect(await ssh(host, 'npu-smi info -l | grep Total')).toEqual({ code: 0, stdout: '        Total Count                    : 8\n', stderr: '' });
  });

  it.sequential('changes what npu-smi says with each npu switch', async () => {
    const idle = recorded('npu-smi/npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt').split('\n');
    try {
      await host.setSwitch('npu', 'missing');
      expect(await ssh(host, 'npu-smi info')).toEqual({ code: 127, stdout: '', stderr: `${recordedLine('npu-smi/npu-smi-errors.txt', 'bash: npu-smi')}\n` });

      await host.setSwitch('npu', 'error');
      const error = await ssh(host, 'npu-smi info');
      expect(error.code).not.toBe(0);
      expect(error.stderr).toBe(block('npu-smi/npu-smi-errors.txt', 'root@aa6890a14c34:/# npu-smi info'));
      expect(error.stderr).toContain('because the device is used. ret is -8020');

      await host.setSwitch('npu', 'alarm');
      const alarm = (await ssh(host, 'npu-smi info')).stdout.split('\n');
      expect(alarm).toHaveLength(idle.length);
      expect(alarm.filter((line, index) => line !== idle[index])).toEqual(['| 3     910B4               | Alarm         | 89.1        34                0    / 0             |']);

      await host.setSwitch('npu', 'busy');
      const busy = await ssh(host, 'npu-smi info');
      expect(busy.stdout).toBe(recorded('npu-smi/npu-smi-info-910b4-2visible-24.1.rc3-procs-in-container.txt'));
      expect(busy.stdout).toMatch(/\| 3 +0 +\| 14414 +\| python +\| 113 +\|/);
    } finally {
      await host.setSwitch('npu', 'ok');
    }
  });
});

describe('simulated docker, the guide workflow', { concurrent: true }, () => {
  let id = '';

  it.sequential('pulls the guide image with the recorded progress, then lists it', async () => {
    const progress = block('docker/docker-pull-notty.txt', `$ docker pull ${FIXTURE_REF}`).replaceAll(FIXTURE_REF, GUIDE_REF);
    expect(await ssh(dockerHost, `docker pull ${GUIDE_REF}`)).toEqual({ code: 0, stdout: progress, stderr: '' });

    const listed = await ssh(dockerHost, `docker images --format '{{json .}}'; docker images --format '{{.Repository}}:{{.Tag}}'; docker pull ${GUIDE_REF}`);
    const [json = '', name, ...again] = listed.stdout.trimEnd().split('\n');
    const image = JSON.parse(json) as Record<string, string>;
    const real = JSON.parse(block('docker/docker-images.txt', "$ docker images --format '{{json .}}'      (client 28.2.2)")) as Record<string, string>;
    expect(Object.keys(image)).toEqual(Object.keys(real));
    expect(image).toMatchObject({ Repository: GUIDE_REPOSITORY, Tag: real.Tag, Size: real.Size, Digest: '<none>' });
    expect(image.ID).toMatch(/^[0-9a-f]{12}$/);
    expect(name).toBe(GUIDE_REF);
    expect(again.join('\n')).toBe(block('docker/docker-pull-notty.txt', '# second pull of the same tag:').replaceAll(FIXTURE_REF, GUIDE_REF).trimEnd());

    const refused = await ssh(dockerHost, [failure("docker pull 'swr.cn-southwest-2.myhuaweicloud.com/atelier/x:TAG WITH SPACE'"), failure('docker pull registry.example.com/team/image:1')].join('; '));
    const timeout = 'Error response from daemon: Get "https://registry.example.com/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';
    expect(refused.stdout).toBe(`invalid reference format\nrc=1\n${timeout}\nrc=1\n`);
  });

  it.sequential('runs the guide container, which ps and inspect then show with its devices', async () => {
    const flags = [...GUIDE_DEVICES.map((device) => `--device=${device}`), '--shm-size=64g', '-v /usr/local/dcmi:/usr/local/dcmi', '-v /usr/local/Ascend/driver:/usr/local/Ascend/driver'];
    flags.push('-v /var/log/npu/:/usr/slog', '-v /usr/local/bin/npu-smi:/usr/local/bin/npu-smi', `-v ${workDir}:/home/ma-user/ws`, '--name qwen');
    const run = await ssh(dockerHost, `docker run -itd --net=host ${flags.join(' ')} $(docker images -q ${GUIDE_REPOSITORY}) /bin/bash`);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    id = run.stdout.trim();

    const holdersFormat = '{{.Name}} {{.HostConfig.Privileged}} {{range .HostConfig.Devices}}{{.PathOnHost}} {{end}}';
    const shown = await ssh(dockerHost, `docker ps --format '{{json .}}'; echo ---; docker inspect qwen; echo ---; docker ps -q | xargs docker inspect --format '${holdersFormat}'`);
    const [ps = '', inspect = '', holders] = shown.stdout.split('---\n');

    const row = JSON.parse(ps) as Record<string, unknown>;
    const realRow = JSON.parse(block('docker/docker-ps.txt', "$ docker ps -a --format '{{json .}}'      (client 28.2.2)").split('\n')[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(row)).toEqual(Object.keys(realRow));
    expect(row).toMatchObject({ ID: id.slice(0, 12), Names: 'qwen', State: 'running', Networks: 'host', Command: '"/bin/bash"', Platform: null });
    expect(row.Mounts).toBe(`${workDir.slice(0, 14)}…,/usr/local/Asc…,/usr/local/bin…,/usr/local/dcmi,/var/log/npu`);

    const [container] = JSON.parse(inspect) as InspectedContainer[];
    const [real] = JSON.parse(block('docker/docker-inspect-qwen2vl_train.json.txt', '$ docker inspect qwen2vl_train')) as InspectedContainer[];
    const realOnHostNetwork = { ...real, NetworkSettings: { ...real?.NetworkSettings, Networks: { host: real?.NetworkSettings.Networks.bridge } } };
    expect(keyShape(container)).toEqual(keyShape(realOnHostNetwork));
    expect(container).toMatchObject({ Id: id, Name: '/qwen', Path: '/bin/bash', State: { Status: 'running', Running: true } });
    expect(container?.HostConfig).toMatchObject({ NetworkMode: 'host', ShmSize: 68719476736, Privileged: false });
    expect(container?.HostConfig.Devices).toEqual(GUIDE_DEVICES.map((device) => ({ PathOnHost: device, PathInContainer: device, CgroupPermissions: 'rwm' })));
    expect(container?.HostConfig.Binds).toContain(`${workDir}:/home/ma-user/ws`);
    expect(holders).toBe(`/qwen false ${GUIDE_DEVICES.join(' ')} \n`);

    const conflict = block('docker/docker-run-errors.txt', '$ docker run -d --device=/dev/davinci0 --name qwen2vl_train <image> sleep 1');
    expect(await ssh(dockerHost, `docker run -d --device=/dev/davinci0 --name qwen ${GUIDE_REF} sleep 1`)).toEqual({
      code: 125,
      stdout: '',
      stderr: conflict.replaceAll('qwen2vl_train', 'qwen').replace(/[0-9a-f]{64}/, id),
    });
  });

  it.sequential('runs docker exec in the work dir, with and without a terminal', async () => {
    expect(await ssh(dockerHost, 'docker exec qwen pwd')).toEqual({ code: 0, stdout: `${workDir}\n`, stderr: '' });

    const session = (header: string) => block('docker/docker-exec-session.txt', header, true);
    const written = await ssh(dockerHost, ["docker exec -u ma-user qwen sh -c 'echo written > note.txt'", failure('docker exec -u nosuchuser qwen id'), failure('docker exec -it nosuchcontainer bash'), failure('docker exec -it qwen bash')].join('; '));
    expect(written.stdout).toBe(`${session('$ docker exec -u nosuchuser qwen2vl_train id')}${session('$ docker exec -it nosuchcontainer bash')}the input device is not a TTY\nrc=1\n`);
    expect(readFileSync(join(workDir, 'note.txt'), 'utf8')).toBe('written\n');

    const shell = await ssh(dockerHost, 'docker exec -it qwen bash', { tty: true, input: 'cd . && pwd && exit 3\n' });
    expect(shell.code).toBe(3);
    expect(shell.stdout).toContain(`${workDir}\r\n`);
  });
});

describe('simulated docker availability', { concurrent: true }, () => {
  it.sequential('fails like a real host when the daemon is down or docker is not installed', async () => {
    try {
      await host.setSwitch('dockerDaemon', 'down');
      const down = block('docker/docker-pull-errors.txt', '$ docker version   (daemon not running / no permission on socket gives a similar first line)');
      expect(await ssh(host, 'docker ps')).toEqual({ code: 1, stdout: '', stderr: down });
      expect(await ssh(host, `${failure('docker info')}; docker -v`)).toEqual({ code: 0, stdout: `${down}rc=1\n${block('docker/docker-v.txt', '$ docker -v')}`, stderr: '' });

      await host.setSwitch('docker', 'missing');
      const missing = block('docker/docker-v.txt', '$ docker -v   (docker not installed; typical bash message)');
      expect(await ssh(host, 'docker -v')).toEqual({ code: 127, stdout: '', stderr: missing });
      const install = await ssh(host, 'yum install -y docker-engine.aarch64 docker-engine-selinux.noarch docker-runc.aarch64 >/dev/null && docker -v');
      expect(install).toEqual({ code: 0, stdout: 'Docker version 28.2.2, build e6534b4\n', stderr: '' });
    } finally {
      await host.setSwitch('dockerDaemon', 'up');
      await host.setSwitch('docker', 'installed');
    }
  });
});

describe('simulated host setup', { concurrent: true }, () => {
  it.sequential('puts the simulated commands first on PATH, for login shells too', async () => {
    const bin = join(dirname(host.stateDir), 'bin');
    const found = await ssh(host, "command -v npu-smi docker; bash -lc 'command -v npu-smi docker'");
    expect(found).toEqual({ code: 0, stdout: `${bin}/npu-smi\n${bin}/docker\n`.repeat(2), stderr: '' });
  });

  it.sequential('keeps ip_forward apart from sysctl.conf, and iptables rules, as the guide checks them', async () => {
    const script = 'sysctl -w net.ipv4.ip_forward=0; sysctl -n net.ipv4.ip_forward; sysctl -p | grep net.ipv4.ip_forward; sysctl net.ipv4.ip_forward';
    expect(await ssh(host, script)).toEqual({ code: 0, stdout: 'net.ipv4.ip_forward = 0\n0\nnet.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 1\n', stderr: '' });

    const rule = '-p tcp -d 169.254.169.254 -m owner --uid-owner 1000 -j REJECT';
    const firewall = await ssh(host, `iptables -C OUTPUT ${rule}; echo $?; sudo iptables -A OUTPUT ${rule} && iptables -C OUTPUT ${rule} && iptables -S OUTPUT`);
    expect(firewall).toEqual({
      code: 0,
      stdout: '1\n-P OUTPUT ACCEPT\n-A OUTPUT -d 169.254.169.254/32 -p tcp -m owner --uid-owner 1000 -j REJECT --reject-with icmp-port-unreachable\n',
      stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).\n',
    });
  });

  it.sequential('accepts the password and the passphrase-protected key, presenting the advertised host key', async () => {
    const key = readFileSync(host.encryptedClientKey);
    for (const credentials of [{ password: host.password }, { privateKey: key, passphrase: host.keyPassphrase }]) {
      expect(await exec2(host, 'echo $QVL_SIM_STATE', credentials)).toEqual({ output: `${host.stateDir}\n`, fingerprint: host.hostKeyFingerprint });
    }
  });

  it.sequential('transfers files over SFTP', async () => {
    const upload = join(scratch, 'upload.bin');
    writeFileSync(upload, randomBytes(256 * 1024));
    const batch = join(scratch, 'batch');
    writeFileSync(batch, `put ${upload} ${workDir}/upload.bin\nget ${workDir}/upload.bin ${scratch}/download.bin\n`);
    const transfer = await openssh('sftp', host, ['-b', batch, `${host.user}@${host.host}`], host.knownHostsLine);
    expect(transfer.code).toBe(0);
    expect(readFileSync(join(scratch, 'download.bin')).equals(readFileSync(upload))).toBe(true);
  });
});

describe('several simulated DevServers', { concurrent: true }, () => {
  it.sequential('keep their own ports, host keys and state', async () => {
    expect(new Set([host, dockerHost, second].map((server) => server.port)).size).toBe(3);
    expect(second.hostKeyFingerprint).not.toBe(dockerHost.hostKeyFingerprint);
    expect(second.stateDir).not.toBe(dockerHost.stateDir);
    const [docker, other] = await Promise.all([dockerHost, second].map((server) => ssh(server, 'sysctl -n net.ipv4.ip_forward; npu-smi info -l | grep Total')));
    expect(docker).toEqual({ code: 0, stdout: '1\n        Total Count                    : 8\n', stderr: '' });
    expect(other).toMatchObject({ stdout: '0\n', stderr: 'bash: npu-smi: command not found\n' });
  });

  it.sequential('refuses strict ssh after rotateHostKey, with the host-key-changed error', async () => {
    const before = second.knownHostsLine;
    await second.rotateHostKey();
    expect(second.knownHostsLine).not.toBe(before);
    const refused = await ssh(second, 'true', { trusted: before });
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(refused.stderr).toContain('Host key verification failed.');
    expect(await ssh(second, 'echo ok')).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it.sequential('drops a running session on kill() and serves again after restart()', async () => {
    const session = ssh(second, 'echo started; sleep 30');
    await new Promise<void>((resolve) => session.child.stdout?.once('data', () => resolve()));
    const killedAt = Date.now();
    await second.kill();
    const dropped = await session;
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(dropped.code).toBe(255);
    expect((await ssh(second, 'true')).code).toBe(255);

    await second.restart();
    expect(await ssh(second, 'echo back')).toEqual({ code: 0, stdout: 'back\n', stderr: '' });
  });
});

interface InspectedContainer {
  HostConfig: { Devices: unknown[]; Binds: string[] };
  NetworkSettings: { Networks: Record<string, unknown> };
}

/** Every key path of a JSON value, array elements collapsed, to compare structures. */
function keyShape(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyShape(item, `${path}[]`)).filter((item, index, all) => all.indexOf(item) === index);
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([key, item]) => keyShape(item, `${path}.${key}`));
}

/** Runs a command through the ssh2 library, also reporting the host key it was shown. */
function exec2(server: SimulatedDevServer, command: string, credentials: { password: string } | { privateKey: Buffer; passphrase: string }): Promise<{ output: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let fingerprint = '';
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (error, stream) => {
        if (error) return reject(error);
        let output = '';
        stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
        stream.on('close', () => {
          client.end();
          resolve({ output, fingerprint });
        });
      });
    });
    client.connect({
      host: server.host,
      port: server.port,
      username: server.user,
      ...credentials,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => {
        fingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}
