// Step 1 as `qvl preflight` runs it: the commands of every item, and the report from their outputs.
// The npu-smi and docker outputs are the real fixtures; the rest are in the format those tools print.

import { describe, expect, it } from 'vitest';
import type { CommandOutput, GuideItem, GuideStep } from '../../../shared/guide/guideTypes';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { compareDriverVersions, npuHealthCheck } from '../../../shared/guide/npuChecks';
import type { PreflightReport } from '../../../shared/guide/preflight';
import { checkItem, checkStep, itemCommands, runPreflightChecks, stepCommands } from '../../../shared/guide/preflight';
import { fixtureBlock, fixtureText } from './guideFixtures';
import { argsSeenByShell } from './guideShell';

const step = guide.steps[0] as GuideStep;
const params = guide.defaults;

const ok = (stdout: string): CommandOutput => ({ stdout, stderr: '', code: 0 });
const failed = (stderr: string, code: number): CommandOutput => ({ stdout: '', stderr, code });

const IDLE_8 = fixtureText('npu-smi/npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt');
const DOCKER_INFO = 'Client:\n Context:    default\n\nServer:\n Containers: 0\n Server Version: 18.09.0\n Storage Driver: overlay2\n Docker Root Dir: /var/lib/docker\n';
const IPTABLES = '-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N DOCKER\n-N DOCKER-USER\n-A FORWARD -j DOCKER-USER\n-A DOCKER-USER -j RETURN\n';
const GUARD = '-A OUTPUT -d 169.254.169.254/32 -p tcp -m owner --uid-owner 1000 -j REJECT --reject-with icmp-port-unreachable\n';
const df = (rootFreeKiB: number, homeFreeKiB: number) =>
  `Filesystem     1024-blocks      Used  Available Capacity Mounted on\n/dev/sda2        204374904 100000000 ${rootFreeKiB}      50% /\n/dev/nvme0n1    7501465856 120000000 ${homeFreeKiB}       2% /home\n`;
const DAEMON_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const HELD = fixtureText('npu-smi/npu-smi-errors.txt').split('\n').slice(3, 5).join('\n');

/** A DevServer as the guide wants it, with one output per command; `changes` replace some. */
function host(changes: Record<string, CommandOutput> = {}): Map<string, CommandOutput> {
  return new Map(
    Object.entries({
      'uname -m': ok('aarch64\n'),
      'npu-smi info -l': ok(fixtureText('npu-smi/npu-smi-info-l-8card-910b4.txt')),
      'npu-smi info': ok(IDLE_8.replaceAll('25.0.rc1.1 ', '23.0.6     ')),
      'docker -v': ok('Docker version 18.09.0, build 05c4df4\n'),
      'docker info': ok(DOCKER_INFO),
      'sysctl -n net.ipv4.ip_forward': ok('1\n'),
      'iptables -S': ok(IPTABLES + GUARD),
      'df -Pk': ok(df(100_000_000, 7_000_000_000)),
      ...changes,
    }),
  );
}

const statuses = (report: PreflightReport) => Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
const summaryOf = (report: PreflightReport, id: string) => report.checks.find((check) => check.id === id)?.summary;

describe('the preflight plan', () => {
  it('runs each distinct command once, in item order (npu-smi info serves four items, docker info two)', () => {
    expect(stepCommands(step, params).map((command) => command.text)).toEqual(['uname -m', 'npu-smi info -l', 'npu-smi info', 'docker -v', 'docker info', 'sysctl -n net.ipv4.ip_forward', 'iptables -S', 'df -Pk']);
    expect(step.items.find((item) => item.id === 'npu-cards')?.check.commands(params).map((command) => command.text)).toEqual(['npu-smi info -l', 'npu-smi info']);
    expect([...host().keys()].sort()).toEqual(stepCommands(step, params).map((command) => command.text).sort());
  });

  it('runs a container item inside the guide’s container', () => {
    const item: GuideItem = { ...(step.items[2] as GuideItem), id: 'npu-in-container', scope: 'container', check: npuHealthCheck() };
    const [command] = itemCommands(item, params);
    expect(argsSeenByShell(command?.text ?? '', 'docker')).toEqual(['exec', 'qwen-vl', 'bash', '-lc', 'npu-smi info']);
    const inside = new Map([[command?.text ?? '', ok(fixtureText('npu-smi/npu-smi-info-910b4-2visible-24.1.rc3-procs-in-container.txt'))]]);
    expect(checkItem(item, params, inside).summary.en).toBe('All 2 NPU chips report OK.');
  });
});

describe('the preflight report', () => {
  it('is all green on a host as the guide wants it, in the JSON shape of `qvl preflight --json`', () => {
    const report = runPreflightChecks(step, params, host());
    expect(Object.keys(report)).toEqual(['ok', 'npuTotal', 'driverVersion', 'npus', 'checks']);
    expect(report.ok).toBe(true);
    expect(report.npuTotal).toBe(8);
    expect(report.driverVersion).toBe('23.0.6');
    expect(report.npus).toHaveLength(8);
    expect(report.npus[7]).toEqual({ index: 7, chip: 0, name: '910B4', health: 'OK', hbmUsedMB: 2653, hbmTotalMB: 32768, processes: [] });
    expect(report.checks.every((check) => check.status === 'pass')).toBe(true);
    expect(report.checks.map((check) => [check.id, check.summary])).toEqual([
      ['ssh', 'Logged in over SSH (aarch64).'],
      ['npu-cards', '8 NPUs.'],
      ['npu-health', 'All 8 NPU chips report OK.'],
      ['npu-free', 'No process is running on the NPUs.'],
      ['driver-version', 'Driver 23.0.6, as the guide requires.'],
      ['docker', 'Docker 18.09.0 is installed.'],
      ['docker-daemon', 'The Docker daemon 18.09.0 is running, storing data in /var/lib/docker.'],
      ['ip-forward', 'IP forwarding is on (live value 1).'],
      ['metadata-guard', 'Containers are blocked from 169.254.169.254.'],
      ['disk', 'Enough disk space: / (/var/lib/docker): 102.4 GB free, 30.0 GB needed; /home (/home/ma-user/ws): 7168.0 GB free, 38.6 GB needed.'],
    ]);
  });

  it('keeps the evidence lines and Chinese text for the wizard', () => {
    const outcomes = checkStep(step, params, host());
    const result = (id: string) => outcomes.find((outcome) => outcome.id === id)?.result;
    expect(result('npu-cards')?.evidence).toBe('Total Count                    : 8');
    expect(result('npu-cards')?.summary.zh).toBe('共 8 张 NPU 卡。');
    expect(result('driver-version')?.evidence).toMatch(/^\| npu-smi 23\.0\.6 +Version: 23\.0\.6 +\|$/);
    expect(result('metadata-guard')?.evidence).toBe(GUARD.trim());
    expect(result('docker-daemon')?.evidence).toBe('Server Version: 18.09.0\nDocker Root Dir: /var/lib/docker');
    expect(result('npu-health')?.evidence.split('\n')).toHaveLength(8);
  });

  it('warns about a driver other than 23.0.6, newer or older', () => {
    const newer = runPreflightChecks(step, params, host({ 'npu-smi info': ok(IDLE_8) }));
    expect(statuses(newer)['driver-version']).toBe('warn');
    expect(newer.ok).toBe(true);
    expect(newer.driverVersion).toBe('25.0.rc1.1');
    expect(summaryOf(newer, 'driver-version')).toBe('Driver 25.0.rc1.1 is newer than the guide’s 23.0.6: usually compatible, but the guide asks for its exact versions.');
    const older = runPreflightChecks(step, params, host({ 'npu-smi info': ok(fixtureText('npu-smi/npu-smi-info-910b2c-23.0.2.1-procs.txt')) }));
    expect(summaryOf(older, 'driver-version')).toContain('older than the guide’s 23.0.6');
  });

  it('fails busy NPUs and lists their processes per card', () => {
    const report = runPreflightChecks(step, params, host({ 'npu-smi info': ok(fixtureText('npu-smi/npu-smi-info-910b4-2visible-24.1.rc3-procs-in-container.txt')) }));
    expect(report.ok).toBe(false);
    expect([statuses(report)['npu-cards'], summaryOf(report, 'npu-cards')]).toEqual(['warn', 'npu-smi info -l counts 8 NPUs, but npu-smi info lists only 2.']);
    expect(statuses(report)['npu-free']).toBe('fail');
    expect(summaryOf(report, 'npu-free')).toBe(
      'Processes are running on the NPUs: NPU 3 chip 0: python (pid 14414), NPU 3 chip 0: vllm (pid 14247), NPU 3 chip 0: python (pid 14413), NPU 6 chip 0: python (pid 14412). Stop them, or release the containers holding the NPUs.',
    );
    expect(report.npus.map((npu) => [npu.index, npu.processes.map((process) => process.pid)])).toEqual([
      [3, [14414, 14247, 14413]],
      [6, [14412]],
    ]);
  });

  it('warns when the process table is cut off', () => {
    const report = runPreflightChecks(step, params, host({ 'npu-smi info': ok(fixtureText('npu-smi/npu-smi-info-910a-8card-24.1.0-truncated.txt')) }));
    expect(statuses(report)['npu-free']).toBe('warn');
  });

  it('fails an unhealthy card and says how to see why; Warning alone only warns', () => {
    const alarm = IDLE_8.replace(/^(\| 3 .*?\| )OK( +\|)/m, '$1Alarm$2');
    const report = runPreflightChecks(step, params, host({ 'npu-smi info': ok(alarm) }));
    expect(statuses(report)['npu-health']).toBe('fail');
    expect(summaryOf(report, 'npu-health')).toBe('NPUs not healthy: NPU 3 chip 0: Alarm. npu-smi info -t health -i 3 -c 0 shows the error code and information.');
    expect(report.npus[3]?.health).toBe('Alarm');
    const warning = IDLE_8.replace(/^(\| 3 .*?\| )OK( +\|)/m, '$1Warning$2');
    expect(statuses(runPreflightChecks(step, params, host({ 'npu-smi info': ok(warning) })))['npu-health']).toBe('warn');
  });

  it('fails every NPU item with the reason when another container holds the cards (-8020)', () => {
    const report = runPreflightChecks(step, params, host({ 'npu-smi info': failed(HELD, 1), 'npu-smi info -l': failed(HELD, 1) }));
    expect(HELD).toContain('ret is -8020');
    expect(report).toMatchObject({ ok: false, npuTotal: null, driverVersion: null, npus: [] });
    for (const id of ['npu-cards', 'npu-health', 'npu-free', 'driver-version']) {
      expect(statuses(report)[id]).toBe('fail');
      expect(summaryOf(report, id)).toMatch(/^The NPUs are held by another container or process \(DCMI -8020\)\. Use docker ps and docker inspect/);
    }
  });

  it('fails too few cards', () => {
    const four = fixtureText('npu-smi/npu-smi-info-l-8card-910b4.txt').replace('Total Count                    : 8', 'Total Count                    : 4');
    const report = runPreflightChecks(step, params, host({ 'npu-smi info -l': ok(four) }));
    expect(summaryOf(report, 'npu-cards')).toBe('Only 4 NPUs: training needs at least 8 on one server.');
    expect(report.npuTotal).toBe(4);
    expect(statuses(runPreflightChecks(step, params, host({ 'npu-smi info -l': ok('') })))['npu-cards']).toBe('fail');
    expect(statuses(runPreflightChecks(step, params, host({ 'npu-smi info': ok('') })))['npu-health']).toBe('fail');
  });

  it('fails docker and its daemon when docker is missing, and still sizes the disk', () => {
    const missing = failed(fixtureBlock('docker/docker-v.txt', '$ docker -v   (docker not installed; typical bash message)'), 127);
    const report = runPreflightChecks(step, params, host({ 'docker -v': missing, 'docker info': missing }));
    expect([statuses(report).docker, statuses(report)['docker-daemon'], statuses(report).disk]).toEqual(['fail', 'fail', 'pass']);
    expect(summaryOf(report, 'docker')).toBe('docker is not installed.');
  });

  it('fails a stopped daemon', () => {
    const report = runPreflightChecks(step, params, host({ 'docker info': { stdout: 'Client:\n Context:    default\n', stderr: `${DAEMON_DOWN}\n`, code: 1 } }));
    expect(statuses(report)['docker-daemon']).toBe('fail');
    expect(statuses(report).docker).toBe('pass');
    expect(summaryOf(report, 'docker-daemon')).toBe('The Docker daemon is not running. Start it with systemctl start docker, then check again.');
  });

  it('fails IP forwarding off (live value), or unreadable', () => {
    const off = runPreflightChecks(step, params, host({ 'sysctl -n net.ipv4.ip_forward': ok('0\n') }));
    expect(summaryOf(off, 'ip-forward')).toBe('IP forwarding is off (live value 0): the container will have no network access.');
    const unreadable = checkStep(step, params, host({ 'sysctl -n net.ipv4.ip_forward': failed('sysctl: cannot stat /proc/sys/net/ipv4/ip_forward: No such file or directory\n', 255) }));
    expect(unreadable.find((outcome) => outcome.id === 'ip-forward')?.result).toMatchObject({ status: 'fail', evidence: 'sysctl: cannot stat /proc/sys/net/ipv4/ip_forward: No such file or directory' });
  });

  it('only warns about the metadata guard: absent, in the wrong chain, or unreadable', () => {
    const absent = runPreflightChecks(step, params, host({ 'iptables -S': ok(IPTABLES) }));
    expect(absent.ok).toBe(true);
    expect(summaryOf(absent, 'metadata-guard')).toBe('No rule keeps containers from 169.254.169.254: when several people share a container, it can read the host’s metadata.');
    const bridge = runPreflightChecks(step, params, host({ 'iptables -S': ok(`${IPTABLES}-A DOCKER-USER -d 169.254.169.254/32 -j DROP\n`) }));
    expect(summaryOf(bridge, 'metadata-guard')).toContain('The only rule is in DOCKER-USER');
    const denied = runPreflightChecks(step, params, host({ 'iptables -S': failed("iptables v1.8.4 (legacy): can't initialize iptables table `filter': Permission denied (you must be root)\n", 4) }));
    expect([statuses(denied)['metadata-guard'], summaryOf(denied, 'metadata-guard')]).toEqual(['warn', 'Could not read the iptables rules (root is needed).']);
  });

  it('sizes the disk: the image where Docker keeps it, the weights and the output in the work dir', () => {
    const small = runPreflightChecks(step, params, host({ 'df -Pk': ok(df(20_000_000, 7_000_000_000)) }));
    expect(statuses(small).disk).toBe('fail');
    expect(summaryOf(small, 'disk')).toMatch(/^Not enough disk space: \/ \(\/var\/lib\/docker\): 20\.5 GB free, 30\.0 GB needed/);
    const moved = runPreflightChecks(step, params, host({ 'df -Pk': ok(df(20_000_000, 7_000_000_000)), 'docker info': ok(DOCKER_INFO.replace('/var/lib/docker', '/home/docker')) }));
    expect(statuses(moved).disk).toBe('pass');
    expect(summaryOf(moved, 'disk')).toBe('Enough disk space: /home (/home/docker, /home/ma-user/ws): 7168.0 GB free, 68.6 GB needed.');
    const tight = runPreflightChecks(step, params, host({ 'df -Pk': ok(df(100_000_000, 30_000_000)) }));
    expect(statuses(tight).disk).toBe('warn');
    expect(summaryOf(tight, 'disk')).toMatch(/^Room for the image and weights, not for the training output: .*\/home \(\/home\/ma-user\/ws\): 30\.7 GB free, 38\.6 GB needed/);
    expect(statuses(runPreflightChecks(step, params, host({ 'df -Pk': failed('df: cannot read table of mounted file systems\n', 1) }))).disk).toBe('fail');
    const elsewhere = runPreflightChecks({ ...step, items: step.items.filter((item) => item.id === 'disk') }, { ...params, workDir: '/data/ws' }, host());
    expect(elsewhere.checks[0]?.summary).toBe('Enough disk space: / (/var/lib/docker, /data/ws): 102.4 GB free, 68.6 GB needed.');
  });

  it('warns when the server is not aarch64', () => {
    const report = runPreflightChecks(step, params, host({ 'uname -m': ok('x86_64\n') }));
    expect(summaryOf(report, 'ssh')).toBe('Logged in over SSH, but the server is x86_64; the guide’s image is for aarch64 only.');
    expect(report.ok).toBe(true);
  });

  it('fails what did not run', () => {
    const report = runPreflightChecks(step, params, new Map());
    expect(report).toEqual({
      ok: false,
      npuTotal: null,
      driverVersion: null,
      npus: [],
      checks: step.items.map((item) => ({ id: item.id, status: 'fail', summary: 'Not checked: the command did not run.' })),
    });
  });
});

describe('driver versions', () => {
  it.each([
    ['23.0.6', '23.0.6', 0],
    ['23.0.5', '23.0.6', -1],
    ['24.1.0', '23.0.6', 1],
    ['23.0.rc3', '23.0.6', -1],
    ['24.1.rc3', '24.1.0', -1],
    ['25.0.rc1.1', '25.0.rc1', 1],
    ['25.3.rc1.b020', '25.3.rc1', 1],
    ['23.0.2.1', '23.0.6', -1],
  ])('%s against %s', (a, b, sign) => {
    expect(Math.sign(compareDriverVersions(a, b))).toBe(sign);
  });
});
