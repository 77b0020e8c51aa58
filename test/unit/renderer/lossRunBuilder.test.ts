import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../shared/logs/logStreamApi';
import { parseLog, toPoints } from '../../../shared/trainingLog';
import type { ParsedLog } from '../../../shared/trainingLog';
import { selectRun, seriesData } from '../../../shared/trainingLog/runSelection';
import { rowsFromBatch } from '../../../renderer/src/features/loss/pointRows';
import { columnsOfLog, RunBuilder } from '../../../renderer/src/features/loss/runBuilder';
import type { RunColumns } from '../../../renderer/src/features/loss/runData';

const LOGS = 'test/fixtures/logs';
const fixtures = readdirSync(LOGS).filter((name) => !name.endsWith('.md'));

/** The chart points as shared/trainingLog's own selection reads them (what the verdict judges). */
function expectedColumns(log: ParsedLog) {
  const selection = selectRun(log);
  const epochAt = new Float64Array(log.points.length).fill(NaN);
  const epochs = log.series.get('epoch');
  if (epochs) {
    const data = seriesData(log, epochs, selection, false);
    data.point.forEach((point, i) => (epochAt[point] = data.value[i] ?? NaN));
  }
  const out: Record<string, { step: number[]; epoch: number[]; value: number[] }> = {};
  for (const metric of ['loss', 'learning_rate', 'grad_norm', 'eval_loss']) {
    const series = log.series.get(metric);
    if (!series) continue;
    const data = seriesData(log, series, selection, metric !== 'eval_loss');
    if (data.value.length === 0) continue;
    out[metric] = { step: [...data.step], epoch: [...data.point].map((point) => epochAt[point] ?? NaN), value: [...data.value] };
  }
  return out;
}

function plain(columns: RunColumns) {
  const out: Record<string, { step: number[]; epoch: number[]; value: number[] }> = {};
  for (const [metric, column] of Object.entries(columns.metrics)) {
    if (metric === 'throughput') continue;
    out[metric] = { step: [...column.step], epoch: [...column.epoch], value: [...column.value] };
  }
  return out;
}

/** The same points as a live run gets them: encoded for the wire, in batches of `size`. */
function liveColumns(log: ParsedLog, size: number): RunColumns {
  const points = toPoints(log.points, log.series);
  const builder = new RunBuilder();
  for (let from = 0; from < points.length; from += size) {
    const slice = points.slice(from, from + size);
    builder.append(rowsFromBatch(encodeBatch('log-test', from, slice, slice.map(() => null))));
  }
  return builder.columns();
}

describe('chart columns of a run', () => {
  it.each(fixtures)('%s: the points the verdict reads, from the file or live in batches', (name) => {
    const log = parseLog(readFileSync(`${LOGS}/${name}`));
    const whole = columnsOfLog(log);
    expect(plain(whole)).toEqual(expectedColumns(log));
    for (const size of [1, 3, 1000]) expect(liveColumns(log, size)).toEqual(whole);
  });

  it('keeps the later values of a resumed run, as the verdict does', () => {
    const resumed = `${[1, 2, 3].map((step, i) => `{'loss': ${3 - i}.5, 'step': ${step}}`).join('\n')}\n{'loss': 9.0, 'step': 2}\n{'loss': 8.0, 'step': 3}\n`;
    const columns = columnsOfLog(parseLog(new TextEncoder().encode(resumed)));
    expect([...(columns.metrics.loss?.step ?? [])]).toEqual([1, 2, 3]);
    expect([...(columns.metrics.loss?.value ?? [])]).toEqual([3.5, 9, 8]);
  });

  it('rebuilds its columns when another format takes over', () => {
    const deepspeed = (step: number) => `[2024-01-01 00:00:00,000] [INFO] [logging.py:96:log_dist] [Rank 0] step=${step}, skipped=0, lr=[1e-05], mom=[(0.9, 0.95)]\n`;
    const hf = (step: number) => `{'loss': ${1 / step}, 'learning_rate': 1e-05, 'step': ${step}}\n`;
    const builder = new RunBuilder();
    const push = (text: string) => {
      const log = parseLog(new TextEncoder().encode(text));
      const points = toPoints(log.points, log.series);
      builder.append(rowsFromBatch(encodeBatch('log-test', 0, points, points.map(() => null))));
    };
    push(hf(1) + hf(2));
    expect([...(builder.columns().metrics.loss?.value ?? [])]).toEqual([1, 0.5]);
    // DeepSpeed's lines now outnumber the dicts: the charts read DeepSpeed's points (no loss).
    push(deepspeed(10) + deepspeed(20) + deepspeed(30));
    expect(builder.columns().metrics.loss).toBeUndefined();
    expect(builder.columns().metrics.learning_rate?.value.length).toBe(3);
    // The dicts take over again: their earlier points come back too.
    push(hf(3) + hf(4));
    expect([...(builder.columns().metrics.loss?.value ?? [])]).toEqual([1, 0.5, 1 / 3, 0.25]);
  });

  it('charts throughput from what the log prints, with its unit', () => {
    const columns = columnsOfLog(parseLog(readFileSync(`${LOGS}/modellink_ascend910b_qwen7b_iteration.log`)));
    expect(columns.throughputUnit).toBe('samples/s');
    // 64 samples per iteration at 38390.3 ms per iteration.
    expect(columns.metrics.throughput?.value[0]).toBeCloseTo(64 / 38.3903, 6);
    expect(columnsOfLog(parseLog(readFileSync(`${LOGS}/ms_swift_dpo_dict_mixed_string_values.log`))).throughputUnit).toBe('it/s');
    const trainer = columnsOfLog(parseLog(readFileSync(`${LOGS}/hf_trainer_grad_norm_fullprecision.log`)));
    expect(trainer.metrics.throughput).toBeUndefined();
    expect(trainer.throughputUnit).toBeNull();
  });

  it('takes times from the log when it prints them, else from arrival, else none', () => {
    const jsonl = columnsOfLog(parseLog(readFileSync(`${LOGS}/llamafactory_trainer_log_loss0_days_remaining.jsonl`)));
    expect(jsonl.time).toBe('log');
    expect([...(jsonl.metrics.loss?.time ?? [])].every(Number.isFinite)).toBe(true);
    const log = parseLog(readFileSync(`${LOGS}/hf_trainer_grad_norm_fullprecision.log`));
    const file = columnsOfLog(log);
    expect(file.time).toBeNull();
    expect(file.metrics.loss?.time).toBeNull();
    const points = toPoints(log.points, log.series);
    const live = new RunBuilder();
    live.append(rowsFromBatch(encodeBatch('log-test', 0, points, points.map((_, i) => (i < 5 ? null : 1_700_000_000_000 + i * 1000)))));
    const time = live.columns().metrics.loss?.time;
    expect(live.columns().time).toBe('arrival');
    expect(Number.isNaN(time?.[0] ?? 0)).toBe(true);
    expect(time?.[5]).toBe(1_700_000_005);
  });
});
