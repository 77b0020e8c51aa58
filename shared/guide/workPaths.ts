/**
 * Where Steps 3–6 put things, as the guide lays them out under ${container_work_dir}, and the same
 * place seen from the host (the work dir mount): uploads and the log follower work on the host,
 * the guide's commands in the container.
 */
import type { GuideParams } from './guideParams';
import { isWithin, normalizeAbsolutePath } from './posixPath';

/** The weights folder the guide's tree shows (Qwen-VL-Chat/ in the work dir). */
export const WEIGHTS_DIR = 'Qwen-VL-Chat';
/** The repository the install script clones; training runs from its root ("cd ${container_work_dir}/Qwen-VL"). */
export const QWEN_VL_DIR = 'Qwen-VL';
export const FINETUNE_SCRIPT = 'finetune/finetune_ds.sh';
/** The commit of Qwen-VL the 6.3.910 package is written for (its install script's folder). */
export const QWEN_VL_COMMIT = 'aa00ed04091eea5fcdd32985e7915f1c53e7d599';
export const INSTALL_SCRIPT = `multimodal_algorithm/QwenVL/train/${QWEN_VL_COMMIT}/qwen-vl_install.sh`;
export const PATCHED_MODELING = 'multimodal_algorithm/ascendcloud_multimodal_plugin/ascendcloud_multimodal/train/models/qwenvl/modeling_qwen.py';
/** Where datasets uploaded by the wizard go. */
export const DATA_DIR = 'data';
/** The guide's "log_dir", inside Qwen-VL/. */
export const LOG_DIR = 'log_dir';

export function joinPath(dir: string, ...names: string[]): string {
  return normalizeAbsolutePath([dir, ...names].join('/'));
}

export function inContainer(params: GuideParams, ...names: string[]): string {
  return joinPath(params.containerWorkDir, ...names);
}

export function onHost(params: GuideParams, ...names: string[]): string {
  return joinPath(params.workDir, ...names);
}

/** A container path under the work dir mount, as the host sees it; null outside the mount. */
export function hostPathOf(params: GuideParams, containerPath: string): string | null {
  if (!containerPath.startsWith('/') || !isWithin(containerPath, params.containerWorkDir)) return null;
  const inner = normalizeAbsolutePath(containerPath).slice(normalizeAbsolutePath(params.containerWorkDir).length);
  return normalizeAbsolutePath(`${params.workDir}/${inner}`);
}
