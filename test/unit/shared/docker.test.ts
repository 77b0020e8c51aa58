// docker CLI outputs from test/fixtures/docker. Expected values were read off the fixture text by hand.

import { describe, expect, it } from 'vitest';
import { parseDockerImages, parseDockerInfo, parseDockerPs, parseDockerSize, parseDockerVersion } from '../../../shared/guide/docker';
import { classifyDockerError } from '../../../shared/guide/dockerErrors';
import { INSPECT_ALL_CONTAINERS, holdersOf, npuBindings, parseDeviceList, parseDockerInspect } from '../../../shared/guide/dockerInspect';
import { pullProgress } from '../../../shared/guide/dockerPull';
import { fixtureBlock, fixtureStatus, fixtureText } from './guideFixtures';

const IMAGE_REPO = '127.0.0.1:5000/atelier/pytorch_2_1_ascend';
const TAG = 'pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b';

describe('docker -v and docker info', () => {
  it('reads the version of every client in docker-v.txt, and of the 18.09 hosts it quotes', () => {
    expect(parseDockerVersion(fixtureBlock('docker/docker-v.txt', '$ docker -v'))).toEqual({ version: '28.2.2', build: 'e6534b4', line: 'Docker version 28.2.2, build e6534b4' });
    expect(parseDockerVersion(fixtureBlock('docker/docker-v.txt', '$ docker -v   (Debian docker.io 20.10 client)'))?.version).toBe('20.10.24+dfsg1');
    expect(parseDockerVersion('Docker version 18.09.0, build 05c4df4\n')).toMatchObject({ version: '18.09.0', build: '05c4df4' });
  });

  it('finds no version when docker is missing', () => {
    const missing = fixtureBlock('docker/docker-v.txt', '$ docker -v   (docker not installed; typical bash message)');
    expect(parseDockerVersion(missing)).toBeNull();
    expect(classifyDockerError(missing, 127)).toMatchObject({ kind: 'not-installed', evidence: 'bash: docker: command not found' });
    expect(parseDockerVersion('')).toBeNull();
  });

  it('sees no server when the daemon is down', () => {
    const header = '$ docker version   (client OK, daemon not running)';
    const block = fixtureBlock('docker/docker-v.txt', header);
    expect(fixtureStatus('docker/docker-v.txt', header)).toBe(1);
    expect(parseDockerInfo(block)).toEqual({ serverVersion: null, rootDir: null, lines: [] });
    expect(classifyDockerError(block, 1)).toMatchObject({ kind: 'daemon-down', message: { en: 'The Docker daemon is not running. Start it with systemctl start docker, then check again.' } });
  });

  it('reads the server version and data dir of docker info', () => {
    // No working `docker info` is recorded; these are the lines every docker prints since 1.x.
    const text = 'Client:\n Context:    default\n\nServer:\n Containers: 3\n  Running: 2\n Server Version: 18.09.0\n Storage Driver: overlay2\n Docker Root Dir: /data/docker\n';
    expect(parseDockerInfo(text)).toEqual({ serverVersion: '18.09.0', rootDir: '/data/docker', lines: ['Server Version: 18.09.0', 'Docker Root Dir: /data/docker'] });
  });

  it('converts docker’s humanised sizes', () => {
    expect(parseDockerSize('96.4MB')).toBe(96_400_000);
    expect(parseDockerSize('36.45kB')).toBe(36_450);
    expect(parseDockerSize('170B')).toBe(170);
    expect(parseDockerSize('1.5GiB')).toBe(1_610_612_736);
    expect(parseDockerSize('0B (virtual 96.4MB)')).toBeNull();
    expect(parseDockerSize('N/A')).toBeNull();
  });
});

describe('docker images', () => {
  const expected = { repository: IMAGE_REPO, tag: TAG, id: '2aee4091297a', digest: null, created: 'About a minute ago', size: '96.4MB', sizeBytes: 96_400_000 };

  it('reads the table the guide tells users to run', () => {
    expect(parseDockerImages(fixtureBlock('docker/docker-images.txt', '$ docker images'))).toEqual([expected]);
  });

  it('reads the table with --digests --no-trunc', () => {
    expect(parseDockerImages(fixtureBlock('docker/docker-images.txt', '$ docker images --digests --no-trunc'))).toEqual([
      {
        ...expected,
        id: 'sha256:2aee4091297a7d79770d0285d559f09707776bd0ac9d9ba8beefee60c29a0fba',
        digest: 'sha256:54270167b1b21d24bebb6782344f31e07fdb1f777d0f9293ace3f5d485577973',
      },
    ]);
  });

  it.each(['28.2.2', '20.10.24'])("reads --format '{{json .}}' lines of client %s", (client) => {
    expect(parseDockerImages(fixtureBlock('docker/docker-images.txt', `$ docker images --format '{{json .}}'      (client ${client})`))).toEqual([expected]);
  });

  it('finds nothing in empty, header-only or error output', () => {
    expect(parseDockerImages('')).toEqual([]);
    expect(parseDockerImages('REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n')).toEqual([]);
    expect(parseDockerImages('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toEqual([]);
    expect(parseDockerImages('{"not":"an image"}\n{broken')).toEqual([]);
  });
});

describe('docker ps -a', () => {
  const summary = (text: string) => parseDockerPs(text).map((container) => [container.names.join(','), container.state, container.status, container.networks, container.mounts.length]);
  const rows = [
    ['bad_dev', 'created', 'Created', 'bridge', 0],
    ['other_user_job', 'running', 'Up 8 seconds', 'host', 1],
    ['qwen2vl_train', 'running', 'Up 12 seconds', 'bridge', 5],
  ];

  it.each(["$ docker ps -a --format '{{json .}}'      (client 28.2.2)", "$ docker ps -a --format '{{json .}}'      (client 20.10.24)"])('%s', (header) => {
    expect(summary(fixtureBlock('docker/docker-ps.txt', header))).toEqual(rows);
  });

  it('keeps full ids and mount sources with --no-trunc', () => {
    const containers = parseDockerPs(fixtureBlock('docker/docker-ps.txt', "$ docker ps -a --no-trunc --format '{{json .}}'      (client 28.2.2)"));
    expect(containers[2]?.id).toBe('36a9169d0d1d3be2d1626413c715e0c34dc15fa371f0a914e2e52c164dd18591');
    expect(containers[2]?.mounts).toEqual(['/home/ma-user-host/work', '/usr/local/Ascend/driver', '/usr/local/bin/npu-smi', '/usr/local/dcmi', '/var/log/npu']);
    expect(containers[2]?.image).toBe(`${IMAGE_REPO}:${TAG}`);
  });

  it('derives the state from STATUS for 2018-era clients, whose JSON has no State', () => {
    const lines = fixtureBlock('docker/docker-ps.txt', "$ docker ps -a --format '{{json .}}'      (client 20.10.24)")
      .trim()
      .split('\n')
      .map((line) => {
        const { State: _state, ...rest } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify(rest);
      });
    const extra = ['Exited (137) 2 hours ago', 'Up 3 minutes (Paused)', 'Restarting (1) 5 seconds ago', 'Removal In Progress', 'Dead', 'Something new'].map((Status, index) =>
      JSON.stringify({ ID: `x${index}`, Names: `c${index}`, Image: 'i', Status }),
    );
    expect(parseDockerPs([...lines, ...extra].join('\n')).map((container) => container.state)).toEqual([
      'created',
      'running',
      'running',
      'exited',
      'paused',
      'restarting',
      'removing',
      'dead',
      'unknown',
    ]);
  });

  it('reads the table as nothing (only JSON lines are asked for) and skips broken lines', () => {
    expect(parseDockerPs(fixtureBlock('docker/docker-ps.txt', '$ docker ps -a'))).toEqual([]);
    expect(parseDockerPs('{"ID":1}\n{"ID":"a"\n')).toEqual([]);
  });
});

describe('docker inspect: which container holds which NPU', () => {
  const FORMAT_HEADER =
    "$ docker inspect --format '{{.Name}} privileged={{.HostConfig.Privileged}} devices={{json .HostConfig.Devices}} env={{json .Config.Env}} runtime={{.HostConfig.Runtime}} state={{.State.Status}} shm={{.HostConfig.ShmSize}} netmode={{.HostConfig.NetworkMode}}' $(docker ps -aq)";
  const DAVINCI_0_7 = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `/dev/davinci${n}`);
  const CONTROL = ['/dev/davinci_manager', '/dev/devmm_svm', '/dev/hisi_hdc'];

  it('reads the one-line-per-container format', () => {
    const containers = parseDockerInspect(fixtureBlock('docker/docker-inspect-devices.txt', FORMAT_HEADER));
    expect(containers).toEqual([
      { name: 'priv_job', state: 'running', privileged: true, devices: [], visibleNpus: [4, 5], runtime: 'runc', shmSizeBytes: 67_108_864, networkMode: 'host' },
      { name: 'bad_dev', state: 'created', privileged: false, devices: ['/dev/davinci8'], visibleNpus: null, runtime: 'runc', shmSizeBytes: 67_108_864, networkMode: 'default' },
      { name: 'other_user_job', state: 'running', privileged: false, devices: ['/dev/davinci3', ...CONTROL], visibleNpus: null, runtime: 'runc', shmSizeBytes: 67_108_864, networkMode: 'host' },
      { name: 'qwen2vl_train', state: 'running', privileged: false, devices: [...DAVINCI_0_7, ...CONTROL], visibleNpus: null, runtime: 'runc', shmSizeBytes: 34_359_738_368, networkMode: 'default' },
    ]);
  });

  it('counts only containers that are up; a privileged one holds every card', () => {
    const bindings = npuBindings(parseDockerInspect(fixtureBlock('docker/docker-inspect-devices.txt', FORMAT_HEADER)));
    expect(bindings).toEqual([
      { container: 'priv_job', npus: 'all', via: 'privileged' },
      { container: 'other_user_job', npus: [3], via: 'devices' },
      { container: 'qwen2vl_train', npus: [0, 1, 2, 3, 4, 5, 6, 7], via: 'devices' },
    ]);
    expect(holdersOf(3, bindings)).toEqual(['priv_job', 'other_user_job', 'qwen2vl_train']);
    expect(holdersOf(0, bindings)).toEqual(['priv_job', 'qwen2vl_train']);
    expect(holdersOf(8, bindings)).toEqual(['priv_job']);
    expect(holdersOf(3, [])).toEqual([]);
  });

  it('asks for every container’s full JSON, even with no container (xargs -r)', () => {
    expect(INSPECT_ALL_CONTAINERS.text).toBe('docker ps -aq --no-trunc | xargs -r docker inspect');
  });

  it('reads the full JSON of docker inspect', () => {
    expect(parseDockerInspect(fixtureBlock('docker/docker-inspect-qwen2vl_train.json.txt', '$ docker inspect qwen2vl_train'))).toEqual([
      { name: 'qwen2vl_train', state: 'running', privileged: false, devices: [...DAVINCI_0_7, ...CONTROL], visibleNpus: null, runtime: 'runc', shmSizeBytes: 34_359_738_368, networkMode: 'default' },
    ]);
  });

  it('joins the arrays of several docker inspect runs (xargs splits long lists)', () => {
    const one = fixtureBlock('docker/docker-inspect-qwen2vl_train.json.txt', '$ docker inspect qwen2vl_train');
    const other = one.replace('"Name": "/qwen2vl_train"', '"Name": "/second"').replace('"Status": "running"', '"Status": "exited"');
    const containers = parseDockerInspect(`${one}${other}`);
    expect(containers.map((container) => [container.name, container.state])).toEqual([
      ['qwen2vl_train', 'running'],
      ['second', 'exited'],
    ]);
    expect(npuBindings(containers).map((binding) => binding.container)).toEqual(['qwen2vl_train']);
  });

  it('reads a container started by Ascend Docker Runtime from ASCEND_VISIBLE_DEVICES', () => {
    const line = '/runtime_job privileged=false devices=[] env=["ASCEND_VISIBLE_DEVICES=0-3,6","PATH=/usr/bin"] runtime=ascend state=running shm=67108864 netmode=host';
    expect(npuBindings(parseDockerInspect(line))).toEqual([{ container: 'runtime_job', npus: [0, 1, 2, 3, 6], via: 'ascend-runtime' }]);
  });

  it('reads the devices of one container', () => {
    expect(parseDeviceList(fixtureBlock('docker/docker-inspect-devices.txt', "$ docker inspect --format '{{json .HostConfig.Devices}}' qwen2vl_train"))).toEqual([...DAVINCI_0_7, ...CONTROL]);
    expect(parseDeviceList('null')).toEqual([]);
    expect(parseDeviceList('Error: No such object: x')).toEqual([]);
  });

  it('finds nothing in empty, broken or error output', () => {
    for (const text of ['', '[]', '[', '[{"Id": 1}]', 'Error: No such object: qwen2vl_train', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?']) {
      expect(parseDockerInspect(text)).toEqual([]);
    }
  });
});

describe('docker pull progress', () => {
  const PULL_HEADER = `$ docker pull ${IMAGE_REPO}:${TAG}`;
  const LAYERS = ['750a7bb36d3b', '03af64897dc7', 'b2c915453c07', '5cb84a333d92'];
  const notty = fixtureBlock('docker/docker-pull-notty.txt', PULL_HEADER);
  const tty = fixtureText('docker/docker-pull-tty-ansi.txt');
  const api = fixtureText('docker/docker-pull-api-jsonstream.txt');

  it('without a terminal: every layer complete, no byte counts, the digest and the outcome', () => {
    const progress = pullProgress(notty);
    expect(progress.layers.map((layer) => [layer.id, layer.phase, layer.download])).toEqual(LAYERS.map((id) => [id, 'complete', null]));
    expect(progress).toMatchObject({ fraction: 1, outcome: 'downloaded', digest: 'sha256:54270167b1b21d24bebb6782344f31e07fdb1f777d0f9293ace3f5d485577973', error: null });
  });

  it('without a terminal, part way: stages stand in for bytes', () => {
    const upTo = notty.slice(0, notty.indexOf('750a7bb36d3b: Pull complete'));
    const progress = pullProgress(upTo);
    expect(progress.layers.map((layer) => [layer.id, layer.phase, layer.fraction])).toEqual([
      ['750a7bb36d3b', 'downloaded', 0.5],
      ['03af64897dc7', 'queued', 0],
      ['b2c915453c07', 'queued', 0],
      ['5cb84a333d92', 'downloaded', 0.5],
    ]);
    expect(progress.fraction).toBe(0.25);
    expect(progress.outcome).toBeNull();
  });

  it('the same pull with the 20.10 client, and a second pull that is up to date', () => {
    const debian = fixtureBlock('docker/docker-pull-notty.txt', '# ---- same pull with the Debian 20.10.24 client (identical format; ordering of events differs run to run; last line "rc=0" added by the capture script):');
    expect(pullProgress(debian)).toMatchObject({ fraction: 1, outcome: 'downloaded' });
    const again = pullProgress(fixtureBlock('docker/docker-pull-notty.txt', '# second pull of the same tag:'));
    expect(again).toMatchObject({ layers: [], fraction: 1, outcome: 'up-to-date', error: null });
  });

  it('through a pty: ANSI redraws stripped, bytes from the bars', () => {
    const progress = pullProgress(tty);
    expect(progress.outcome).toBe('downloaded');
    expect(progress.layers.map((layer) => [layer.id, layer.phase, layer.extract?.total])).toEqual([
      ['750a7bb36d3b', 'complete', 1_065_000],
      ['03af64897dc7', 'complete', 62_930_000],
      ['b2c915453c07', 'complete', 31_470_000],
      ['5cb84a333d92', 'complete', 170],
    ]);
  });

  it('through a pty, part way: per-layer bytes, a bar still being drawn is left for later', () => {
    const mark = '03af64897dc7: Downloading [==========>                                        ]  13.37MB/62.93MB';
    const progress = pullProgress(tty.slice(0, tty.indexOf(mark) + mark.length));
    expect(progress.layers.map((layer) => [layer.id, layer.phase, layer.download])).toEqual([
      ['750a7bb36d3b', 'complete', { current: 1_065_000, total: 1_065_000 }],
      ['03af64897dc7', 'downloading', { current: 11_700_000, total: 62_930_000 }],
      ['b2c915453c07', 'downloading', { current: 12_120_000, total: 31_470_000 }],
      ['5cb84a333d92', 'downloaded', { current: 170, total: 170 }],
    ]);
    const sizes = 1_065_000 + 62_930_000 + 31_470_000 + 170;
    const done = 1_065_000 + 0.5 * (11_700_000 / 62_930_000) * 62_930_000 + 0.5 * (12_120_000 / 31_470_000) * 31_470_000 + 0.5 * 170;
    expect(progress.fraction).toBeCloseTo(done / sizes, 10);
  });

  it('from the Engine API stream: exact byte counts', () => {
    const progress = pullProgress(api);
    expect(progress.layers.map((layer) => [layer.id, layer.phase, layer.download?.total])).toEqual([
      ['750a7bb36d3b', 'complete', 1_064_796],
      ['03af64897dc7', 'complete', 62_933_983],
      ['b2c915453c07', 'complete', 31_467_103],
      ['5cb84a333d92', 'complete', 170],
    ]);
    expect(progress).toMatchObject({ fraction: 1, outcome: 'downloaded', digest: 'sha256:54270167b1b21d24bebb6782344f31e07fdb1f777d0f9293ace3f5d485577973' });
  });

  it.each([
    { name: 'no terminal', text: notty },
    { name: 'pty', text: tty },
    { name: 'API stream', text: api },
  ])('$name: the overall fraction only moves forward as text arrives (within 1 point), from 0 to 1', ({ text }) => {
    let last = 0;
    expect(pullProgress('').fraction).toBe(0);
    for (let end = 0; end <= text.length; end += 11) {
      const fraction = pullProgress(text.slice(0, end)).fraction;
      expect(fraction).toBeGreaterThanOrEqual(last - 0.01);
      expect(fraction).toBeLessThanOrEqual(1);
      last = fraction;
    }
    expect(pullProgress(text).fraction).toBe(1);
  });

  it('reports a failed pull, in text and in the API stream', () => {
    const text = `${TAG}: Pulling from atelier/pytorch_2_1_ascend\n${fixtureBlock('docker/docker-pull-errors.txt', `$ docker pull ${IMAGE_REPO}:no-such-tag`)}`;
    expect(pullProgress(text).error?.kind).toBe('manifest-unknown');
    const stream = '{"status":"Pulling fs layer","progressDetail":{},"id":"750a7bb36d3b"}\n{"errorDetail":{"message":"write /var/lib/docker/tmp/x: no space left on device"},"error":"write /var/lib/docker/tmp/x: no space left on device"}\n';
    expect(pullProgress(stream)).toMatchObject({ error: { kind: 'no-space' }, outcome: null, fraction: 0 });
  });

  it('ignores lines it does not know', () => {
    expect(pullProgress('Using default tag: latest\nsomething else\n{"id":"zzz","status":"Downloading"}\n[1, 2]\n')).toEqual({ layers: [], fraction: 0, outcome: null, digest: null, error: null });
  });
});

describe('classifyDockerError', () => {
  it('tells apart every pull error of docker-pull-errors.txt', () => {
    const lines = fixtureText('docker/docker-pull-errors.txt')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('$'));
    expect(lines.map((line) => [classifyDockerError(line, 1)?.kind, classifyDockerError(line, 1)?.subject])).toEqual([
      ['manifest-unknown', `${IMAGE_REPO}:no-such-tag`],
      ['connection-refused', '127.0.0.1:5999'],
      ['invalid-reference', null],
      ['daemon-down', 'unix:///var/run/docker.sock'],
      ['login-required', null],
      ['no-such-image', 'swr.cn-north-1.myhuaweicloud.com/jumpserver/chen:v3.5.0'],
      ['access-denied', null],
      ['dns-failure', 'obs.cn-south-1.myhuaweicloud.com'],
      ['network-timeout', null],
      ['layer-max-depth', null],
      ['no-space', null],
    ]);
    expect(classifyDockerError(lines[7] ?? '', 1)?.message.en).toContain('SWR serves image layers from OBS');
    expect(classifyDockerError(lines[4] ?? '', 1)?.message.zh).toContain('docker login');
  });

  it('tells apart the docker run errors of docker-run-errors.txt', () => {
    const file = 'docker/docker-run-errors.txt';
    const device = '$ docker run -d --device=/dev/davinci8 --name bad_dev <image> sleep 1';
    const name = '$ docker run -d --device=/dev/davinci0 --name qwen2vl_train <image> sleep 1';
    const mount = '$ docker run --rm --mount type=bind,src=/opt/dockerio/missing2-npu-smi,dst=/usr/local/bin/npu-smi <image> true';
    expect(classifyDockerError(fixtureBlock(file, device), fixtureStatus(file, device))).toMatchObject({ kind: 'device-missing', subject: '/dev/davinci8' });
    expect(fixtureStatus(file, device)).toBe(127);
    expect(classifyDockerError(fixtureBlock(file, name), fixtureStatus(file, name))).toMatchObject({ kind: 'name-conflict', subject: 'qwen2vl_train' });
    expect(classifyDockerError(fixtureBlock(file, mount), fixtureStatus(file, mount))).toMatchObject({ kind: 'bind-source-missing', subject: '/opt/dockerio/missing2-npu-smi' });
    const started = fixtureBlock(file, fixtureText(file).split('\n').find((line) => line.startsWith('$ docker run -itd')) ?? '');
    expect(started.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(classifyDockerError(started, 0)).toBeNull();
  });

  it('tells apart the docker exec errors of docker-exec-session.txt', () => {
    const file = 'docker/docker-exec-session.txt';
    const cases: [string, string, string | null][] = [
      ['$ docker exec -u nosuchuser qwen2vl_train id', 'no-such-user', 'nosuchuser'],
      ['$ docker exec -it nosuchcontainer bash', 'no-such-container', 'nosuchcontainer'],
      ['$ docker exec bad_dev id   (container in Created state)', 'container-not-running', '079b103581f5a8628dd5d64abe7931d96b44dd7c492f1ea6c3c1bb2db561875b'],
      ['$ docker exec qwen2vl_train bash   (image has no bash)', 'executable-not-found', 'bash'],
      ['$ docker exec -u ma-user qwen2vl_train touch /home/ma-user/work/x   (host dir /home/ma-user-host/work owned by root:root 755)', 'failed', null],
    ];
    for (const [header, kind, subject] of cases) {
      expect(classifyDockerError(fixtureBlock(file, header), fixtureStatus(file, header)), header).toMatchObject({ kind, subject });
    }
  });

  it('returns null without a known message unless the status says it failed', () => {
    expect(classifyDockerError('', 0)).toBeNull();
    expect(classifyDockerError('all good', null)).toBeNull();
    expect(classifyDockerError('\n  weird failure\nmore', 3)).toEqual({
      kind: 'failed',
      message: { zh: 'docker 执行失败（退出码 3）：weird failure', en: 'docker failed (exit status 3): weird failure' },
      subject: null,
      evidence: 'weird failure',
    });
  });
});
