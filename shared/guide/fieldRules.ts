/**
 * Validation of the values a guide asks for (paths, container name, image, shm size, NPU list),
 * with messages in both languages. zod carries a message id; `localizeIssues` turns it into text,
 * so every rule's wording lives in one table.
 */
import { z } from 'zod';
import type { LocalizedText } from '../i18n/localizedText';
import { isDockerName } from '../remote/remoteCommand';
import { isWithin, normalizeAbsolutePath } from './posixPath';

const MESSAGES = {
  absolutePath: {
    zh: '请填写以 / 开头的绝对路径。',
    en: 'Enter an absolute path that starts with /.',
  },
  pathColon: {
    zh: '路径中不能有冒号“:”：docker -v 用它分隔宿主机路径和容器路径。',
    en: 'A path cannot contain ":": docker -v uses it to separate the host path from the container path.',
  },
  pathDotDot: {
    zh: '路径中不能有“..”，请写出实际目录。',
    en: 'A path cannot contain "..": write the directory itself.',
  },
  pathNul: {
    zh: '路径中不能有 NUL 字符。',
    en: 'A path cannot contain a NUL character.',
  },
  pathLength: {
    zh: '路径太长（最多 4096 个字符）。',
    en: 'The path is too long (4096 characters at most).',
  },
  maUserHome: {
    zh: '容器不能挂载到/home/ma-user目录,此目录为ma-user用户家目录。如果容器挂载到/home/ma-user下,拉起容器时会与基础镜像冲突,导致基础镜像不可用。请使用其子目录，例如 /home/ma-user/ws。',
    en: 'The container cannot mount over /home/ma-user, the home of the ma-user user: mounting there conflicts with the base image and makes it unusable. Use a folder inside it, such as /home/ma-user/ws.',
  },
  systemDir: {
    zh: '不能挂载到镜像的系统目录，否则会遮住镜像自带的文件。请换一个工作目录，例如 /home/ma-user/ws。',
    en: 'This is a system folder of the image: a mount there hides the image’s own files. Choose another work dir, such as /home/ma-user/ws.',
  },
  containerName: {
    zh: '容器名称以字母或数字开头，只能包含字母、数字、“_”、“.”、“-”，最多 128 个字符。',
    en: 'A container name starts with a letter or digit and has only letters, digits, "_", "." and "-" (128 characters at most).',
  },
  image: {
    zh: '请填写镜像地址（如 swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:标签）或 docker images 中的镜像 ID。',
    en: 'Enter an image reference (such as swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:tag) or an image ID from docker images.',
  },
  imageIdNotPullable: {
    zh: '镜像 ID 只能指向服务器上已有的镜像，无法拉取：请填写镜像地址（仓库/名称:标签）。',
    en: 'An image ID names an image already on the server and cannot be pulled: enter the image address (registry/name:tag).',
  },
  shmSize: {
    zh: '共享内存大小写作正整数加单位 b、k、m、g 或 t，例如 64g。',
    en: 'Write the shared memory size as a whole number and a unit b, k, m, g or t, such as 64g.',
  },
  npuIndex: {
    zh: 'NPU 编号为 0 到 7（/dev/davinci0 至 /dev/davinci7）。',
    en: 'NPU numbers run from 0 to 7 (/dev/davinci0 to /dev/davinci7).',
  },
  npuNone: {
    zh: '至少选择一张 NPU 卡。',
    en: 'Select at least one NPU.',
  },
  npuRepeated: {
    zh: '同一张 NPU 卡只能选择一次。',
    en: 'Each NPU can be selected once.',
  },
  driverWithNpuSmi: {
    zh: 'driver及npu-smi需同时挂载至容器：请保留 /usr/local/Ascend/driver 和 npu-smi 两个挂载。',
    en: 'The driver and npu-smi must be mounted into the container together: keep both the /usr/local/Ascend/driver and the npu-smi mounts.',
  },
  mountTwice: {
    zh: '容器内的同一路径被挂载了两次。',
    en: 'The same container path is mounted twice.',
  },
} as const satisfies Record<string, LocalizedText>;

export type MessageId = keyof typeof MESSAGES;

export function messageText(id: MessageId): LocalizedText {
  return MESSAGES[id];
}

function isMessageId(text: string): text is MessageId {
  return Object.hasOwn(MESSAGES, text);
}

export interface FieldError {
  /** Dotted path of the field (`npus.2`, `mounts.0.host`), '' for the whole form. */
  readonly field: string;
  readonly message: LocalizedText;
}

/** zod's own messages (a missing field, a wrong type) are kept in English under a Chinese lead. */
export function localizeIssues(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: isMessageId(issue.message) ? MESSAGES[issue.message] : { zh: `取值无效（${issue.message}）`, en: issue.message },
  }));
}

const MA_USER_HOME = '/home/ma-user';
/** Folders of the image a work dir mount would hide (CANN lives in /usr/local/Ascend). */
const SYSTEM_DIRS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/sbin', '/sys', '/tmp', '/usr', '/usr/local', '/usr/local/Ascend', '/var'];

const AbsolutePath = z
  .string()
  .max(4096, 'pathLength' satisfies MessageId)
  .refine((path) => path.startsWith('/'), 'absolutePath' satisfies MessageId)
  .refine((path) => !path.includes('\0'), 'pathNul' satisfies MessageId)
  .refine((path) => !path.split('/').includes('..'), 'pathDotDot' satisfies MessageId);

/** A side of a `docker -v HOST:CONTAINER` mount. */
export const MountPath = AbsolutePath.refine((path) => !path.includes(':'), 'pathColon' satisfies MessageId);

/** ${container_work_dir}: inside /home/ma-user is fine (the guide's own example is /home/ma-user/ws), over it is not. */
export const ContainerWorkDir = MountPath.refine((path) => !isWithin(MA_USER_HOME, path), 'maUserHome' satisfies MessageId).refine(
  (path) => !SYSTEM_DIRS.includes(normalizeAbsolutePath(path)) && !['/dev', '/proc', '/sys'].some((dir) => isWithin(path, dir)),
  'systemDir' satisfies MessageId,
);

export const ContainerName = z.string().refine(isDockerName, 'containerName' satisfies MessageId);

const DOMAIN = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
/** docker's reference grammar (distribution/reference), or an image ID as `docker images` shows it. */
const IMAGE = new RegExp(String.raw`^(?:${DOMAIN}?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?|(?:sha256:)?[0-9a-f]{12,64})$`);

export const ImageRef = z.string().max(512, 'image' satisfies MessageId).regex(IMAGE, 'image' satisfies MessageId);

const SHM_SIZE = /^([1-9][0-9]{0,12})([bkmgt]?)$/i;
const UNIT_POWER = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4 } as const;

/** Bytes of a `--shm-size` value, as docker reads it (binary units), or null when docker would refuse it. */
export function shmSizeBytes(value: string): number | null {
  const match = SHM_SIZE.exec(value);
  if (!match) return null;
  const unit = (match[2] ?? '').toLowerCase() as keyof typeof UNIT_POWER;
  return Number(match[1]) * 1024 ** UNIT_POWER[unit];
}

export const ShmSize = z.string().refine((value) => shmSizeBytes(value) !== null, 'shmSize' satisfies MessageId);

/** The N of /dev/davinciN, on an 8-NPU server. */
export const NpuIndexList = z
  .array(z.number().int('npuIndex' satisfies MessageId).min(0, 'npuIndex' satisfies MessageId).max(7, 'npuIndex' satisfies MessageId))
  .min(1, 'npuNone' satisfies MessageId)
  .refine((npus) => new Set(npus).size === npus.length, 'npuRepeated' satisfies MessageId);
