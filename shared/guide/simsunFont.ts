/**
 * Step 6's font: Qwen-VL's tokenization_qwen.py, when imported at the start of training, looks for
 * SimSun.ttf in the Hugging Face cache, then in the directory training starts from (Qwen-VL/),
 * and otherwise downloads it there from qianwen-res.oss-cn-beijing.aliyuncs.com. A server without
 * internet fails at that import; the weights folder carries the font, so copying it prevents that.
 */
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import type { GuideParams } from './guideParams';
import type { CheckResult, ItemCheck, ItemFix } from './guideTypes';
import { QWEN_VL_DIR, WEIGHTS_DIR, inContainer } from './workPaths';

export const FONT = 'SimSun.ttf';

/**
 * Prints `here=`, `cache=` and `weights=` for each place that has a non-empty font; the cache is
 * where try_to_load_from_cache("Qwen/Qwen-VL-Chat", "SimSun.ttf") looks with the default HF_HOME.
 */
function fontCommand(params: GuideParams) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} || exit 1; [ -s ${FONT} ] && echo here=yes; for f in "$HOME"/.cache/huggingface/hub/models--Qwen--Qwen-VL-Chat/snapshots/*/SimSun.ttf; do [ -s "$f" ] && echo cache=yes && break; done; [ -s ${inContainer(params, WEIGHTS_DIR, FONT)} ] && echo weights=yes; true`;
}

export function fontResult(stdout: string, params: GuideParams): CheckResult {
  const has = (place: string) => new RegExp(`^${place}=yes$`, 'm').test(stdout);
  const facts = { weightsHasFont: String(has('weights')) };
  if (has('here')) return { status: 'pass', summary: { zh: `${FONT} 已在 Qwen-VL/ 中：分词器不会再下载它。`, en: `${FONT} is in Qwen-VL/: the tokenizer will not download it.` }, evidence: stdout.trim(), facts };
  if (has('cache')) return { status: 'pass', summary: { zh: `${FONT} 在 Hugging Face 缓存中：分词器不会再下载它。`, en: `${FONT} is in the Hugging Face cache: the tokenizer will not download it.` }, evidence: stdout.trim(), facts };
  const weights = inContainer(params, WEIGHTS_DIR, FONT);
  return {
    status: 'warn',
    summary: {
      zh: `Qwen-VL/ 和 Hugging Face 缓存中都没有 ${FONT}：训练启动时 Qwen-VL 的分词器会从 qianwen-res.oss-cn-beijing.aliyuncs.com 下载它，无法访问外网的服务器会因此失败。${has('weights') ? `可以从 ${weights} 复制过来。` : `权重目录里也没有（${weights}）。`}`,
      en: `${FONT} is neither in Qwen-VL/ nor in the Hugging Face cache: when training starts, Qwen-VL’s tokenizer downloads it from qianwen-res.oss-cn-beijing.aliyuncs.com, which fails on a server without internet. ${has('weights') ? `It can be copied from ${weights}.` : `The weights folder lacks it too (${weights}).`}`,
    },
    evidence: stdout.trim(),
    facts,
  };
}

export function fontCheck(): ItemCheck {
  return {
    commands: (params) => [fontCommand(params)],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: '没有找到 Qwen-VL/：请先完成第 4 步的安装。', en: 'Qwen-VL/ is not there: finish Step 4’s install first.' }, evidence: failureText(output) };
      return fontResult(output.stdout, params);
    },
  };
}

/** Puts the weights folder's font where the tokenizer looks first (the guide's fix for offline servers). */
export function fontFix(): ItemFix {
  return {
    label: { zh: `复制 ${FONT}`, en: `Copy ${FONT}` },
    explanation: {
      zh: `把权重目录中的 ${FONT} 复制到 Qwen-VL/（训练启动的目录），分词器就不会再联网下载它。`,
      en: `Copy ${FONT} from the weights folder into Qwen-VL/ (where training starts), so the tokenizer never downloads it.`,
    },
    commands: (params) => [sh`cp -p -- ${inContainer(params, WEIGHTS_DIR, FONT)} ${inContainer(params, QWEN_VL_DIR, FONT)}`],
    confirm: false,
    recheck: true,
    precheck: {
      commands: (params) => [sh`test -s ${inContainer(params, WEIGHTS_DIR, FONT)}`],
      validate: (outputs, params) =>
        outputAt(outputs, 0).code === 0
          ? []
          : [{ field: '', message: { zh: `${inContainer(params, WEIGHTS_DIR, FONT)} 不存在：请上传带有 ${FONT} 的权重目录（第 4 步）。`, en: `${inContainer(params, WEIGHTS_DIR, FONT)} is missing: upload the weights folder with its ${FONT} (Step 4).` } }],
    },
  };
}
