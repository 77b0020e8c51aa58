/**
 * Step 6: finetune_ds.sh configured from the form (read from the server, only the changed values
 * rewritten, written back only if nobody changed it meanwhile), and the run launched detached.
 */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import type { ActionInputs } from './actionInputs';
import { failureText, outputAt } from './checkOutputs';
import type { FieldError } from './fieldRules';
import { fixPrefetchBucket, hasAutoPrefetchBucket, parseFinetuneScript, rewriteFinetuneScript, scriptSettings } from './finetuneScript';
import type { GuideParams } from './guideParams';
import type { CommandOutput, ItemCheck, ItemFix } from './guideTypes';
import type { TrainingForm } from './trainingForm';
import { validateTrainingForm } from './trainingForm';
import { launchCommand, parseTrainingStatus, statusCommand } from './trainingStatus';
import { FINETUNE_SCRIPT, QWEN_VL_DIR, inContainer } from './workPaths';

/** The stock script's placeholders: training cannot start with them. */
const STOCK_MODEL = 'Qwen/Qwen-VL-Chat';
const STOCK_DATA = 'path_to_data';

function readFile(path: string) {
  return sh`cat -- ${path}`;
}

/** sed: the value of the script's `--deepspeed` line. */
const DEEPSPEED_ARGUMENT = String.raw`s/^[[:space:]]*--deepspeed[[:space:]][[:space:]]*\([^[:space:]]*\).*/\1/p`;

/** The config the script's --deepspeed names, read from the repo root like torchrun does. */
function readNamedConfig(params: GuideParams) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} && cat -- "$(sed -n ${DEEPSPEED_ARGUMENT} ${FINETUNE_SCRIPT} | head -n 1)"`;
}

/**
 * Replaces a file's text only if it is still what was read (compared whole, "x" keeping trailing
 * newlines from $(…)), keeping the first original as FILE.qvl-orig; written in place so its mode
 * and owner stay.
 */
export function replaceFileCommand(path: string, before: string, after: string) {
  return sh`f=${path}; [ "$(cat -- "$f"; printf x)" = ${`${before}x`} ] || { echo "$f changed on the server since it was read: check again." >&2; exit 3; }; [ -e "$f.qvl-orig" ] || cp -p -- "$f" "$f.qvl-orig"; printf '%s' ${after} > "$f"`;
}

const isScriptMissing = (output: CommandOutput) => output.code !== 0;

export function scriptCheck(): ItemCheck {
  return {
    commands: (params) => [readFile(inContainer(params, QWEN_VL_DIR, FINETUNE_SCRIPT)), readNamedConfig(params)],
    parse: (outputs) => {
      const script = outputAt(outputs, 0);
      if (isScriptMissing(script)) return { status: 'fail', summary: { zh: `没有找到 ${FINETUNE_SCRIPT}：请先完成第 4 步的安装。`, en: `${FINETUNE_SCRIPT} is not there: finish Step 4’s install first.` }, evidence: failureText(script) };
      const parsed = parseFinetuneScript(script.stdout);
      const settings = scriptSettings(parsed);
      const config = outputAt(outputs, 1);
      const autoBucket = config.code === 0 && hasAutoPrefetchBucket(config.stdout);
      const facts = { ...settings, autoPrefetchBucket: String(autoBucket) } as Record<string, string>;
      const evidence = Object.entries(settings)
        .map(([field, value]) => `${field}: ${value}`)
        .join('\n');
      if (settings.model === STOCK_MODEL || settings.data === STOCK_DATA) {
        return { status: 'fail', summary: { zh: 'MODEL 和 DATA 还是脚本的默认值：请在下面的表单中填写权重目录和数据集路径。', en: 'MODEL and DATA still hold the script’s defaults: set the weights folder and the dataset below.' }, evidence, facts };
      }
      if (autoBucket) {
        return {
          status: 'warn',
          summary: { zh: 'DeepSpeed 配置的 stage3_prefetch_bucket_size 是 "auto"：deepspeed ≥ 0.15 会在启动时报 pydantic 错误。', en: 'The DeepSpeed config has stage3_prefetch_bucket_size "auto": deepspeed ≥ 0.15 fails at start-up with a pydantic error.' },
          evidence,
          facts,
        };
      }
      return { status: 'pass', summary: { zh: `finetune_ds.sh 已配置：MODEL=${settings.model ?? '?'}，DATA=${settings.data ?? '?'}。`, en: `finetune_ds.sh is set: MODEL=${settings.model ?? '?'}, DATA=${settings.data ?? '?'}.` }, evidence, facts };
    },
  };
}

const formMissing: FieldError = { field: '', message: { zh: '请先填写训练参数。', en: 'Fill in the training settings first.' } };

interface ConfigurePlan {
  readonly errors: readonly FieldError[];
  readonly script: { before: string; after: string } | null;
  readonly config: { before: string; after: string } | null;
}

/** What the form changes in the script and the DeepSpeed config, from their text as read just now. */
export function planConfigure(outputs: readonly CommandOutput[], form: TrainingForm | null): ConfigurePlan {
  if (!form) return { errors: [formMissing], script: null, config: null };
  const formErrors = validateTrainingForm(form);
  if (formErrors.length > 0) return { errors: formErrors, script: null, config: null };
  const script = outputAt(outputs, 0);
  if (isScriptMissing(script)) return { errors: [{ field: '', message: { zh: `无法读取 ${FINETUNE_SCRIPT}。`, en: `${FINETUNE_SCRIPT} cannot be read.` } }], script: null, config: null };
  const rewritten = rewriteFinetuneScript(script.stdout, form);
  if (!rewritten.ok) return { errors: rewritten.errors, script: null, config: null };
  const config = outputAt(outputs, 1);
  if (form.fixPrefetchBucket && config.code !== 0) {
    return { errors: [{ field: 'deepspeed', message: { zh: `无法读取 DeepSpeed 配置 ${form.deepspeed}。`, en: `The DeepSpeed config ${form.deepspeed} cannot be read.` } }], script: null, config: null };
  }
  const fixedConfig = form.fixPrefetchBucket && config.code === 0 ? fixPrefetchBucket(config.stdout) : null;
  return {
    errors: [],
    script: rewritten.changed.length > 0 ? { before: script.stdout, after: rewritten.text } : null,
    config: fixedConfig !== null && fixedConfig !== config.stdout ? { before: config.stdout, after: fixedConfig } : null,
  };
}

function configPath(params: GuideParams, inputs: ActionInputs): string {
  const named = inputs.training?.deepspeed ?? 'finetune/ds_config_zero3.json';
  return named.startsWith('/') ? named : inContainer(params, QWEN_VL_DIR, named);
}

export function configureFix(): ItemFix {
  return {
    label: { zh: '写入 finetune_ds.sh', en: 'Write finetune_ds.sh' },
    explanation: {
      zh: '配置训练参数（vim finetune/finetune_ds.sh）：只改动表单中与服务器上不同的值，其余内容保持原样；原文件备份为 .qvl-orig。',
      en: 'Set the training parameters (the guide’s vim finetune/finetune_ds.sh): only values that differ from the server’s are rewritten, everything else stays byte for byte; the original is kept as .qvl-orig.',
    },
    commands: (params, _options, context) => {
      const plan = planConfigure(context.precheck, context.inputs.training);
      return [
        ...(plan.script ? [replaceFileCommand(inContainer(params, QWEN_VL_DIR, FINETUNE_SCRIPT), plan.script.before, plan.script.after)] : []),
        ...(plan.config ? [replaceFileCommand(configPath(params, context.inputs), plan.config.before, plan.config.after)] : []),
      ];
    },
    changes: (params, context) => {
      const plan = planConfigure(context.precheck, context.inputs.training);
      if (plan.errors.length > 0) return [];
      const script = outputAt(context.precheck, 0).stdout;
      return [
        { path: inContainer(params, QWEN_VL_DIR, FINETUNE_SCRIPT), before: script, after: plan.script?.after ?? script },
        ...(plan.config ? [{ path: configPath(params, context.inputs), ...plan.config }] : []),
      ];
    },
    confirm: true,
    recheck: true,
    precheck: {
      commands: (params, inputs) => [readFile(inContainer(params, QWEN_VL_DIR, FINETUNE_SCRIPT)), readFile(configPath(params, inputs))],
      validate: (outputs, _params, _options, inputs) => planConfigure(outputs, inputs.training).errors,
    },
  };
}

const runningError = (pid: number | null): FieldError => ({ field: '', message: { zh: `训练已在运行（pid ${pid}）。`, en: `Training is running already (pid ${pid}).` } });
const placeholders: LocalizedText = { zh: 'finetune_ds.sh 的 MODEL 或 DATA 还是默认值：请先写入训练参数。', en: 'finetune_ds.sh still has the default MODEL or DATA: write the training settings first.' };

export function launchFix(): ItemFix {
  return {
    label: { zh: '启动训练', en: 'Start training' },
    explanation: {
      zh: '在容器中后台启动 bash finetune/finetune_ds.sh（setsid nohup：关闭应用或 SSH 断开都不影响训练），stdout 与 stderr 都写入 log_dir 下的新日志。',
      en: 'Start bash finetune/finetune_ds.sh in the container, detached (setsid nohup: closing the app or losing SSH does not stop it), stdout and stderr into a new log under log_dir.',
    },
    commands: (params) => [launchCommand(params)],
    confirm: true,
    recheck: true,
    precheck: {
      commands: (params) => [statusCommand(params), readFile(inContainer(params, QWEN_VL_DIR, FINETUNE_SCRIPT))],
      validate: (outputs) => {
        const status = parseTrainingStatus(outputAt(outputs, 0).stdout);
        if (status.state === 'running') return [runningError(status.pid)];
        const settings = scriptSettings(parseFinetuneScript(outputAt(outputs, 1).stdout));
        return settings.model === STOCK_MODEL || settings.data === STOCK_DATA || settings.model === undefined ? [{ field: '', message: placeholders }] : [];
      },
    },
  };
}
