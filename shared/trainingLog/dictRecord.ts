// What a scanned `{…}` mapping is. HF Trainer prints train dicts ({'loss', 'grad_norm',
// 'learning_rate', 'epoch'}), eval dicts ('eval_*' keys, or prefixed like 'mrpc_en_eval_loss') and one
// final summary ('train_runtime', 'train_loss' = the run's mean, never a plot point);
// LLaMA-Factory's jsonl has 'current_steps'. Any other dict a script prints (arguments, a sample) is
// not a record.

import type { KeyEntry } from './keys';
import type { RecordScratch } from './record';
import type { LogFormat, PointKind } from './types';

export interface DictMeaning {
  kind: PointKind;
  format: LogFormat;
}

const TRAIN: DictMeaning = { kind: 'train', format: 'hf-trainer' };
const EVAL: DictMeaning = { kind: 'eval', format: 'hf-trainer' };
const SUMMARY: DictMeaning = { kind: 'summary', format: 'hf-trainer' };
const JSONL_TRAIN: DictMeaning = { kind: 'train', format: 'llamafactory-jsonl' };
const JSONL_EVAL: DictMeaning = { kind: 'eval', format: 'llamafactory-jsonl' };

export function classifyDict(record: RecordScratch): DictMeaning | null {
  let loss = false;
  let evaluation = false;
  let epoch = false;
  let runtime = false;
  let llamaFactory = false;
  for (let i = 0; i < record.layoutCount; i++) {
    const key = record.layout[i] as KeyEntry;
    if (key.isLoss) loss = true;
    else if (key.isEval) evaluation = true;
    else if (key.name === 'epoch') epoch = true;
    else if (key.name === 'train_runtime') runtime = true;
    else if (key.name === 'current_steps') llamaFactory = true;
  }
  if (!(loss || evaluation || epoch || runtime || llamaFactory)) return null;
  if (record.count === 0 && Number.isNaN(record.step)) return null;
  if (llamaFactory) return !loss && evaluation ? JSONL_EVAL : JSONL_TRAIN;
  if (runtime) return SUMMARY;
  return !loss && evaluation ? EVAL : TRAIN;
}
