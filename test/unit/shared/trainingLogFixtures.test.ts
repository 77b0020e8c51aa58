// Every real log fixture, with what a user reading it would want to see. Expected numbers were read
// off the fixture text by hand (line numbers count after the stripped `# source:` line).

import { describe, expect, it } from 'vitest';
import type { Failure, ParsedLog, Point } from '../../../shared/trainingLog';
import { parseLog, summarizeLog, toPoints } from '../../../shared/trainingLog';
import { fixture, fixtureNames } from './trainingLogSupport';

function parse(name: string, lossTag?: string): { log: ParsedLog; points: Point[] } {
  const log = parseLog(fixture(name), lossTag ? { lossTag } : {});
  return { log, points: toPoints(log.points, log.series) };
}

const brief = (failures: readonly Failure[]): string[] => failures.map((failure) => `${failure.line} ${failure.kind}`);
const column = (points: Point[], key: keyof Point): unknown[] => points.map((point) => point[key]);

describe('every fixture', () => {
  it.each(fixtureNames)('%s parses without throwing and summarises', (name) => {
    const summary = summarizeLog(parseLog(fixture(name)));
    expect(summary.verdict.reason.en.length).toBeGreaterThan(10);
    expect(summary.verdict.reason.zh).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('HF Trainer logs', () => {
  it('Qwen-VL#352: loss 3.8462 then exactly 0.0 — invalid from step 2', () => {
    const { log, points } = parse('qwen-vl-issue352-loss-zero-after-first-step.log');
    expect(log.format).toBe('hf-trainer');
    expect(log.stepSource).toBe('count');
    expect(column(points, 'step')).toEqual([1, 2, 3, 4, 5]);
    expect(points.map((point) => point.metrics.loss)).toEqual([3.8462, 0, 0, 0, 0]);
    expect(points[0]?.metrics.learning_rate).toBe(3.4482758620689656e-7);
    const summary = summarizeLog(log);
    expect(summary.verdict.state).toBe('invalid');
    expect(summary.verdict.reason.en).toContain('step 2 (line 2)');
  });

  it('ChatGLM-Tuning#19: loss 0.0 throughout while the learning rate decays to 0.0', () => {
    const { log } = parse('chatglm-tuning-issue19-loss-zero-lr-reaches-zero.log');
    const summary = summarizeLog(log);
    expect(summary.points).toBe(11);
    expect(summary.series.loss).toEqual({ count: 11, first: 0, last: 0, min: 0, max: 0, nan: 0 });
    expect(summary.series.learning_rate).toMatchObject({ first: 1.9230769230769234e-7, last: 0, min: 0 });
    expect(summary.series.epoch).toMatchObject({ first: 0.99, last: 1 });
    expect(summary.verdict.state).toBe('invalid');
  });

  it('grad_norm in full precision is read exactly', () => {
    const { log, points } = parse('hf_trainer_grad_norm_fullprecision.log');
    expect(points).toHaveLength(13);
    expect(points[0]?.metrics).toEqual({ loss: 0.0499, grad_norm: 1.1254302714475641, learning_rate: 3.591337215792852e-5, epoch: 1.25 });
    expect(points[12]?.metrics.grad_norm).toBe(1.8998287323444785);
    expect(summarizeLog(log).series.loss).toMatchObject({ count: 13, first: 0.0499, last: 0.0417, min: 0.0276, max: 0.0506 });
  });

  it('bare nan grad_norm values are counted, not dropped', () => {
    const summary = summarizeLog(parse('hf_trainer_loss0_grad_norm_nan.log').log);
    expect(summary.series.grad_norm).toEqual({ count: 3, first: null, last: null, min: null, max: null, nan: 3 });
    expect(summary.series.loss).toMatchObject({ count: 3, first: 0.2051, last: 0 });
    expect(summary.verdict.state).toBe('too-few-points');
    expect(summary.verdict.reason.en).toContain('grad_norm is NaN/Inf in 3 of 3');
  });

  it('loss 0.0 with a NaN grad_norm for 13 steps is invalid', () => {
    const summary = summarizeLog(parse('hf_trainer_loss0_nan_trailing_spaces.log').log);
    expect(summary.series.grad_norm?.nan).toBe(13);
    expect(summary.verdict.state).toBe('invalid');
    expect(summary.verdict.reason.en).toContain('NaN grad_norm for 13 logged steps from step 1 (line 1)');
  });

  it('the A100 cookbook log: steps from the tqdm bar before each dict, and the final summary', () => {
    const { log, points } = parse('hf_trainer_tqdm_interleaved_a100_with_summary.log');
    expect(log.stepSource).toBe('tqdm');
    const train = points.filter((point) => point.kind === 'train');
    expect(column(train, 'step')).toEqual([1, 2, 3, 4, 812, 813]);
    expect(column(train, 'line')).toEqual([3, 8, 13, 18, 23, 28]);
    expect(train.map((point) => point.metrics.loss)).toEqual([1.375, 1.324, 1.2192, 1.1284, 1.0758, 0.9288]);
    const summaryPoint = points.find((point) => point.kind === 'summary');
    expect(summaryPoint).toMatchObject({ step: 813, line: 32 });
    expect(summaryPoint?.metrics).toMatchObject({ train_runtime: 15291.7668, train_loss: 1.0951883426304967 });
    const summary = summarizeLog(log);
    expect(summary.series.loss).toMatchObject({ count: 6, first: 1.375, last: 0.9288 });
    expect(Object.keys(summary.series).slice(0, 4)).toEqual(['loss', 'learning_rate', 'grad_norm', 'epoch']);
    expect(summary.series.train_loss?.count).toBe(1);
    expect(log.evidence.tqdmBars).toBe(true);
  });

  it('the raw unbuffered stream: frames, the clear-line and the dict on one \\r-separated line each', () => {
    const { log, points } = parse('synthetic-merged-unbuffered-transformers4.32.log');
    expect(log.stepSource).toBe('tqdm');
    expect(column(points, 'step')).toEqual([1, 2, 3, 4, 5, 6, 6]);
    expect(column(points, 'kind')).toEqual(['train', 'train', 'train', 'train', 'train', 'train', 'summary']);
    expect(column(points, 'line')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(points[2]?.metrics).toEqual({ loss: 0.7901, learning_rate: 5e-6, epoch: 2.5 });
  });

  it('block-buffered stdout: the dicts come after all bars, so only the first gets a bar step', () => {
    const { log, points } = parse('synthetic-merged-buffered-stdout-transformers4.32.log');
    expect(log.stepSource).toBe('count');
    expect(column(points, 'step')).toEqual([6, 7, 8, 9, 10, 11, 11]);
    expect(column(points, 'stepSource')).toEqual(['tqdm', 'count', 'count', 'count', 'count', 'count', 'count']);
    expect(points[0]?.line).toBe(2);
  });

  it('bar, blank line, dict pasted from a terminal (LLaVA#601), then the crash', () => {
    const { log, points } = parse('llava-issue601-tqdm-blankline-dict-then-filenotfound.log');
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ step: 22, stepSource: 'tqdm', line: 3, metrics: { loss: 1.1543 } });
    expect(brief(log.failures)).toEqual(['6 traceback', '8 python-error']);
    expect(log.failures[1]?.text).toMatch(/^FileNotFoundError: \[Errno 2\] No such file or directory/);
  });

  it('several dicts on one line, the last one cut off', () => {
    const { log, points } = parse('diffusionvl-issue7-several-dicts-on-one-line-loss-zero.log');
    expect(points.map((point) => point.metrics.loss)).toEqual([16.2405, 0, 0]);
    expect(column(points, 'line')).toEqual([1, 1, 1]);
    expect(points[1]?.metrics.learning_rate).toBe(2.8818443804034583e-8);
    expect(log.evidence.truncatedRecords).toBe(1);
  });

  it('a dict cut mid-number at the end is not a point', () => {
    const { log, points } = parse('llamafactory-issue2374-qwen72b-old-format-trailing-spaces.log');
    expect(points.map((point) => point.metrics.loss)).toEqual([10.359, 10.453]);
    expect(log.evidence.truncatedRecords).toBe(1);
  });

  it('a prose line between dicts shifts the line numbers, not the steps', () => {
    const { points } = parse('llamafactory-issue5660-huge-loss-then-zero-grad-norm-nan.log');
    expect(column(points, 'line')).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(column(points, 'step')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(points[0]?.metrics.loss).toBe(344093.2);
    expect(points.every((point) => Number.isNaN(point.metrics.grad_norm))).toBe(true);
  });

  it('a warning glued to a bar; a stale bar does not repeat a step', () => {
    const { points } = parse('llamafactory-issue9298-grad-nan-warning-glued-to-bar.log');
    expect(points.map((point) => [point.step, point.line, point.metrics.loss, point.metrics.learning_rate])).toEqual([
      [1, 1, 3.5249, 0],
      [2, 6, 0, 3.333333333333333e-10],
    ]);
  });

  it('text glued after a bar and `learning_rate: 0` printed as an int (Qwen2 finetune)', () => {
    const { points } = parse('qwen2-official-finetune-issue820-deepspeed-loss0-lr0-bar-then-text.log');
    expect(points).toEqual([{ step: 1, stepSource: 'tqdm', kind: 'train', format: 'hf-trainer', line: 15, epoch: 0.1, metrics: { loss: 0, grad_norm: 0, learning_rate: 0, epoch: 0.1 } }]);
  });

  it('one tqdm line per step between dicts (VG-LLM)', () => {
    const { points } = parse('vg-llm-issue21-qwen25vl-grad-norm-nan-tqdm-lines.log');
    expect(points.map((point) => [point.step, point.stepSource, point.line])).toEqual([
      [1, 'count', 1],
      [20, 'tqdm', 15],
    ]);
  });

  it('NPU 910B LLaMA-Factory run: step 60 from the bar, loss 0.0, grad_norm nan', () => {
    const { points } = parse('llamafactory_npu910b_tqdm_loss0_gradnan.log');
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ step: 60, line: 6, metrics: { loss: 0, learning_rate: 4.510703363914373e-6, epoch: 0.02 } });
  });

  it('bar / space line / dict pattern with nan grad_norm (2U1)', () => {
    const { points } = parse('qwen2vl-finetune-2u1-issue10-grad-nan-tqdm.log');
    expect(points.map((point) => [point.step, point.line, point.metrics.loss])).toEqual([
      [1, 3, 1.0446],
      [2, 8, 0],
    ]);
  });

  it('huge grad_norm values and trailing padding', () => {
    const summary = summarizeLog(parse('diffusionvl-issue5-huge-grad-norm-trailing-spaces.log').log);
    expect(summary.series.grad_norm).toMatchObject({ count: 9, first: 4764.443141419522, last: 3418.496955354792, max: 5067.07121542981 });
    expect(summary.series.loss).toMatchObject({ first: 13.6275, last: 15.1466 });
  });

  it('eval dicts get the step training reached', () => {
    const { log, points } = parse('hf_trainer_eval_dict_sentence_transformers.log');
    const evaluation = points.filter((point) => point.kind === 'eval');
    expect(evaluation).toHaveLength(1);
    expect(evaluation[0]).toMatchObject({ step: 10, line: 11, metrics: { eval_loss: 1.2490781545639038, eval_runtime: 49.1914 } });
    const summary = summarizeLog(log);
    expect(summary.series.loss?.count).toBe(10);
    expect(Object.keys(summary.series).slice(0, 4)).toEqual(['loss', 'learning_rate', 'epoch', 'eval_loss']);
  });

  it('prefixed eval keys are eval points; a log of eval results only has no training loss', () => {
    const { log, points } = parse('hf_trainer_custom_eval_prefix.log');
    expect(column(points, 'kind')).toEqual(['eval', 'eval']);
    expect(points[0]?.metrics.mrpc_en_eval_loss).toBe(4.203643321990967);
    expect(points[1]?.metrics.eval_average_metrics).toBe(0);
    const summary = summarizeLog(log);
    expect(summary.stepSource).toBeNull();
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain('evaluation results only');
  });

  it("TFTrainer's explicit 'step' key wins", () => {
    const { log, points } = parse('tf_trainer_dict_with_step.log');
    expect(log.stepSource).toBe('line');
    expect(column(points, 'step')).toEqual([10, 20, 30, 40, 50]);
    expect(column(points, 'line')).toEqual([9, 10, 11, 12, 13]);
    expect(points[0]?.metrics.epoch).toBe(0.05851063829787234);
  });

  it("ms-swift: string values skipped, 'global_step/max_steps' gives the step, metric names snake_cased", () => {
    const { points } = parse('ms_swift_dpo_dict_mixed_string_values.log');
    expect(points.map((point) => [point.step, point.stepSource, point.time])).toEqual([
      [45, 'line', 3965],
      [46, 'line', 4058],
    ]);
    expect(Object.keys(points[0]?.metrics ?? {})).toEqual([
      'loss',
      'grad_norm',
      'learning_rate',
      'memory_gib',
      'train_speed_iter_s',
      'rewards_chosen',
      'rewards_rejected',
      'rewards_accuracies',
      'rewards_margins',
      'logps_chosen',
      'logps_rejected',
      'logits_chosen',
      'logits_rejected',
      'nll_loss',
      'epoch',
    ]);
    expect(points[0]?.metrics.rewards_rejected).toBe(-4.25);
  });

  it('trainer_state.json: NaN tokens, explicit steps, nested objects skipped', () => {
    const { log, points } = parse('hf_trainer_state_nan_tokens.json');
    expect(points.map((point) => [point.kind, point.step, point.line])).toEqual([
      ['eval', 1, 11],
      ['train', 3, 19],
      ['train', 6, 26],
      ['eval', 8, 33],
      ['train', 9, 41],
    ]);
    expect(Number.isNaN(points[0]?.metrics.eval_loss)).toBe(true);
    expect(points[1]?.metrics).toMatchObject({ loss: 0, learning_rate: 6e-5, epoch: 0.0007769001683283698 });
    const summary = summarizeLog(log);
    expect(summary.series.eval_loss).toMatchObject({ count: 2, nan: 2 });
    expect(summary.verdict.state).toBe('invalid');
  });
});

describe('LLaMA-Factory trainer_log.jsonl', () => {
  it('loss stuck at 0.0, elapsed times with days, nulls dropped', () => {
    const { log, points } = parse('llamafactory_trainer_log_loss0_days_remaining.jsonl');
    expect(log.format).toBe('llamafactory-jsonl');
    expect(log.stepSource).toBe('line');
    expect(column(points, 'step')).toEqual([87, 88, 89, 90, 91]);
    expect(points[0]?.time).toBe(1 * 3600 + 20 * 60 + 52);
    expect(Object.keys(points[0]?.metrics ?? {})).toEqual(['loss', 'learning_rate', 'epoch']);
    expect(summarizeLog(log).verdict.state).toBe('invalid');
  });

  it('old format: the final 100 % record has loss null', () => {
    const { log, points } = parse('llamafactory_trainer_log_old_format_final_null.jsonl');
    expect(column(points, 'step')).toEqual([3200, 3210, 3220, 3230, 3235]);
    expect(points[4]?.metrics).toEqual({ epoch: 1 });
    expect(points[4]?.time).toBe(5 * 3600 + 16 * 60 + 48);
    const summary = summarizeLog(log);
    expect(summary.series.loss).toMatchObject({ count: 4, first: 4.4671, last: 4.4598 });
    expect(summary.series.learning_rate?.count).toBe(4);
  });

  it('a rendered table is not a log format', () => {
    const { log } = parse('llamafactory_trainer_log_resume_step_goes_back.txt');
    expect(log.points.length).toBe(0);
  });
});

describe('DeepSpeed lines', () => {
  it('log_dist step lines: step, skipped, lr — and no loss', () => {
    const { log, points } = parse('deepspeed_log_dist_step_and_timer.log');
    expect(log.format).toBe('deepspeed');
    expect(points).toEqual([
      { step: 40, stepSource: 'line', kind: 'train', format: 'deepspeed', line: 1, rank: 0, metrics: { learning_rate: 5e-5, skipped_steps: 2 } },
      { step: 50, stepSource: 'line', kind: 'train', format: 'deepspeed', line: 13, rank: 0, metrics: { learning_rate: 5e-5, skipped_steps: 2 } },
    ]);
    const summary = summarizeLog(log);
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain("DeepSpeed's own step lines");
  });

  it('fp16 OVERFLOW lines, including the hysteresis variant', () => {
    expect(parse('deepspeed-issue931-fp16-overflow-hysteresis.log').log.overflow).toEqual({ count: 4, firstLine: 2, lastLine: 5, lossScale: 8192 });
    expect(parse('deepspeed_overflow_loss_scaler.log').log.overflow).toEqual({ count: 8, firstLine: 1, lastLine: 8, lossScale: 512 });
    expect(parse('deepspeed_zero2_overflow_tqdm_same_line.log').log.overflow).toEqual({ count: 3, firstLine: 1, lastLine: 3, lossScale: 16777216 });
  });

  it('OVERFLOW glued to bars around a Trainer dict', () => {
    const { log, points } = parse('chinese-llama-alpaca-issue534-deepspeed-fp16-overflow-with-bar.log');
    expect(log.overflow).toEqual({ count: 5, firstLine: 2, lastLine: 14, lossScale: 2 });
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ step: 380, stepSource: 'tqdm', line: 8, metrics: { loss: 2.0491, learning_rate: 0.0001961913563176343, epoch: 0.28 } });
    expect(log.lines).toBe(16);
  });

  it('a Megatron-DeepSpeed line with a custom lm_loss next to a DeepSpeed step line', () => {
    const { log, points } = parse('deepspeed-issue3742-log_dist-step-and-timer-lines.log');
    expect(points.map((point) => [point.format, point.step, point.line])).toEqual([
      ['megatron', 15, 2],
      ['deepspeed', 16, 4],
    ]);
    expect(points[0]?.metrics).toEqual({
      elapsed_time_per_iteration_ms: 3825.7,
      learning_rate: 9.314e-7,
      approx_flops_per_gpu: 121.1,
      loss: 11.19346,
      skipped_iterations: 0,
      nan_iterations: 0,
      samples_sec: 8.364,
    });
    expect(points[1]?.metrics.learning_rate).toBe(9.934597234870435e-7);
    expect(summarizeLog(log)).toMatchObject({ format: 'megatron', points: 1 });
  });
});

describe('Megatron / ModelLink iteration lines', () => {
  it('ModelLink on Ascend 910B: 8 iterations around an elision', () => {
    const { log, points } = parse('modellink_ascend910b_qwen7b_iteration.log');
    expect(log.format).toBe('megatron');
    expect(log.stepSource).toBe('line');
    expect(column(points, 'step')).toEqual([3, 4, 5, 6, 7, 998, 999, 1000]);
    expect(column(points, 'line')).toEqual([2, 3, 4, 5, 6, 8, 9, 10]);
    expect(points[0]?.metrics).toEqual({
      consumed_samples: 192,
      elapsed_time_per_iteration_ms: 38390.3,
      learning_rate: 2.5e-7,
      global_batch_size: 64,
      loss: 1.303225,
      loss_scale: 1,
      grad_norm: 9.847,
      skipped_iterations: 0,
      nan_iterations: 0,
    });
    expect(summarizeLog(log).series.loss).toMatchObject({ count: 8, first: 1.303225, last: 0.4110266, min: 0.410996 });
  });

  it('Megatron-LLM with gbs 1024', () => {
    const summary = summarizeLog(parse('megatron_llm_iteration_gbs1024.log').log);
    expect(summary.points).toBe(4);
    expect(summary.series.loss).toMatchObject({ first: 2.50422, last: 2.477393 });
    expect(summary.series.global_batch_size).toMatchObject({ first: 1024, last: 1024 });
  });

  it('a skipped window has no loss field; `sop loss` is its own series; a cut last field is dropped', () => {
    const { points } = parse('megatron_bert_skipped_iterations_no_loss_then_lm_sop_loss.log');
    expect(points.map((point) => [point.step, point.line])).toEqual([
      [10, 3],
      [20, 5],
    ]);
    expect(points[0]?.metrics).toEqual({ consumed_samples: 40, elapsed_time_per_iteration_ms: 356.2, learning_rate: 0, global_batch_size: 4, loss_scale: 8388608, skipped_iterations: 10, nan_iterations: 0 });
    expect(points[1]?.metrics).toEqual({ consumed_samples: 80, elapsed_time_per_iteration_ms: 140.6, learning_rate: 2.02e-8, global_batch_size: 4, loss: 10.05022, sop_loss: 0.8174902, loss_scale: 32768, grad_norm: 217.199 });
  });

  it('the rank-0 log of a pipeline-parallel run has no loss, and the verdict says why', () => {
    const { log, points } = parse('megatron_deepspeed_no_lm_loss_grad_norm_nan.log');
    expect(column(points, 'step')).toEqual([5426, 5427, 5428]);
    expect(points.every((point) => point.metrics.loss === undefined && Number.isNaN(point.metrics.grad_norm))).toBe(true);
    expect(points[0]?.metrics).toMatchObject({ consumed_tokens: 88899584, actual_seqlen: 2048, samples_per_second: 1.883, tflops: 78.36 });
    const summary = summarizeLog(log);
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain('last pipeline stage');
    expect(summary.verdict.reason.zh).toContain('流水线');
  });
});

describe('failure signatures', () => {
  it.each([
    ['qwen-vl-issue105-cuda-oom-full-finetune-4xA100-40G.log', ['1 cuda-oom', '2 traceback']],
    ['minicpmv-issue299-cuda-oom-two-ranks-interleaved.log', ['1 cuda-oom', '3 cuda-oom']],
    ['npu-oom-touchnet-issue100.log', ['1 npu-oom']],
    ['npu-ei0002-hccl-notify-wait-timeout.log', ['1 npu-error', '2 hccl-timeout']],
    ['npu-ei0006-hccl-get-socket-timeout-rank-prefixed.log', ['7 hccl-error', '8 npu-error', '9 hccl-timeout']],
    ['npu-107020-hccl-fftsplus-timeout-deepspeed-zero3.log', ['1 npu-error', '2 npu-error', '3 npu-error', '4 hccl-timeout']],
    ['npu-507046-stream-sync-timeout.log', ['1 npu-stream-timeout', '2 npu-error', '5 npu-stream-timeout']],
    ['npu-deepspeed-accelerator-npu-but-backend-nccl.log', ['11 nccl-on-npu']],
    ['huawei-modelarts-qwen-vl-finetune_ds-pydantic-error.log', ['1 deepspeed-prefetch-bucket-size']],
    ['deepspeed-issue6525-pydantic-stage3-prefetch-rank-prefixed.log', ['1 deepspeed-prefetch-bucket-size']],
    ['qwen-vl-issue279-assert-bos-eos-truncation-caret-M.log', ['3 python-error']],
    ['deepspeed-init-8-ranks-then-pydantic-stage3-prefetch-error.log', []],
    ['chatglm3-issue590-trainer-info-header-and-ddp-warning.log', []],
  ])('%s', (name, expected) => {
    expect(brief(parse(name).log.failures)).toEqual(expected);
  });

  it('keeps the rank and cleans the text', () => {
    const { log } = parse('npu-ei0006-hccl-get-socket-timeout-rank-prefixed.log');
    expect(log.failures[2]).toMatchObject({ rank: 1, kind: 'hccl-timeout' });
    expect(log.failures[2]?.text).toMatch(/^EI0006: \[PID: 1292363\] .*Getting socket times out/);
  });

  it('an NCCL backend chosen on an NPU machine is flagged only after DeepSpeed picked the NPU', () => {
    const { log } = parse('npu-deepspeed-accelerator-npu-but-backend-nccl.log');
    expect(log.evidence.npuAccelerator).toBe(true);
    expect(log.failures[0]?.text).toContain('Initializing TorchBackend in DeepSpeed with backend nccl');
  });

  it('a log that stops before the first loss says so', () => {
    const summary = summarizeLog(parse('npu-oom-touchnet-issue100.log').log);
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain('npu-oom at line 1');
    expect(summary.failures).toHaveLength(1);
  });
});

describe('a user-set loss tag', () => {
  it("`'loss':` reads the Trainer dicts like TrainingLogParser's Loss Tag", () => {
    const { log, points } = parse('hf_trainer_tqdm_interleaved_a100_with_summary.log', "'loss':");
    expect(log.format).toBe('custom-tag');
    expect(points.map((point) => [point.step, point.metrics.loss])).toEqual([
      [1, 1.375],
      [2, 1.324],
      [3, 1.2192],
      [4, 1.1284],
      [812, 1.0758],
      [813, 0.9288],
    ]);
  });

  it('a loss in the tqdm description (DeepSpeed-Chat style)', () => {
    const { points } = parse('tqdm_description_loss_trace.log', 'Loss: ');
    expect(points.map((point) => [point.step, point.metrics.loss])).toEqual([
      [2, 0.9741],
      [3, 1.3742],
      [4, 1.239],
      [5, 0.967],
      [6, 1.0386],
      [7, 1.1681],
      [8, 1.224],
      [9, 0.961],
      [10, 0.9741],
    ]);
  });

  it('a loss in the tqdm postfix: each bar position keeps the last value it showed', () => {
    const { points } = parse('tqdm_postfix_loss_veomni.log', 'loss: ');
    expect(points.map((point) => [point.step, point.metrics.loss, point.line])).toEqual([
      [0, 11.41, 1],
      [1, 11.58, 2],
      [2, 11.27, 4],
      [3, 11.27, 6],
    ]);
  });

  it('mmengine lines, counted', () => {
    const { log, points } = parse('xtuner_mmengine_grad_norm_nan.log', 'loss: ');
    expect(log.stepSource).toBe('count');
    expect(points.map((point) => point.metrics.loss)).toEqual([2.7522, 2.615, 2.6687, 2.7682, 2.5128, 2.4566]);
  });

  it('without a tag those logs have no loss, and the verdict suggests one', () => {
    const summary = summarizeLog(parse('tqdm_postfix_loss_veomni.log').log);
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain('Loss Tag');
  });
});
