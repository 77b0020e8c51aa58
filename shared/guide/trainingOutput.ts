/**
 * Step 6's output: what the run wrote into finetune_ds.sh's --output_dir (relative to Qwen-VL/,
 * where training starts). The HF Trainer saves checkpoint-N/ every --save_steps steps (weights,
 * trainer_state.json, DeepSpeed's global_stepN/ optimizer states) and, at the end, the model
 * itself at the top: full weights (pytorch_model-0000i-of-0000n.bin with transformers 4.32, or
 * model*.safetensors) or, with --use_lora, adapter_model.*.
 */
import { z } from 'zod';
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import { formatGigabytes } from './disk';
import type { GuideParams } from './guideParams';
import type { CheckResult, ItemCheck } from './guideTypes';
import { FINETUNE_SCRIPT, QWEN_VL_DIR, inContainer, joinPath } from './workPaths';

/** sed: the value of the script's `--output_dir` line, without quotes. */
const OUTPUT_ARGUMENT = String.raw`s/^[[:space:]]*--output_dir[[:space:]][[:space:]]*["']\{0,1\}\([^[:space:]"']*\).*/\1/p`;
const FILES_MARKER = '@@qvl-files@@';

/**
 * The output dir's name, then every entry down to checkpoint-N/global_stepN/ (the optimizer
 * states, the biggest part of a checkpoint): type, bytes, modification time, path.
 */
export function outputCommand(params: GuideParams) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} || exit 1; d=$(sed -n ${OUTPUT_ARGUMENT} ${FINETUNE_SCRIPT} | head -n 1); printf 'dir=%s\n' "$d"; [ -n "$d" ] && [ -d "$d" ] || exit 0; echo ${FILES_MARKER}; find "$d" -mindepth 1 -maxdepth 3 -printf '%y %s %T@ %P\n'`;
}

export const OutputRow = z.object({
  /** Relative to the output dir; a folder ends with "/". */
  name: z.string(),
  bytes: z.number(),
  /** Milliseconds since the epoch; for a folder, when its newest file was written. */
  modified: z.number(),
  /** Files inside, for a folder. */
  files: z.number().int().nullable(),
});
export type OutputRow = z.infer<typeof OutputRow>;
/** What the window lists, handed over as the item's `listing` fact. */
export const OutputRows = z.array(OutputRow);
export type OutputRows = z.infer<typeof OutputRows>;

export type ModelKind = 'full' | 'lora';

export interface SavedModel {
  readonly kind: ModelKind;
  readonly files: readonly string[];
  readonly bytes: number;
  /** Shards a sharded save names (…-0000i-of-0000n) but lacks. */
  readonly missingShards: readonly string[];
}

export interface Checkpoint {
  readonly name: string;
  readonly step: number;
  readonly model: SavedModel | null;
  readonly trainerState: boolean;
}

export interface OutputListing {
  /** As the script writes it; null when the script has no --output_dir (or cannot be read). */
  readonly dir: string | null;
  readonly exists: boolean;
  /** Top-level files and folders: what the window shows. */
  readonly rows: readonly OutputRow[];
  /** By step. */
  readonly checkpoints: readonly Checkpoint[];
  /** The model saved at the top when training ended; null while it runs or when it failed. */
  readonly model: SavedModel | null;
}

interface Entry {
  readonly path: string;
  readonly directory: boolean;
  readonly bytes: number;
  readonly modified: number;
}

function readEntries(text: string): Entry[] {
  return text.split('\n').flatMap((line) => {
    const match = /^(\w) (\d+) (\d+(?:\.\d+)?) (.+)$/.exec(line);
    if (!match) return [];
    return [{ path: match[4] ?? '', directory: match[1] === 'd', bytes: Number(match[2]), modified: Math.round(Number(match[3]) * 1000) }];
  });
}

const FULL_WEIGHTS = /^(pytorch_model|model)(?:-(\d{5})-of-(\d{5}))?\.(bin|safetensors)$/;
const ADAPTER = /^adapter_model\.(bin|safetensors)$/;

/** The model a folder holds, from its files' names and sizes (an index file alone is not a model). */
export function savedModel(files: readonly { name: string; bytes: number }[]): SavedModel | null {
  const adapter = files.filter((file) => ADAPTER.test(file.name));
  const full = files.filter((file) => FULL_WEIGHTS.test(file.name));
  const weights = full.length > 0 ? full : adapter;
  if (weights.length === 0) return null;
  const missingShards = new Set<string>();
  for (const file of full) {
    const [, stem, , count, extension] = FULL_WEIGHTS.exec(file.name) ?? [];
    if (!count) continue;
    for (let index = 1; index <= Number(count); index += 1) {
      const name = `${stem}-${String(index).padStart(5, '0')}-of-${count}.${extension}`;
      if (!files.some((other) => other.name === name)) missingShards.add(name);
    }
  }
  return {
    kind: full.length > 0 ? 'full' : 'lora',
    files: weights.map((file) => file.name).sort(),
    bytes: weights.reduce((sum, file) => sum + file.bytes, 0),
    missingShards: [...missingShards].sort(),
  };
}

const CHECKPOINT = /^checkpoint-(\d+)$/;

export function parseOutputListing(stdout: string): OutputListing {
  const dir = /^dir=(.*)$/m.exec(stdout)?.[1] || null;
  const at = stdout.indexOf(`${FILES_MARKER}\n`);
  if (dir === null || at < 0) return { dir, exists: false, rows: [], checkpoints: [], model: null };
  const entries = readEntries(stdout.slice(at + FILES_MARKER.length + 1));
  const top = entries.filter((entry) => !entry.path.includes('/'));
  const inside = (folder: string) => entries.filter((entry) => entry.path.startsWith(`${folder}/`) && !entry.directory);
  const filesOf = (folder: string) => inside(folder).filter((entry) => !entry.path.slice(folder.length + 1).includes('/')).map((entry) => ({ name: entry.path.slice(folder.length + 1), bytes: entry.bytes }));
  const rows = top
    .map((entry): OutputRow => {
      if (!entry.directory) return { name: entry.path, bytes: entry.bytes, modified: entry.modified, files: null };
      const files = inside(entry.path);
      const modified = files.length > 0 ? Math.max(...files.map((file) => file.modified)) : entry.modified;
      return { name: `${entry.path}/`, bytes: files.reduce((sum, file) => sum + file.bytes, 0), modified, files: files.length };
    })
    .sort((a, b) => stepOf(a.name) - stepOf(b.name) || a.name.localeCompare(b.name));
  const checkpoints = top
    .filter((entry) => entry.directory && CHECKPOINT.test(entry.path))
    .map((entry) => {
      const files = filesOf(entry.path);
      return { name: entry.path, step: Number(CHECKPOINT.exec(entry.path)?.[1]), model: savedModel(files), trainerState: files.some((file) => file.name === 'trainer_state.json') };
    })
    .sort((a, b) => a.step - b.step);
  const model = savedModel(top.filter((entry) => !entry.directory).map((entry) => ({ name: entry.path, bytes: entry.bytes })));
  return { dir, exists: true, rows, checkpoints, model };
}

/** Checkpoints in step order, after the files: "checkpoint-10" after "checkpoint-9". */
function stepOf(name: string): number {
  const step = /^checkpoint-(\d+)\/$/.exec(name)?.[1];
  return step === undefined ? -1 : Number(step);
}

function describeModel(model: SavedModel): { zh: string; en: string } {
  const size = formatGigabytes(model.bytes);
  return model.kind === 'lora' ? { zh: `LoRA 适配器（${model.files.join('、')}，${size}）`, en: `a LoRA adapter (${model.files.join(', ')}, ${size})` } : { zh: `完整权重（${model.files.length} 个文件，${size}）`, en: `full weights (${model.files.length} file${model.files.length === 1 ? '' : 's'}, ${size})` };
}

export function outputResult(listing: OutputListing, params: GuideParams, evidence: string): CheckResult {
  if (listing.dir === null) return { status: 'fail', summary: { zh: `${FINETUNE_SCRIPT} 中没有 --output_dir。`, en: `${FINETUNE_SCRIPT} has no --output_dir.` }, evidence };
  const where = listing.dir.startsWith('/') ? listing.dir : joinPath(inContainer(params, QWEN_VL_DIR), listing.dir);
  const facts = { dir: where, listing: JSON.stringify(listing.rows) };
  if (!listing.exists) {
    return {
      status: 'fail',
      summary: { zh: `${where} 还不存在：训练每 --save_steps 步保存一个 checkpoint，结束时在此写入模型。`, en: `${where} does not exist yet: training saves a checkpoint every --save_steps steps and writes the model there when it ends.` },
      evidence,
      facts,
    };
  }
  const latest = listing.checkpoints.at(-1);
  const sofar = latest ? { zh: `已有 ${listing.checkpoints.length} 个 checkpoint（最新 ${latest.name}）`, en: `${listing.checkpoints.length} checkpoint${listing.checkpoints.length === 1 ? '' : 's'} (the latest ${latest.name})` } : { zh: '没有 checkpoint', en: 'no checkpoint' };
  if (listing.model && listing.model.missingShards.length > 0) {
    return { status: 'warn', summary: { zh: `${where} 中的模型不完整，缺少 ${listing.model.missingShards.join('、')}。`, en: `The model in ${where} is incomplete: ${listing.model.missingShards.join(', ')} missing.` }, evidence, facts };
  }
  if (listing.model) {
    const model = describeModel(listing.model);
    return { status: 'pass', summary: { zh: `训练好的模型在 ${where}：${model.zh}；${sofar.zh}。`, en: `The trained model is in ${where}: ${model.en}; ${sofar.en}.` }, evidence, facts };
  }
  if (latest) {
    const model = latest.model ? describeModel(latest.model) : null;
    return {
      status: 'warn',
      summary: {
        zh: `${where} 中${sofar.zh}${model ? `，含${model.zh}` : ''}；最终模型在训练结束时写入。`,
        en: `${where} holds ${sofar.en}${model ? ` with ${model.en}` : ''}; the final model is written when training ends.`,
      },
      evidence,
      facts,
    };
  }
  return { status: 'warn', summary: { zh: `${where} 中还没有 checkpoint 或模型。`, en: `${where} holds no checkpoint or model yet.` }, evidence, facts };
}

/** At most this much of the listing is kept as evidence: ten checkpoints of ZeRO-3 states fit. */
const EVIDENCE_CHARS = 16_000;

export function outputCheck(): ItemCheck {
  return {
    commands: (params) => [outputCommand(params)],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: `无法读取 ${FINETUNE_SCRIPT}。`, en: `${FINETUNE_SCRIPT} cannot be read.` }, evidence: failureText(output) };
      return outputResult(parseOutputListing(output.stdout), params, output.stdout.slice(0, EVIDENCE_CHARS));
    },
  };
}
