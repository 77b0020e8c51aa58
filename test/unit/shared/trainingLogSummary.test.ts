// The summary `qvl logs` prints, exactly in the shape the CLI documents.

import { describe, expect, it } from 'vitest';
import { parseLog, pointOf, summarizeLog } from '../../../shared/trainingLog';
import { bytesOf, fixture } from './trainingLogSupport';

describe('summarizeLog', () => {
  it('has the documented shape, with the loss first and counts that include NaN', () => {
    const summary = summarizeLog(parseLog(fixture('llamafactory-issue5660-huge-loss-then-zero-grad-norm-nan.log')));
    expect(JSON.parse(JSON.stringify(summary))).toEqual({
      format: 'hf-trainer',
      points: 7,
      stepSource: 'count',
      series: {
        loss: { count: 7, first: 344093.2, last: 4.5003, min: 0, max: 344093.2, nan: 0 },
        learning_rate: { count: 7, first: 9.997532801828658e-5, last: 0.0001, min: 9.977809823015401e-5, max: 0.0001, nan: 0 },
        grad_norm: { count: 7, first: null, last: null, min: null, max: null, nan: 7 },
        epoch: { count: 7, first: 0, last: 0.05, min: 0, max: 0.05, nan: 0 },
      },
      verdict: { state: 'too-few-points', reason: { en: expect.stringContaining('7 loss values'), zh: expect.stringContaining('7 个 loss 值') } },
      failures: [],
    });
  });

  it('lists the failures with their lines', () => {
    const summary = summarizeLog(parseLog(fixture('llava-issue601-tqdm-blankline-dict-then-filenotfound.log')));
    expect(summary.failures).toEqual([
      { line: 6, kind: 'traceback', text: 'Traceback (most recent call last):' },
      { line: 8, kind: 'python-error', text: "FileNotFoundError: [Errno 2] No such file or directory: '/xxx/llava_finetune_data/ocr_vqa/images/782118577.jpg'" },
    ]);
  });

  it("Megatron's `lm loss` is `loss`, other metrics keep their own snake_case names", () => {
    const summary = summarizeLog(parseLog(fixture('megatron_llm_iteration_gbs1024.log')));
    expect(Object.keys(summary.series)).toEqual(['loss', 'learning_rate', 'grad_norm', 'consumed_samples', 'elapsed_time_per_iteration_ms', 'global_batch_size', 'loss_scale', 'skipped_iterations', 'nan_iterations']);
    expect(summary.series.grad_norm).toEqual({ count: 4, first: 0.231, last: 0.356, min: 0.231, max: 0.356, nan: 0 });
  });
});

describe('series columns', () => {
  it('a series with a value at every point from its first one does not store point indexes until asked', () => {
    const log = parseLog(fixture('hf_trainer_eval_dict_sentence_transformers.log'));
    const loss = log.series.get('loss');
    expect(loss?.firstPoint).toBe(0);
    expect([...(loss?.value ?? [])].slice(0, 2)).toEqual([1.6531, 1.5554]);
    expect([...(loss?.point ?? [])]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.series.get('eval_loss')).toMatchObject({ firstPoint: 10, length: 1 });
    expect(log.series.get('epoch')?.length).toBe(11);
  });

  it('a series with gaps keeps its point indexes', () => {
    const log = parseLog(bytesOf("{'loss': 2.0, 'epoch': 0.1}\n{'eval_loss': 2.2, 'epoch': 0.1}\n{'loss': 1.5, 'epoch': 0.2}\n"));
    const loss = log.series.get('loss');
    expect(loss?.firstPoint).toBe(-1);
    expect([...(loss?.point ?? [])]).toEqual([0, 2]);
    expect(loss ? [pointOf(loss, 0), pointOf(loss, 1)] : []).toEqual([0, 2]);
    expect(Array.from(log.points.step)).toEqual([1, 1, 2]);
  });
});
