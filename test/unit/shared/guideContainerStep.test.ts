import { describe, expect, it } from 'vitest';
import { NO_CONTEXT, NO_INPUTS } from '../../../shared/guide/actionInputs';
import { containerNpuSmiCheck, containerRunningCheck, inspectContainer, startContainerFix } from '../../../shared/guide/containerChecks';
import { pullProgress } from '../../../shared/guide/dockerPull';
import { buildDockerRun, defaultDockerRunOptions } from '../../../shared/guide/dockerRunForm';
import type { DockerRunOptions } from '../../../shared/guide/dockerRunForm';
import type { CommandOutput, GuideItem } from '../../../shared/guide/guideTypes';
import { findImage, imagePresentCheck, isImageId, LIST_IMAGES, pullImageFix } from '../../../shared/guide/imageChecks';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { parseDockerImages } from '../../../shared/guide/docker';
import { itemCommands } from '../../../shared/guide/preflight';
import { compactPullOutput, pullActionProgress } from '../../../shared/guide/pullActionProgress';
import { fixtureBlock, fixtureText } from './guideFixtures';
import { argsSeenByShell } from './guideShell';

const FIXTURE_IMAGE = '127.0.0.1:5000/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b';
const IMAGES_JSON = fixtureBlock('docker/docker-images.txt', "$ docker images --format '{{json .}}'      (client 28.2.2)");
const IMAGES_TABLE = fixtureBlock('docker/docker-images.txt', '$ docker images');
const INSPECT_JSON = fixtureBlock('docker/docker-inspect-qwen2vl_train.json.txt', '$ docker inspect qwen2vl_train');
const INSPECT_FORMAT = fixtureBlock(
  'docker/docker-inspect-devices.txt',
  "$ docker inspect --format '{{.Name}} privileged={{.HostConfig.Privileged}} devices={{json .HostConfig.Devices}} env={{json .Config.Env}} runtime={{.HostConfig.Runtime}} state={{.State.Status}} shm={{.HostConfig.ShmSize}} netmode={{.HostConfig.NetworkMode}}' $(docker ps -aq)",
);
const NOTTY = fixtureBlock('docker/docker-pull-notty.txt', `$ docker pull ${FIXTURE_IMAGE}`);
const TTY = fixtureText('docker/docker-pull-tty-ansi.txt');
const DAEMON_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const LAYERS = ['750a7bb36d3b', '03af64897dc7', 'b2c915453c07', '5cb84a333d92'];

const step = guide.steps.find((candidate) => candidate.id === 'container');
const itemOf = (id: string): GuideItem => {
  const item = step?.items.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
};
const out = (stdout: string, code: number | null = 0, stderr = ''): CommandOutput => ({ stdout, stderr, code });
const params = { ...guide.defaults, containerName: 'qwen2vl_train' };
const options: DockerRunOptions = defaultDockerRunOptions(guide.dockerRun);

describe('Step 2 items', () => {
  it('are the image, the container and npu-smi inside it, in the guide’s words and both languages', () => {
    expect(step?.items.map((item) => [item.id, item.scope, item.fix !== undefined])).toEqual([
      ['image', 'host', true],
      ['container', 'host', true],
      ['container-npu', 'container', false],
    ]);
    for (const item of step?.items ?? []) {
      expect(item.title.zh, item.id).toMatch(/[\u4e00-\u9fff]/);
      expect(item.explanation.en.length, item.id).toBeGreaterThan(40);
    }
    expect(itemOf('container').explanation.zh).toContain('容器不能挂载到/home/ma-user目录');
    expect(itemOf('container').explanation.zh).toContain('driver及npu-smi需同时挂载至容器');
    expect(itemOf('container').explanation.zh).toContain('不要将多个容器绑到同一个NPU上');
    expect(itemOf('image').explanation.zh).toContain('docker pull {image_url}');
  });

  it('run docker images, docker inspect and npu-smi through docker exec, every value quoted', () => {
    expect(itemCommands(itemOf('image'), guide.defaults).map((command) => command.text)).toEqual([LIST_IMAGES.text]);
    expect(LIST_IMAGES.text).toBe("docker images --format '{{json .}}'");
    expect(itemCommands(itemOf('container'), guide.defaults).map((command) => command.text)).toEqual(["docker inspect --type container 'qwen-vl'"]);
    const [exec] = itemCommands(itemOf('container-npu'), guide.defaults);
    expect(argsSeenByShell(exec?.text ?? '', 'docker')).toEqual(['exec', 'qwen-vl', 'bash', '-lc', 'npu-smi info']);
  });
});

describe('the base image', () => {
  const check = imagePresentCheck();

  it('is found by reference, tag and ID, in the JSON lines and in the table the guide prints', () => {
    for (const listing of [IMAGES_JSON, IMAGES_TABLE]) {
      const images = parseDockerImages(listing);
      expect(findImage(images, FIXTURE_IMAGE)?.id).toBe('2aee4091297a');
      expect(findImage(images, '2aee4091297a')?.id).toBe('2aee4091297a');
      expect(findImage(images, 'sha256:2aee4091297a7d79770d0285d559f09707776bd0ac9d9ba8beefee60c29a0fba')?.id).toBe('2aee4091297a');
      expect(findImage(images, '127.0.0.1:5000/atelier/pytorch_2_1_ascend:other-tag')).toBeNull();
      expect(findImage(images, '127.0.0.1:5000/atelier/pytorch_2_1_ascend')).toBeNull();
    }
  });

  it('matches Docker Hub names as docker images lists them', () => {
    const images = parseDockerImages('{"Repository":"ubuntu","Tag":"22.04","ID":"0123456789ab","Size":"77.9MB"}\n');
    expect(findImage(images, 'docker.io/library/ubuntu:22.04')?.id).toBe('0123456789ab');
    expect(findImage(images, 'ubuntu:22.04')?.id).toBe('0123456789ab');
    expect(findImage(images, 'ubuntu')).toBeNull();
  });

  it('passes with the image’s line as evidence, and fails when it is missing or docker is down', () => {
    const present = check.parse([out(IMAGES_JSON)], { ...guide.defaults, image: FIXTURE_IMAGE });
    expect(present).toMatchObject({ status: 'pass', evidence: expect.stringContaining('2aee4091297a') });
    expect(present.summary.en).toContain('96.4MB');
    const missing = check.parse([out(IMAGES_JSON)], guide.defaults);
    expect(missing.status).toBe('fail');
    expect(missing.summary.en).toContain('pull it first');
    expect(missing.evidence).toContain('127.0.0.1:5000/atelier/pytorch_2_1_ascend');
    const down = check.parse([out('', 1, DAEMON_DOWN)], guide.defaults);
    expect(down).toMatchObject({ status: 'fail', evidence: DAEMON_DOWN });
    expect(down.summary.zh).toContain('Docker 守护进程未运行');
    expect(check.parse([], guide.defaults).status).toBe('fail');
  });
});

describe('the pull', () => {
  const fix = pullImageFix();

  it('is the guide’s docker pull, run in a pty from script so docker prints byte counts', () => {
    const [command] = fix.commands(guide.defaults, options, NO_CONTEXT);
    const args = argsSeenByShell(command?.text ?? '', 'script');
    expect(args).toEqual(['-q', '-e', '-f', '-c', `docker pull '${guide.defaults.image}'`, '/dev/null']);
    expect(argsSeenByShell(args[4] ?? '', 'docker')).toEqual(['pull', guide.defaults.image]);
    expect(fix).toMatchObject({ confirm: false, recheck: true });
    expect(fix.label?.en).toBe('Pull the image');
  });

  it('refuses an image ID, which names a local image and cannot be pulled', () => {
    expect(isImageId('2aee4091297a')).toBe(true);
    expect(isImageId(guide.defaults.image)).toBe(false);
    expect(fix.precheck?.validate([], { ...guide.defaults, image: '2aee4091297a' }, options, NO_INPUTS).map((error) => error.field)).toEqual(['image']);
    expect(fix.precheck?.validate([], guide.defaults, options, NO_INPUTS)).toEqual([]);
  });

  it('shows each layer and the total from what docker printed without a terminal', () => {
    const progress = pullActionProgress(NOTTY);
    expect(progress.parts.map((part) => [part.id, part.status.en, part.fraction, part.total])).toEqual(LAYERS.map((id) => [id, 'Pull complete', 1, null]));
    expect(progress.fraction).toBe(1);
    expect(progress.lines).toEqual([
      expect.stringContaining('Pulling from atelier/pytorch_2_1_ascend'),
      'Digest: sha256:54270167b1b21d24bebb6782344f31e07fdb1f777d0f9293ace3f5d485577973',
      `Status: Downloaded newer image for ${FIXTURE_IMAGE}`,
      FIXTURE_IMAGE,
    ]);
  });

  it('shows the bytes of each layer from the redrawn bars a pty gets', () => {
    const mark = '03af64897dc7: Downloading [=========>                                         ]   11.7MB/62.93MB';
    const progress = pullActionProgress(TTY.slice(0, TTY.indexOf(mark) + mark.length + 1));
    const layer = progress.parts.find((part) => part.id === '03af64897dc7');
    expect(layer).toMatchObject({ status: { zh: '下载中', en: 'Downloading' }, current: 11_700_000, total: 62_930_000 });
    expect(progress.fraction).toBeGreaterThan(0);
    expect(progress.fraction).toBeLessThan(1);
    expect(pullActionProgress(TTY)).toMatchObject({ fraction: 1 });
  });

  it('compacts the output to a few lines per layer without changing the progress it reads as', () => {
    for (const text of [TTY, NOTTY, fixtureText('docker/docker-pull-errors.txt')]) {
      for (let end = 0; end <= text.length; end += 97) {
        const prefix = text.slice(0, end);
        expect(pullActionProgress(compactPullOutput(prefix))).toEqual(pullActionProgress(prefix));
        expect(pullProgress(compactPullOutput(prefix))).toEqual(pullProgress(prefix));
      }
      // Compacting again changes nothing; more output appended to a compacted text reads as if nothing had been cut.
      expect(compactPullOutput(compactPullOutput(text))).toBe(compactPullOutput(text));
      const half = Math.floor(text.length / 2);
      expect(pullActionProgress(compactPullOutput(text.slice(0, half)) + text.slice(half))).toEqual(pullActionProgress(text));
    }
    expect(compactPullOutput(TTY).length).toBeLessThan(TTY.length / 4);
  });

  it('names the error of a failed pull', () => {
    const denied = fix.describeFailure?.(out('Error response from daemon: denied: You may not login yet\r\n', 1));
    expect(denied?.en).toContain('docker login');
  });
});

describe('the container', () => {
  const check = containerRunningCheck();

  it('passes when it runs, with the fields of docker inspect that say so', () => {
    const result = check.parse([out(INSPECT_JSON)], params);
    expect(result.status).toBe('pass');
    expect(result.summary.en).toBe('Container qwen2vl_train is running: 8 NPUs, 32g of shared memory.');
    expect(result.evidence).toContain('"Status": "running",');
    expect(result.evidence).toContain('"PathOnHost": "/dev/davinci7",');
  });

  it('fails when it is missing, stopped, or docker is down', () => {
    const missing = check.parse([out('[]\n', 1, 'Error: No such object: qwen-vl\n')], guide.defaults);
    expect(missing).toMatchObject({ status: 'fail', evidence: 'Error: No such object: qwen-vl' });
    expect(missing.summary.en).toContain('There is no container named qwen-vl yet');
    const exited = check.parse([out(INSPECT_JSON.replace('"Status": "running"', '"Status": "exited"'))], params);
    expect(exited.status).toBe('fail');
    expect(exited.summary.en).toContain('docker start qwen2vl_train');
    expect(check.parse([out('', 1, DAEMON_DOWN)], params).summary.en).toContain('Docker daemon is not running');
  });

  it('starts with exactly the form’s docker run', () => {
    const fix = startContainerFix();
    expect(fix.commands(guide.defaults, options, NO_CONTEXT).map((command) => command.text)).toEqual([buildDockerRun({ ...guide.defaults, ...options }).text]);
    expect(fix).toMatchObject({ confirm: true, recheck: true, alsoRecheck: ['container-npu'] });
  });

  it('is refused while another running container holds a chosen card, or has the name', () => {
    const validate = startContainerFix().precheck?.validate;
    if (!validate) throw new Error('the start has no precheck');
    // From the recorded server: priv_job is privileged (every card), qwen2vl_train and other_user_job hold davinci0-7 and 3.
    const errors = validate([out(INSPECT_FORMAT)], guide.defaults, { ...options, npus: [3] }, NO_INPUTS);
    expect(errors).toEqual([{ field: 'npus.0', message: expect.objectContaining({ en: expect.stringMatching(/^\/dev\/davinci3 is held by container priv_job, other_user_job, qwen2vl_train\. /) }) }]);
    const named = validate([out(INSPECT_JSON)], { ...guide.defaults, containerName: 'qwen2vl_train' }, { ...options, npus: [0] }, NO_INPUTS);
    expect(named.map((error) => error.field)).toEqual(['npus.0', 'containerName']);
    expect(validate([out('')], guide.defaults, options, NO_INPUTS)).toEqual([]);
  });

  it('is refused for the form’s own mistakes: a bad name, a work dir over /home/ma-user, the driver without npu-smi', () => {
    const validate = startContainerFix().precheck?.validate;
    if (!validate) throw new Error('the start has no precheck');
    const fields = (patch: object, optionPatch: Partial<DockerRunOptions> = {}) =>
      validate([out('')], { ...guide.defaults, ...patch }, { ...options, ...optionPatch }, NO_INPUTS).map((error) => [error.field, error.message.en]);
    expect(fields({ containerName: 'qwen vl' })).toEqual([['containerName', expect.stringContaining('A container name starts with a letter or digit')]]);
    expect(fields({ containerName: '-rm' })).toEqual([['containerName', expect.stringContaining('A container name starts with a letter or digit')]]);
    expect(fields({ containerWorkDir: '/home/ma-user' })).toEqual([['containerWorkDir', expect.stringContaining('cannot mount over /home/ma-user')]]);
    expect(fields({ containerWorkDir: '/home/ma-user/' })).toEqual([['containerWorkDir', expect.stringContaining('cannot mount over /home/ma-user')]]);
    expect(fields({}, { mounts: options.mounts.filter((mount) => !mount.container.endsWith('npu-smi')) })).toEqual([['mounts', expect.stringContaining('The driver and npu-smi must be mounted')]]);
  });

  it('is refused when docker cannot list the containers, so no card is taken blindly', () => {
    const validate = startContainerFix().precheck?.validate;
    expect(validate?.([out('', 0, `${DAEMON_DOWN}\n`)], guide.defaults, options, NO_INPUTS)).toEqual([{ field: '', message: expect.objectContaining({ en: expect.stringContaining('Docker daemon is not running') }) }]);
    expect(validate?.([out('not json at all')], guide.defaults, options, NO_INPUTS)).toHaveLength(1);
    // A container removed between docker ps and docker inspect holds nothing.
    expect(validate?.([out('[]\n', 123, 'Error: No such object: 0123456789ab\n')], guide.defaults, options, NO_INPUTS)).toEqual([]);
  });

  it('says why a start failed, in docker’s words', () => {
    const conflict = fixtureBlock('docker/docker-run-errors.txt', '$ docker run -d --device=/dev/davinci0 --name qwen2vl_train <image> sleep 1');
    expect(startContainerFix().describeFailure?.(out('', 125, conflict))?.en).toContain('The container name qwen2vl_train is taken');
  });

  it('inspects the container by name only', () => {
    expect(inspectContainer('-x; rm -rf /').text).toBe("docker inspect --type container '-x; rm -rf /'");
  });
});

describe('npu-smi inside the container', () => {
  const check = containerNpuSmiCheck();
  const npuErrors = fixtureText('npu-smi/npu-smi-errors.txt');
  const line = (start: string) => npuErrors.split('\n').find((text) => text.startsWith(start)) ?? '';

  it('passes with the NPUs the container sees (the host’s numbers)', () => {
    const all = check.parse([out(fixtureText('npu-smi/npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt'))], guide.defaults);
    expect(all.status).toBe('pass');
    expect(all.summary.en).toBe('npu-smi info works in qwen-vl: 8 NPUs visible (0, 1, 2, 3, 4, 5, 6, 7), driver 25.0.rc1.1.');
    expect(all.evidence).toMatch(/^\| npu-smi 25\.0\.rc1\.1\s+Version: 25\.0\.rc1\.1/);
    const two = check.parse([out(fixtureText('npu-smi/npu-smi-info-910b4-2visible-24.1.rc3-procs-in-container.txt'))], guide.defaults);
    expect(two.summary.en).toContain('2 NPUs visible (3, 6)');
  });

  it('fails with the guide’s advice when the driver is not mounted or npu-smi is a directory', () => {
    const libraries = check.parse([out('', 127, line('npu-smi: error while loading shared libraries'))], guide.defaults);
    expect(libraries.status).toBe('fail');
    expect(libraries.summary.zh).toContain('driver及npu-smi需同时挂载至容器');
    const directory = check.parse([out('', 126, line('sh: npu-smi: Permission denied'))], guide.defaults);
    expect(directory.summary.en).toContain('npu-smi is not an executable');
  });

  it('fails with docker’s reason when the container does not run', () => {
    const session = fixtureText('docker/docker-exec-session.txt');
    const notRunning = session.split('\n').find((text) => text.includes('is not running')) ?? '';
    expect(check.parse([out('', 1, notRunning)], guide.defaults).summary.en).toBe('The container is not running: start it with docker start first.');
    expect(check.parse([out('', 1, 'Error response from daemon: No such container: qwen-vl')], guide.defaults).summary.en).toBe('There is no container named qwen-vl.');
  });
});
