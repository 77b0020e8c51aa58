import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerInspect } from '../../../shared/guide/dockerInspect';
import type { DockerRunForm } from '../../../shared/guide/dockerRunForm';
import { buildDockerRun, defaultDockerRunForm, previewDockerRun, validateDockerRunForm } from '../../../shared/guide/dockerRunForm';
import { shmSizeBytes } from '../../../shared/guide/fieldRules';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { hostileStrings } from '../../support/hostileStrings';
import { fixtureBlock } from './guideFixtures';
import { argsSeenByShell } from './guideShell';

const IMAGE = guide.defaults.image;
const form = (patch: Partial<DockerRunForm> = {}): DockerRunForm => ({ ...defaultDockerRunForm(guide.defaults, guide.dockerRun), ...patch });
const errorsOf = (input: unknown): string[] => {
  const result = validateDockerRunForm(input);
  return result.ok ? [] : result.errors.map((error) => `${error.field}: ${error.message.en}`);
};

describe("the guide's docker run", () => {
  it('builds, from the guide’s defaults, exactly the arguments of the guide’s command', () => {
    // The guide's command with ${work_dir}:${container_work_dir}, ${container_name} and ${image_id} filled in.
    const guideCommand = `docker run -itd --net=host --device=/dev/davinci0 --device=/dev/davinci1 --device=/dev/davinci2 --device=/dev/davinci3 --device=/dev/davinci4 --device=/dev/davinci5 --device=/dev/davinci6 --device=/dev/davinci7 --device=/dev/davinci_manager --device=/dev/devmm_svm --device=/dev/hisi_hdc --shm-size=64g -v /usr/local/dcmi:/usr/local/dcmi -v /usr/local/Ascend/driver:/usr/local/Ascend/driver -v /var/log/npu/:/usr/slog -v /usr/local/bin/npu-smi:/usr/local/bin/npu-smi -v /home/ma-user/ws:/home/ma-user/ws --name qwen-vl ${IMAGE} /bin/bash`;
    expect(argsSeenByShell(buildDockerRun(form()).text, 'docker')).toEqual(guideCommand.split(' ').slice(1));
  });

  it('shows one option per line, every value quoted, and the preview is the command', () => {
    const text = previewDockerRun(form({ npus: [3, 1], hostNetwork: false }));
    expect(text).toBe(
      [
        'docker run -itd',
        "  --device='/dev/davinci1'",
        "  --device='/dev/davinci3'",
        "  --device='/dev/davinci_manager'",
        "  --device='/dev/devmm_svm'",
        "  --device='/dev/hisi_hdc'",
        "  --shm-size='64g'",
        "  -v '/usr/local/dcmi:/usr/local/dcmi'",
        "  -v '/usr/local/Ascend/driver:/usr/local/Ascend/driver'",
        "  -v '/var/log/npu/:/usr/slog'",
        "  -v '/usr/local/bin/npu-smi:/usr/local/bin/npu-smi'",
        "  -v '/home/ma-user/ws:/home/ma-user/ws'",
        "  --name 'qwen-vl'",
        `  '${IMAGE}'`,
        '  /bin/bash',
      ].join(' \\\n'),
    );
    expect(text).toBe(buildDockerRun(form({ npus: [3, 1], hostNetwork: false })).text);
  });

  it('adds :ro to a read-only mount', () => {
    const mounts = [...guide.dockerRun.mounts, { host: '/sys/fs/cgroup', container: '/sys/fs/cgroup', readOnly: true }];
    expect(argsSeenByShell(buildDockerRun(form({ mounts })).text, 'docker')).toContain('/sys/fs/cgroup:/sys/fs/cgroup:ro');
  });

  it('passes hostile paths to docker as single, unchanged words', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'qvl-run-')), 'pwned');
    for (const value of hostileStrings(marker).filter((text) => !text.includes(':'))) {
      const workDir = `/work/${value}`;
      const containerWorkDir = `/home/ma-user/ws/${value}`;
      const npuSmi = `/opt/${value}/npu-smi`;
      const mounts = guide.dockerRun.mounts.map((mount) => (mount.container.endsWith('/npu-smi') ? { ...mount, host: npuSmi } : mount));
      const input = form({ workDir, containerWorkDir, mounts });
      expect(validateDockerRunForm(input), JSON.stringify(value)).toEqual({ ok: true, form: input });
      const args = argsSeenByShell(buildDockerRun(input).text, 'docker');
      expect(args).toContain(`${workDir}:${containerWorkDir}`);
      expect(args).toContain(`${npuSmi}:/usr/local/bin/npu-smi`);
      expect(args).toHaveLength(29);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses hostile names, images and sizes, and will not build them', () => {
    const marker = join(tmpdir(), 'never-created');
    const cases = [
      ...hostileStrings(marker).flatMap((value) => (['containerName', 'image', 'shmSize'] as const).map((field) => [field, value] as const)),
      ...['-rm', 'a/b', 'x'.repeat(129)].map((value) => ['containerName', value] as const),
    ];
    for (const [field, value] of cases) {
      const input = form({ [field]: value });
      expect(validateDockerRunForm(input).ok, `${field} ${JSON.stringify(value)}`).toBe(false);
      expect(() => buildDockerRun(input)).toThrow(RangeError);
    }
  });
});

describe('docker run form validation', () => {
  it('accepts the guide’s defaults', () => {
    expect(errorsOf(form())).toEqual([]);
  });

  it('keeps the work dir off /home/ma-user itself, with the guide’s reason, but allows a folder inside', () => {
    for (const dir of ['/home/ma-user', '/home/ma-user/', '//home//ma-user', '/home', '/']) {
      const result = validateDockerRunForm(form({ containerWorkDir: dir }));
      expect(result.ok, dir).toBe(false);
      if (!result.ok) expect(result.errors[0]?.message.zh).toContain('容器不能挂载到/home/ma-user目录');
    }
    for (const dir of ['/home/ma-user/ws', '/home/ma-user/work', '/data/work', '/home/ma-userx']) expect(errorsOf(form({ containerWorkDir: dir })), dir).toEqual([]);
  });

  it('keeps the work dir off the image’s system folders', () => {
    for (const dir of ['/usr', '/usr/local/Ascend', '/etc', '/dev/shm', '/proc/1']) {
      expect(errorsOf(form({ containerWorkDir: dir })), dir).toEqual(['containerWorkDir: This is a system folder of the image: a mount there hides the image’s own files. Choose another work dir, such as /home/ma-user/ws.']);
    }
  });

  it('wants absolute paths without ":" or ".."', () => {
    expect(errorsOf(form({ workDir: 'work' }))).toEqual(['workDir: Enter an absolute path that starts with /.']);
    expect(errorsOf(form({ workDir: '/a:b' }))).toEqual(['workDir: A path cannot contain ":": docker -v uses it to separate the host path from the container path.']);
    expect(errorsOf(form({ workDir: '/data/../etc' }))).toEqual(['workDir: A path cannot contain "..": write the directory itself.']);
    expect(errorsOf(form({ workDir: '/a\0b' }))).toEqual(['workDir: A path cannot contain a NUL character.']);
    expect(errorsOf(form({ workDir: `/${'a'.repeat(4096)}` }))).toEqual(['workDir: The path is too long (4096 characters at most).']);
  });

  it('wants docker’s container names', () => {
    for (const name of ['qwen-vl', 'qwen2vl_train', 'a.b-c_d', 'A1']) expect(errorsOf(form({ containerName: name })), name).toEqual([]);
    const result = validateDockerRunForm(form({ containerName: '-it' }));
    expect(result.ok ? null : result.errors).toEqual([
      {
        field: 'containerName',
        message: {
          zh: '容器名称以字母或数字开头，只能包含字母、数字、“_”、“.”、“-”，最多 128 个字符。',
          en: 'A container name starts with a letter or digit and has only letters, digits, "_", "." and "-" (128 characters at most).',
        },
      },
    ]);
  });

  it('takes an image reference or id', () => {
    for (const image of [IMAGE, '2aee4091297a', 'sha256:2aee4091297a7d79770d0285d559f09707776bd0ac9d9ba8beefee60c29a0fba', 'ubuntu', 'localhost:5000/a/b:tag', `swr.cn-southwest-2.myhuaweicloud.com/atelier/x@sha256:${'a'.repeat(64)}`]) {
      expect(errorsOf(form({ image })), image).toEqual([]);
    }
    for (const image of ['', 'Ubuntu', 'a b', 'repo:tag with space', '-x', 'repo:', 'a//b', `x:${'t'.repeat(129)}`]) expect(errorsOf(form({ image })).length, image).toBe(1);
  });

  it('reads shm sizes as docker does', () => {
    expect(shmSizeBytes('64g')).toBe(64 * 1024 ** 3);
    expect(shmSizeBytes('32G')).toBe(32 * 1024 ** 3);
    expect(shmSizeBytes('512m')).toBe(512 * 1024 ** 2);
    expect(shmSizeBytes('67108864')).toBe(67_108_864);
    for (const value of ['0g', '64 g', '-1g', '64x', '1.5g', '', 'g']) {
      expect(shmSizeBytes(value), value).toBeNull();
      expect(errorsOf(form({ shmSize: value })), value).toEqual(['shmSize: Write the shared memory size as a whole number and a unit b, k, m, g or t, such as 64g.']);
    }
  });

  it('wants at least one of /dev/davinci0–7, each once', () => {
    expect(errorsOf(form({ npus: [] }))).toEqual(['npus: Select at least one NPU.']);
    expect(errorsOf(form({ npus: [8] }))).toEqual(['npus.0: NPU numbers run from 0 to 7 (/dev/davinci0 to /dev/davinci7).']);
    expect(errorsOf(form({ npus: [-1] }))).toEqual(['npus.0: NPU numbers run from 0 to 7 (/dev/davinci0 to /dev/davinci7).']);
    expect(errorsOf(form({ npus: [1.5] }))).toEqual(['npus.0: NPU numbers run from 0 to 7 (/dev/davinci0 to /dev/davinci7).']);
    expect(errorsOf(form({ npus: [1, 1] }))).toEqual(['npus: Each NPU can be selected once.']);
    expect(errorsOf(form({ npus: [5] }))).toEqual([]);
  });

  it('mounts the driver and npu-smi together', () => {
    const withoutNpuSmi = guide.dockerRun.mounts.filter((mount) => !mount.container.endsWith('npu-smi'));
    const withoutDriver = guide.dockerRun.mounts.filter((mount) => mount.container !== '/usr/local/Ascend/driver');
    const message = 'mounts: The driver and npu-smi must be mounted into the container together: keep both the /usr/local/Ascend/driver and the npu-smi mounts.';
    expect(errorsOf(form({ mounts: withoutNpuSmi }))).toEqual([message]);
    expect(errorsOf(form({ mounts: withoutDriver }))).toEqual([message]);
    expect(errorsOf(form({ mounts: [] }))).toEqual([message]);
    const sbin = guide.dockerRun.mounts.map((mount) => (mount.container.endsWith('npu-smi') ? { host: '/usr/local/sbin/npu-smi', container: '/usr/local/sbin/npu-smi', readOnly: false } : mount));
    expect(errorsOf(form({ mounts: sbin }))).toEqual([]);
  });

  it('refuses two mounts on one container path', () => {
    expect(errorsOf(form({ containerWorkDir: '/usr/local/dcmi/' }))).toEqual(['mounts.0.container: The same container path is mounted twice.']);
  });

  it('explains a missing or mistyped field', () => {
    expect(errorsOf({ ...form(), workDir: undefined })).toEqual(['workDir: Invalid input: expected string, received undefined']);
    const result = validateDockerRunForm({ ...form(), hostNetwork: 'yes' });
    expect(result.ok ? null : result.errors[0]?.message.zh).toBe('取值无效（Invalid input: expected boolean, received string）');
    expect(errorsOf(null)).toEqual([': Invalid input: expected object, received null']);
  });
});

describe('docker run against the containers on the server', () => {
  const containers = parseDockerInspect(
    fixtureBlock(
      'docker/docker-inspect-devices.txt',
      "$ docker inspect --format '{{.Name}} privileged={{.HostConfig.Privileged}} devices={{json .HostConfig.Devices}} env={{json .Config.Env}} runtime={{.HostConfig.Runtime}} state={{.State.Status}} shm={{.HostConfig.ShmSize}} netmode={{.HostConfig.NetworkMode}}' $(docker ps -aq)",
    ),
  );
  const others = containers.filter((container) => container.name === 'other_user_job' || container.name === 'bad_dev');

  it('refuses a card a running container holds, quoting the guide', () => {
    const result = validateDockerRunForm(form({ npus: [2, 3] }), others);
    expect(result.ok ? null : result.errors).toEqual([
      {
        field: 'npus.1',
        message: {
          zh: '/dev/davinci3 已被容器 other_user_job 占用。不要将多个容器绑到同一个NPU上,会导致后续的容器无法正常使用NPU功能。',
          en: '/dev/davinci3 is held by container other_user_job. Do not bind several containers to one NPU: the later containers cannot use it.',
        },
      },
    ]);
    expect(validateDockerRunForm(form({ npus: [0, 1, 2, 4, 5, 6, 7] }), others).ok).toBe(true);
  });

  it('counts a privileged container as holding every card, and refuses a name in use', () => {
    const result = validateDockerRunForm(form({ containerName: 'qwen2vl_train' }), containers);
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['npus.0', 'npus.1', 'npus.2', 'npus.3', 'npus.4', 'npus.5', 'npus.6', 'npus.7', 'containerName']);
    if (!result.ok) {
      expect(result.errors[3]?.message.en).toBe('/dev/davinci3 is held by container priv_job, other_user_job, qwen2vl_train. Do not bind several containers to one NPU: the later containers cannot use it.');
      expect(result.errors[8]?.message.en).toBe('A container named qwen2vl_train exists (running): choose another name, or remove it first.');
    }
  });

  it('lets a created container keep its name but not its card claim', () => {
    const result = validateDockerRunForm(form({ containerName: 'bad_dev' }), others);
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['npus.3', 'containerName']);
  });
});
