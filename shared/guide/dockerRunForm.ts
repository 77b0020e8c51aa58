/**
 * The guide's `docker run` as a form: what the user may change, validated, and the one command it
 * makes. The preview is the command's own text, so what the user reads is what runs.
 */
import { z } from 'zod';
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import type { RemoteCommand } from '../remote/remoteCommand';
import type { ContainerDevices } from './dockerInspect';
import { holdersOf, npuBindings } from './dockerInspect';
import type { FieldError, MessageId } from './fieldRules';
import { MountPath, NpuIndexList, ShmSize, localizeIssues } from './fieldRules';
import { GuideParams } from './guideParams';
import { normalizeAbsolutePath } from './posixPath';

/** Driver management, device memory and the host-device channel: needed whenever a card is. */
export const CONTROL_DEVICES = ['/dev/davinci_manager', '/dev/devmm_svm', '/dev/hisi_hdc'] as const;

const DRIVER_DIR = '/usr/local/Ascend/driver';

export const DockerMount = z.object({
  host: MountPath,
  container: MountPath,
  readOnly: z.boolean(),
});
export type DockerMount = z.infer<typeof DockerMount>;

/** What a guide fixes for its container; the user's work dir, name and image come from GuideParams. */
export interface DockerRunDefaults {
  readonly npus: readonly number[];
  readonly shmSize: string;
  readonly hostNetwork: boolean;
  /** Driver, DCMI, device logs and npu-smi, as the guide mounts them. */
  readonly mounts: readonly DockerMount[];
}

const isNpuSmi = (path: string): boolean => normalizeAbsolutePath(path).endsWith('/npu-smi');

/** The container's options beyond the guide's `${…}` placeholders, each field checked on its own. */
export const DockerRunOptions = z.object({
  npus: NpuIndexList,
  shmSize: ShmSize,
  hostNetwork: z.boolean(),
  mounts: z.array(DockerMount),
});
export type DockerRunOptions = z.infer<typeof DockerRunOptions>;

export const DockerRunForm = GuideParams.extend(DockerRunOptions.shape).superRefine((form, context) => {
  const driver = form.mounts.some((mount) => normalizeAbsolutePath(mount.container) === DRIVER_DIR);
  const npuSmi = form.mounts.some((mount) => isNpuSmi(mount.container));
  if (!driver || !npuSmi) context.addIssue({ code: 'custom', message: 'driverWithNpuSmi' satisfies MessageId, path: ['mounts'] });
  const seen = new Set([normalizeAbsolutePath(form.containerWorkDir)]);
  form.mounts.forEach((mount, index) => {
    const target = normalizeAbsolutePath(mount.container);
    if (seen.has(target)) context.addIssue({ code: 'custom', message: 'mountTwice' satisfies MessageId, path: ['mounts', index, 'container'] });
    seen.add(target);
  });
});
export type DockerRunForm = z.infer<typeof DockerRunForm>;

export function defaultDockerRunOptions(defaults: DockerRunDefaults): DockerRunOptions {
  return { npus: [...defaults.npus], shmSize: defaults.shmSize, hostNetwork: defaults.hostNetwork, mounts: defaults.mounts.map((mount) => ({ ...mount })) };
}

export function defaultDockerRunForm(params: GuideParams, defaults: DockerRunDefaults): DockerRunForm {
  return { ...params, ...defaultDockerRunOptions(defaults) };
}

export type DockerRunValidation = { readonly ok: true; readonly form: DockerRunForm } | { readonly ok: false; readonly errors: readonly FieldError[] };

const ONE_CONTAINER_PER_NPU: LocalizedText = {
  zh: '不要将多个容器绑到同一个NPU上,会导致后续的容器无法正常使用NPU功能。',
  en: 'Do not bind several containers to one NPU: the later containers cannot use it.',
};

/**
 * The form on its own, then against the server's containers (from `docker inspect`): a card held
 * by a running container, and a name any container already has, are refused.
 */
export function validateDockerRunForm(input: unknown, containers: readonly ContainerDevices[] = []): DockerRunValidation {
  const parsed = DockerRunForm.safeParse(input);
  if (!parsed.success) return { ok: false, errors: localizeIssues(parsed.error) };
  const form = parsed.data;
  const errors: FieldError[] = [];
  const bindings = npuBindings(containers);
  form.npus.forEach((npu, index) => {
    const holders = holdersOf(npu, bindings);
    if (holders.length === 0) return;
    const names = holders.join(', ');
    errors.push({
      field: `npus.${index}`,
      message: { zh: `/dev/davinci${npu} 已被容器 ${names} 占用。${ONE_CONTAINER_PER_NPU.zh}`, en: `/dev/davinci${npu} is held by container ${names}. ${ONE_CONTAINER_PER_NPU.en}` },
    });
  });
  const sameName = containers.find((container) => container.name === form.containerName);
  if (sameName) {
    errors.push({
      field: 'containerName',
      message: {
        zh: `已有名为 ${sameName.name} 的容器（状态 ${sameName.state}）：请换一个名称，或先删除它。`,
        en: `A container named ${sameName.name} exists (${sameName.state}): choose another name, or remove it first.`,
      },
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, form };
}

function volume(host: string, container: string, readOnly: boolean): string {
  return `${host}:${container}${readOnly ? ':ro' : ''}`;
}

/** One option per line, joined with backslash-newline so the shell reads a single command. */
export function buildDockerRun(input: DockerRunForm): RemoteCommand {
  const parsed = DockerRunForm.safeParse(input);
  if (!parsed.success) throw new RangeError(`Invalid docker run form: ${localizeIssues(parsed.error).map((error) => `${error.field}: ${error.message.en}`).join('; ')}`);
  const form = parsed.data;
  const lines: RemoteCommand[] = [
    form.hostNetwork ? sh`docker run -itd --net=host` : sh`docker run -itd`,
    ...[...form.npus].sort((a, b) => a - b).map((npu) => sh`--device=${`/dev/davinci${npu}`}`),
    ...CONTROL_DEVICES.map((device) => sh`--device=${device}`),
    sh`--shm-size=${form.shmSize}`,
    ...form.mounts.map((mount) => sh`-v ${volume(mount.host, mount.container, mount.readOnly)}`),
    sh`-v ${volume(form.workDir, form.containerWorkDir, false)}`,
    sh`--name ${form.containerName}`,
    sh`${form.image}`,
    sh`/bin/bash`,
  ];
  return lines.reduce((command, line) => sh`${command} \\
  ${line}`);
}

/** Exactly the text buildDockerRun sends. */
export function previewDockerRun(form: DockerRunForm): string {
  return buildDockerRun(form).text;
}
