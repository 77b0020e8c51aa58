/**
 * Step 2's base image: is it on the server (`docker images`), and the guide's `docker pull` to get
 * it, as a long action whose progress comes from what docker prints.
 */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import type { DockerImage } from './docker';
import { parseDockerImages } from './docker';
import { classifyDockerError } from './dockerErrors';
import type { CheckResult, CommandOutput, ItemCheck, ItemFix } from './guideTypes';
import { messageText } from './fieldRules';
import { pullProgressReader } from './pullActionProgress';

export const LIST_IMAGES = sh`docker images --format ${'{{json .}}'}`;

/** A 20 GB image over a slow link takes hours; a pull that is still printing is not stuck. */
const PULL_TIMEOUT_MS = 6 * 60 * 60_000;

const IMAGE_ID = /^(?:sha256:)?([0-9a-f]{12,64})$/;

/** Docker Hub's implicit parts, which `docker images` leaves out. */
function familiarName(repository: string): string {
  return repository.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
}

interface ImageReference {
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

/** "host:5000/a/b:tag@sha256:…": the tag is after the last "/" only, so a registry port is no tag. */
function splitReference(reference: string): ImageReference {
  const [name = '', digest = null] = reference.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tagged = colon > slash;
  return {
    repository: familiarName(tagged ? name.slice(0, colon) : name),
    tag: tagged ? name.slice(colon + 1) : digest === null ? 'latest' : null,
    digest,
  };
}

/** True when `image` is an ID from `docker images`, which names a local image but cannot be pulled. */
export function isImageId(image: string): boolean {
  return IMAGE_ID.test(image);
}

/** The listed image `image` names: by ID prefix, or by repository with its tag or digest. */
export function findImage(images: readonly DockerImage[], image: string): DockerImage | null {
  const id = IMAGE_ID.exec(image)?.[1];
  if (id !== undefined) {
    const short = id.slice(0, 12);
    return images.find((listed) => listed.id.replace(/^sha256:/, '').slice(0, 12) === short) ?? null;
  }
  const wanted = splitReference(image);
  return (
    images.find(
      (listed) =>
        familiarName(listed.repository) === wanted.repository && (wanted.tag === null || listed.tag === wanted.tag) && (wanted.digest === null || listed.digest === wanted.digest),
    ) ?? null
  );
}

function dockerFailure(output: CommandOutput): CheckResult {
  const error = classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code ?? 1);
  return { status: 'fail', summary: error?.message ?? { zh: 'docker images 执行失败。', en: 'docker images failed.' }, evidence: error?.evidence || failureText(output), data: error };
}

const describe = (image: DockerImage): string => `${image.repository}:${image.tag}  ${image.id}  ${image.created}  ${image.size}`;

/** The guide's image (params.image) among `docker images`. */
export function imagePresentCheck(): ItemCheck {
  return {
    commands: () => [LIST_IMAGES],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return dockerFailure(output);
      const images = parseDockerImages(output.stdout);
      const found = findImage(images, params.image);
      if (found) {
        return {
          status: 'pass',
          summary: { zh: `镜像已在服务器上（ID ${found.id}，${found.size}）。`, en: `The image is on the server (ID ${found.id}, ${found.size}).` },
          evidence: describe(found),
          data: found,
        };
      }
      const summary: LocalizedText = isImageId(params.image)
        ? { zh: `服务器上没有 ID 为 ${params.image} 的镜像：请填写镜像地址以便拉取。`, en: `The server has no image with ID ${params.image}: give the image address so it can be pulled.` }
        : { zh: '服务器上还没有这个镜像：请先拉取（docker pull）。', en: 'The image is not on the server yet: pull it first (docker pull).' };
      return { status: 'fail', summary, evidence: images.length > 0 ? images.map(describe).join('\n') : '', data: images };
    },
  };
}

/** The guide's `docker pull {image_url}`, with progress; the pull's own text names any error. */
export function pullImageFix(): ItemFix {
  return {
    label: { zh: '拉取镜像', en: 'Pull the image' },
    explanation: {
      zh: '获取基础镜像：docker pull {image_url}。命令在 script 提供的伪终端中运行，docker 因此会打印每一层已下载的字节数，用来显示进度。可以随时取消；已完成的层在再次拉取时不会重新下载。',
      en: 'Get the base image: docker pull {image_url}. It runs in a pseudo-terminal from script, so docker prints the bytes each layer has downloaded, which the progress bars show. You can cancel at any time; finished layers are not downloaded again by the next pull.',
    },
    // A pty makes docker print byte counts ("Downloading  5.57MB/62.93MB"); through a pipe it prints
    // only each layer's milestones. -e passes docker's exit status on, -f flushes every redraw.
    commands: (params) => [sh`script -q -e -f -c ${sh`docker pull ${params.image}`.text} /dev/null`],
    confirm: false,
    recheck: true,
    precheck: {
      commands: () => [],
      validate: (_outputs, params) => (isImageId(params.image) ? [{ field: 'image', message: messageText('imageIdNotPullable') }] : []),
    },
    progress: pullProgressReader,
    describeFailure: (output) => classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code)?.message ?? null,
    timeoutMs: PULL_TIMEOUT_MS,
  };
}
