/**
 * The finetune_ds.sh settings Step 6 edits, as a form. finetune_ds.sh expands $MODEL and $DATA
 * unquoted and every value sits in a `--flag value \` line, so a value may hold no space, quote or
 * shell character: the rules refuse them instead of quoting them into a different script.
 */
import { z } from 'zod';
import type { LocalizedText } from '../i18n/localizedText';
import type { FieldError } from './fieldRules';

const SAFE_PATH = /^[A-Za-z0-9_./+@%=,-]+$/;
const POSITIVE_INT = /^[1-9][0-9]{0,6}$/;
const NON_NEGATIVE_INT = /^(0|[1-9][0-9]{0,4})$/;
const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:]+\]?$/;

export const TrainingForm = z.object({
  model: z.string(),
  data: z.string(),
  outputDir: z.string(),
  epochs: z.string(),
  batchSize: z.string(),
  gradientAccumulation: z.string(),
  learningRate: z.string(),
  saveSteps: z.string(),
  deepspeed: z.string(),
  /** Write 15099494 for DeepSpeed's "auto" stage3_prefetch_bucket_size (deepspeed ≥ 0.15 rejects the float it becomes). */
  fixPrefetchBucket: z.boolean(),
  gpusPerNode: z.string(),
  nnodes: z.string(),
  nodeRank: z.string(),
  masterAddr: z.string(),
  masterPort: z.string(),
});
export type TrainingForm = z.infer<typeof TrainingForm>;
export type TrainingField = Exclude<keyof TrainingForm, 'fixPrefetchBucket'>;

const MESSAGES = {
  path: { zh: '只能包含字母、数字和 _ . / + @ % = , -：finetune_ds.sh 不加引号地展开这些值。', en: 'Use letters, digits and _ . / + @ % = , - only: finetune_ds.sh expands these values unquoted.' },
  positive: { zh: '请填写正整数。', en: 'Enter a whole number above 0.' },
  nonNegative: { zh: '请填写 0 或正整数。', en: 'Enter 0 or a whole number.' },
  number: { zh: '请填写数字，例如 1e-5 或 0.00001。', en: 'Enter a number, such as 1e-5 or 0.00001.' },
  host: { zh: '请填写主节点的 IP 地址或主机名。', en: 'Enter the master node’s IP address or host name.' },
  port: { zh: '端口应在 1 到 65535 之间。', en: 'The port must be between 1 and 65535.' },
  rank: { zh: 'NODE_RANK 必须小于 NNODES。', en: 'NODE_RANK must be below NNODES.' },
  json: { zh: 'DeepSpeed 配置应为 .json 文件。', en: 'The DeepSpeed config must be a .json file.' },
} satisfies Record<string, LocalizedText>;

type Rule = (value: string) => LocalizedText | null;
const matches =
  (pattern: RegExp, message: LocalizedText): Rule =>
  (value) =>
    pattern.test(value) ? null : message;

const RULES: Readonly<Record<TrainingField, readonly Rule[]>> = {
  model: [matches(SAFE_PATH, MESSAGES.path)],
  data: [matches(SAFE_PATH, MESSAGES.path)],
  outputDir: [matches(SAFE_PATH, MESSAGES.path)],
  epochs: [matches(NUMBER, MESSAGES.number)],
  batchSize: [matches(POSITIVE_INT, MESSAGES.positive)],
  gradientAccumulation: [matches(POSITIVE_INT, MESSAGES.positive)],
  learningRate: [matches(NUMBER, MESSAGES.number)],
  saveSteps: [matches(POSITIVE_INT, MESSAGES.positive)],
  deepspeed: [matches(SAFE_PATH, MESSAGES.path), matches(/\.json$/, MESSAGES.json)],
  gpusPerNode: [matches(POSITIVE_INT, MESSAGES.positive)],
  nnodes: [matches(POSITIVE_INT, MESSAGES.positive)],
  nodeRank: [matches(NON_NEGATIVE_INT, MESSAGES.nonNegative)],
  masterAddr: [matches(HOST, MESSAGES.host)],
  masterPort: [(value) => (POSITIVE_INT.test(value) && Number(value) <= 65535 ? null : MESSAGES.port)],
};

export function validateTrainingForm(form: TrainingForm): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, rules] of Object.entries(RULES) as [TrainingField, readonly Rule[]][]) {
    const message = rules.map((rule) => rule(form[field])).find((found) => found !== null);
    if (message) errors.push({ field, message });
  }
  if (!errors.some((error) => error.field === 'nodeRank' || error.field === 'nnodes') && Number(form.nodeRank) >= Number(form.nnodes)) errors.push({ field: 'nodeRank', message: MESSAGES.rank });
  return errors;
}

/** Several hosts train one model: each gets the node count, its own rank, and the first host as master. */
export function forNode(form: TrainingForm, rank: number, nodes: number, masterAddr: string): TrainingForm {
  return { ...form, nnodes: String(nodes), nodeRank: String(rank), masterAddr: nodes > 1 ? masterAddr : form.masterAddr };
}
