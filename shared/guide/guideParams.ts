/**
 * The values a guide's `${…}` placeholders stand for. Every guide gives defaults, so a check can
 * always be built; the user's answers replace them after validation.
 */
import { z } from 'zod';
import type { LocalizedText } from '../i18n/localizedText';
import type { FieldError } from './fieldRules';
import { ContainerName, ContainerWorkDir, ImageRef, MountPath, localizeIssues } from './fieldRules';

export const GuideParams = z.object({
  workDir: MountPath,
  containerWorkDir: ContainerWorkDir,
  containerName: ContainerName,
  image: ImageRef,
});
export type GuideParams = z.infer<typeof GuideParams>;
export type ParamId = keyof GuideParams;

/** Labels in the guide's words (参数说明). */
export const PARAM_LABELS: Readonly<Record<ParamId, LocalizedText>> = {
  workDir: { zh: 'work_dir：宿主机中工作目录，存放训练所需代码、数据等文件', en: 'work_dir: the work dir on the host, holding the code and data for training' },
  containerWorkDir: { zh: 'container_work_dir：要挂载到的容器中的目录', en: 'container_work_dir: where that folder is mounted in the container' },
  containerName: { zh: 'container_name：容器名称，进入容器时会用到', en: 'container_name: the container’s name, used to enter it' },
  image: { zh: 'image_id：镜像ID，通过docker images查看刚拉取的镜像ID', en: 'image_id: the image, as docker images lists the one just pulled' },
};

export type ParamsResult = { readonly ok: true; readonly params: GuideParams } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** The user's answers over the guide's defaults; a field left out keeps its default. */
export function resolveParams(defaults: GuideParams, answers: Readonly<Partial<Record<ParamId, unknown>>>): ParamsResult {
  const given = Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== undefined));
  const parsed = GuideParams.safeParse({ ...defaults, ...given });
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, errors: localizeIssues(parsed.error) };
}
