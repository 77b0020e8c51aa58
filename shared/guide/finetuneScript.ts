/**
 * Qwen-VL's finetune/finetune_ds.sh read and edited as text: each setting is found by its content
 * (`MODEL=` at a line's start, an indented `--flag value \` line), never by line number, and an
 * edit replaces only the value's characters, so every other byte (comments, Huawei's patches, line
 * endings, a missing final newline) stays as it was.
 */
import type { LocalizedText } from '../i18n/localizedText';
import type { FieldError } from './fieldRules';
import type { TrainingField, TrainingForm } from './trainingForm';

/** Shell variables assigned at the top of the script. */
const VARIABLES = {
  model: 'MODEL',
  data: 'DATA',
  gpusPerNode: 'GPUS_PER_NODE',
  nnodes: 'NNODES',
  nodeRank: 'NODE_RANK',
  masterAddr: 'MASTER_ADDR',
  masterPort: 'MASTER_PORT',
} as const satisfies Partial<Record<TrainingField, string>>;

/** Arguments of the `torchrun … finetune.py \` command. */
const FLAGS = {
  outputDir: '--output_dir',
  epochs: '--num_train_epochs',
  batchSize: '--per_device_train_batch_size',
  gradientAccumulation: '--gradient_accumulation_steps',
  learningRate: '--learning_rate',
  saveSteps: '--save_steps',
  deepspeed: '--deepspeed',
} as const satisfies Partial<Record<TrainingField, string>>;

export const SCRIPT_FIELDS = [...Object.keys(VARIABLES), ...Object.keys(FLAGS)] as TrainingField[];

/** Where a setting's value sits in the text, and how it is written there. */
export interface ScriptValue {
  readonly start: number;
  readonly end: number;
  /** The value without its quotes. */
  readonly value: string;
  readonly quote: '"' | "'" | '';
  /** False when the value is computed (`$X`, `${X:-…}`, a backquote): the form cannot edit it. */
  readonly literal: boolean;
}

export interface ParsedScript {
  readonly values: Partial<Record<TrainingField, ScriptValue>>;
  /** Settings written more than once: editing one of them would leave the other in force. */
  readonly repeated: readonly TrainingField[];
}

const TOKEN = String.raw`("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#;"'\\]*)`;

function valueOf(token: string, start: number): ScriptValue {
  const quote = token.startsWith('"') ? '"' : token.startsWith("'") ? "'" : '';
  const value = quote ? token.slice(1, -1) : token;
  return { start, end: start + token.length, value, quote, literal: quote === "'" || !/[$`\\]/.test(value) };
}

function find(text: string, pattern: RegExp): ScriptValue[] {
  return [...text.matchAll(pattern)].map((match) => {
    const token = match[2] ?? '';
    return valueOf(token, (match.index ?? 0) + (match[1] ?? '').length);
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

export function parseFinetuneScript(text: string): ParsedScript {
  const values: Partial<Record<TrainingField, ScriptValue>> = {};
  const repeated: TrainingField[] = [];
  const record = (field: TrainingField, found: ScriptValue[]) => {
    if (found[0]) values[field] = found[0];
    if (found.length > 1) repeated.push(field);
  };
  for (const [field, name] of Object.entries(VARIABLES) as [TrainingField, string][]) {
    record(field, find(text, new RegExp(String.raw`^([ \t]*(?:export[ \t]+)?${name}=)${TOKEN}`, 'gm')));
  }
  for (const [field, flag] of Object.entries(FLAGS) as [TrainingField, string][]) {
    // An argument line: indented, the flag, its value, then the continuation or the end of the line.
    record(field, find(text, new RegExp(String.raw`^([ \t]+${escape(flag)}[ \t]+)${TOKEN}(?=[ \t]*(?:\\)?[ \t]*\r?$)`, 'gm')));
  }
  return { values, repeated };
}

/** The script's current settings, for the form to start from. */
export function scriptSettings(parsed: ParsedScript): Partial<Record<TrainingField, string>> {
  return Object.fromEntries(Object.entries(parsed.values).map(([field, found]) => [field, found.value]));
}

const message = (zh: string, en: string): LocalizedText => ({ zh, en });

export type RewriteResult = { readonly ok: true; readonly text: string; readonly changed: readonly TrainingField[] } | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * The script with the form's values where they differ from the script's; nothing else changes.
 * A setting the script lacks, repeats or computes is refused rather than guessed at.
 */
export function rewriteFinetuneScript(text: string, form: TrainingForm): RewriteResult {
  const parsed = parseFinetuneScript(text);
  const edits: { field: TrainingField; at: ScriptValue }[] = [];
  const errors: FieldError[] = [];
  for (const field of SCRIPT_FIELDS) {
    const found = parsed.values[field];
    const wanted = form[field];
    if (!found) {
      errors.push({ field, message: message(`脚本里没有找到这一项，无法修改。`, `The script has no such setting, so it cannot be changed.`) });
      continue;
    }
    if (found.value === wanted) continue;
    if (parsed.repeated.includes(field)) errors.push({ field, message: message('脚本里这一项出现了不止一次，请手动修改。', 'The script sets this more than once: edit it by hand.') });
    else if (!found.literal) errors.push({ field, message: message(`脚本里这一项是计算出来的（${found.value}），请手动修改。`, `The script computes this (${found.value}): edit it by hand.`) });
    else edits.push({ field, at: found });
  }
  if (errors.length > 0) return { ok: false, errors };
  let result = '';
  let from = 0;
  for (const { field, at } of edits.sort((a, b) => a.at.start - b.at.start)) {
    result += text.slice(from, at.start) + at.quote + form[field] + at.quote;
    from = at.end;
  }
  return { ok: true, text: result + text.slice(from), changed: edits.map((edit) => edit.field) };
}

/** DeepSpeed's integer that "auto" stood for with the stock config, as Huawei's guide writes it. */
export const PREFETCH_BUCKET_SIZE = 15099494;
const AUTO_PREFETCH = /("stage3_prefetch_bucket_size"\s*:\s*)"auto"/g;

/** deepspeed ≥ 0.15 turns "auto" into 15099494.4 and pydantic refuses the fraction at start-up. */
export function hasAutoPrefetchBucket(config: string): boolean {
  return new RegExp(AUTO_PREFETCH.source).test(config);
}

/** The config with the integer instead of "auto"; its layout stays as it was. */
export function fixPrefetchBucket(config: string): string {
  return config.replace(AUTO_PREFETCH, `$1${PREFETCH_BUCKET_SIZE}`);
}
