// Log forms the fixtures do not cover: transformers 5.x quoted values, raw `\r` streams, rank
// prefixes, NAN/INF casing, JSON NaN/Infinity tokens, resumed runs, step sources.

import { describe, expect, it } from 'vitest';
import type { Point } from '../../../shared/trainingLog';
import { parseLog, summarizeLog, toPoints } from '../../../shared/trainingLog';
import { bytesOf } from './trainingLogSupport';

function points(text: string, lossTag?: string): Point[] {
  const log = parseLog(bytesOf(text), lossTag ? { lossTag } : {});
  return toPoints(log.points, log.series);
}

describe('HF Trainer dicts', () => {
  it('transformers 5.x quotes every float', () => {
    const [point] = points("{'loss': '5.072', 'grad_norm': '20.19', 'learning_rate': '0', 'epoch': '0.009302'}\n");
    expect(point?.metrics).toEqual({ loss: 5.072, grad_norm: 20.19, learning_rate: 0, epoch: 0.009302 });
  });

  it('dicts glued to tqdm frames after \\r, several per physical line (raw `> log 2>&1`)', () => {
    const frame = (n: number): string => `\r 10%|█         | ${n}/50 [00:0${n}<00:45,  1.00it/s]`;
    const clear = `\r${' '.repeat(46)}\r`;
    const text = `${frame(1)}${frame(2)}${clear}{'loss': 2.5, 'epoch': 0.04}\n${frame(2)}${frame(3)}${frame(4)}${clear}{'loss': 2.25, 'epoch': 0.08}\n${frame(4)}`;
    expect(points(text).map((point) => [point.step, point.stepSource, point.line, point.metrics.loss])).toEqual([
      [2, 'tqdm', 1, 2.5],
      [4, 'tqdm', 2, 2.25],
    ]);
  });

  it('bare nan, inf and -inf, and a NaN loss makes the run invalid', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `{'loss': ${i === 12 ? 'nan' : (2 - i / 20).toFixed(4)}, 'grad_norm': ${i === 11 ? 'inf' : i === 13 ? '-inf' : '1.5'}, 'learning_rate': 1e-05, 'epoch': ${(i / 30).toFixed(2)}}`);
    const log = parseLog(bytesOf(lines.join('\n')));
    const summary = summarizeLog(log);
    expect(summary.series.loss).toMatchObject({ count: 30, nan: 1, first: 2, last: 0.55 });
    expect(summary.series.grad_norm).toMatchObject({ count: 30, nan: 2, min: 1.5, max: 1.5 });
    expect(summary.verdict.state).toBe('invalid');
    expect(summary.verdict.reason.en).toContain('NaN at step 13 (line 13)');
  });

  it('interleaved ranks each count their own steps; the summary reads the rank with the most losses', () => {
    const text = ["[rank0]: {'loss': 3.0, 'epoch': 0.1}", "[rank1]: {'loss': 3.1, 'epoch': 0.1}", "[rank0]: {'loss': 2.0, 'epoch': 0.2}", "[rank1]: {'loss': 2.1, 'epoch': 0.2}", "[rank0]: {'loss': 1.0, 'epoch': 0.3}"].join('\n');
    const log = parseLog(bytesOf(text));
    expect(toPoints(log.points, log.series).map((point) => [point.rank, point.step])).toEqual([
      [0, 1],
      [1, 1],
      [0, 2],
      [1, 2],
      [0, 3],
    ]);
    expect(summarizeLog(log)).toMatchObject({ points: 3, series: { loss: { count: 3, first: 3, last: 1 } } });
  });

  it('a dict in a line of its own after an eval bar keeps the training step', () => {
    const text = `\r 20%|██        | 100/500 [01:40<06:40,  1.00s/it]\r${' '.repeat(40)}\r{'loss': 1.5, 'epoch': 0.2}\n\r 50%|█████     | 5/10 [00:01<00:01,  5.00it/s]\r100%|██████████| 10/10 [00:02<00:00,  5.00it/s]\r${' '.repeat(40)}\r{'eval_loss': 1.7, 'epoch': 0.2}\n`;
    expect(points(text).map((point) => [point.kind, point.step])).toEqual([
      ['train', 100],
      ['eval', 100],
    ]);
  });
});

describe('Megatron / MindSpeed iteration lines', () => {
  it('upper-case NAN/INF losses, lower-case nan grad norm, a NaN-iteration count → invalid', () => {
    const line = (i: number, loss: string, grad: string, nans: number): string => ` iteration ${String(i).padStart(8)}/${String(1000).padStart(8)} | consumed samples: ${String(i * 8).padStart(12)} | learning rate: 1.000E-05 | lm loss: ${loss} | loss scale: 1.0 | grad norm: ${grad} | number of skipped iterations:   0 | number of nan iterations: ${String(nans).padStart(3)} |`;
    const lines = Array.from({ length: 25 }, (_, i) => line(i + 1, (3 - i / 20).toExponential(6).toUpperCase(), '1.234', 0));
    lines.push(line(26, 'NAN', 'nan', 1), line(27, 'INF', 'inf', 1));
    const log = parseLog(bytesOf(lines.join('\n')));
    const all = toPoints(log.points, log.series);
    expect(Number.isNaN(all[25]?.metrics.loss)).toBe(true);
    expect(all[26]?.metrics.loss).toBe(Infinity);
    expect(Number.isNaN(all[25]?.metrics.grad_norm)).toBe(true);
    expect(all[25]?.metrics.nan_iterations).toBe(1);
    expect(summarizeLog(log).verdict).toMatchObject({ state: 'invalid' });
  });

  it('rank prefixes, timestamps and ANSI codes before `iteration`', () => {
    const text = [
      '1:  iteration       10/     100 | consumed samples:          640 | lm loss: 2.000000E+00 |',
      ' [2024-06-01 12:00:00] iteration       20/     100 | consumed samples:         1280 | lm loss: 1.500000E+00 |',
      '\u001b[32m iteration       30/     100 | consumed samples:         1920 | lm loss: 1.250000E+00 |\u001b[0m',
    ].join('\n');
    expect(points(text).map((point) => [point.step, point.rank, point.metrics.loss, point.metrics.consumed_samples])).toEqual([
      [10, 1, 2, 640],
      [20, undefined, 1.5, 1280],
      [30, undefined, 1.25, 1920],
    ]);
  });

  it('the word "iteration" in prose is not a record', () => {
    expect(points('This flag results in an extra traversal of the autograd graph every iteration,  which can adversely affect performance.\n')).toEqual([]);
  });

  it('a restarted run that goes back in iterations is a resume, and the verdict reads the latest run', () => {
    const line = (i: number, loss: number): string => ` iteration ${String(i).padStart(8)}/     100 | lm loss: ${loss.toExponential(6).toUpperCase()} |`;
    const first = Array.from({ length: 30 }, (_, i) => line(i + 1, 5 - i * 0.1));
    const second = Array.from({ length: 40 }, (_, i) => line(i + 21, 3 - i * 0.05));
    const log = parseLog(bytesOf([...first, ...second].join('\n')));
    expect(log.resumes).toEqual([{ line: 31, step: 21, previousStep: 30 }]);
    expect(summarizeLog(log).verdict.state).toBe('still-decreasing');
  });
});

describe('LLaMA-Factory trainer_log.jsonl', () => {
  it('Python json.dumps NaN and Infinity tokens', () => {
    const text = ['{"current_steps": 10, "total_steps": 100, "loss": NaN, "lr": 1e-05, "epoch": 0.1, "percentage": 10.0, "elapsed_time": "0:01:00", "remaining_time": "0:09:00"}', '{"current_steps": 20, "total_steps": 100, "loss": Infinity, "lr": 2e-05, "epoch": 0.2, "percentage": 20.0, "elapsed_time": "0:02:00", "remaining_time": "0:08:00"}', '{"current_steps": 30, "total_steps": 100, "loss": -Infinity, "lr": 3e-05, "epoch": 0.3, "percentage": 30.0, "elapsed_time": "0:03:00", "remaining_time": "0:07:00"}'].join('\n');
    expect(points(text).map((point) => [point.step, point.metrics.loss, point.metrics.learning_rate, point.time])).toEqual([
      [10, NaN, 1e-5, 60],
      [20, Infinity, 2e-5, 120],
      [30, -Infinity, 3e-5, 180],
    ]);
  });

  it('a resumed run: current_steps goes back (the LLaMA-Factory#7415 table, as jsonl)', () => {
    // The rows of llamafactory_trainer_log_resume_step_goes_back.txt, written back as the records they show.
    const rows = [
      [3865, 0.334, '11:52:54', 82.48],
      [3870, 0.3318, '11:54:45', 82.59],
      [3875, 0.3532, '11:56:41', 82.69],
      [3805, 0.3257, '0:01:47', 81.2],
    ] as const;
    const text = rows.map(([step, loss, elapsed, percentage]) => JSON.stringify({ current_steps: step, total_steps: 4686, loss, lr: 7e-6, epoch: 2.47, percentage, elapsed_time: elapsed })).join('\n');
    const log = parseLog(bytesOf(text));
    expect(log.resumes).toEqual([{ line: 4, step: 3805, previousStep: 3875 }]);
    expect(toPoints(log.points, log.series).map((point) => point.time)).toEqual([42774, 42885, 43001, 107]);
  });
});

describe('where steps come from', () => {
  it('from the line, else the tqdm counter, else counting — reported per point and for the log', () => {
    const text = `{'loss': 1.0, 'epoch': 0.1}\n\r 30%|███       | 30/100 [00:30<01:10,  1.00it/s]\r{'loss': 0.9, 'epoch': 0.2}\n{'loss': 0.8, 'epoch': 0.3}\n{'loss': 0.7, 'epoch': 0.4, 'step': 40}\n`;
    const log = parseLog(bytesOf(text));
    expect(toPoints(log.points, log.series).map((point) => [point.step, point.stepSource])).toEqual([
      [1, 'count'],
      [30, 'tqdm'],
      [31, 'count'],
      [40, 'line'],
    ]);
    expect(log.stepSource).toBe('count');
  });

  it('DeepSpeed step lines in a Trainer log do not shift the Trainer count', () => {
    const text = ["{'loss': 1.0, 'epoch': 0.1}", '[2024-01-01 00:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=100, skipped=0, lr=[1e-05], mom=[(0.9, 0.999)]', "{'loss': 0.9, 'epoch': 0.2}"].join('\n');
    const log = parseLog(bytesOf(text));
    expect(toPoints(log.points, log.series).map((point) => [point.format, point.step])).toEqual([
      ['hf-trainer', 1],
      ['deepspeed', 100],
      ['hf-trainer', 2],
    ]);
    expect(summarizeLog(log)).toMatchObject({ format: 'hf-trainer', points: 2 });
  });
});

describe('a custom loss tag', () => {
  it('a literal with any text before the number; other formats are then ignored', () => {
    const text = 'epoch 1 | train_loss=0.95 | acc 0.7\nepoch 2 | train_loss=0.85 | acc 0.75\n iteration 3/ 10 | lm loss: 1.0 |\n';
    const log = parseLog(bytesOf(text), { lossTag: 'train_loss' });
    expect(log.format).toBe('custom-tag');
    expect(toPoints(log.points, log.series).map((point) => [point.step, point.metrics])).toEqual([
      [1, { loss: 0.95 }],
      [2, { loss: 0.85 }],
    ]);
  });

  it('a non-ASCII tag', () => {
    expect(points('训练损失：2.5\n训练损失：2.25\n', '训练损失：').map((point) => point.metrics.loss)).toEqual([2.5, 2.25]);
  });
});
