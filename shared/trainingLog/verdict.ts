// A plain-language reading of a run, computed on the raw losses (never a smoothed or sampled curve),
// with the numbers behind it, in English and Chinese (training-logs.md §12).

import type { LocalizedText } from '../i18n/localizedText';
import { pointOf } from './points';
import type { RunSelection, SeriesData } from './runSelection';
import { selectRun, seriesData } from './runSelection';
import { blockMedians, mad, mannKendallZ, median, theilSenSlope, trailingMedian } from './stats';
import type { ParsedLog, Verdict, VerdictNumbers, VerdictState } from './types';
import { POINT_KINDS } from './types';

const MIN_POINTS = 20;
/** |z| above this is a significant trend (Mann–Kendall, α = 0.05). */
const SIGNIFICANT = 1.96;
const MIN_DROP = 0.05;
const FLAT_TAIL = 0.02;
const SPIKE_SIGMAS = 6;
const SPIKE_WINDOW = 21;
const RECOVERY_POINTS = 50;
const MAX_SPIKES_PER_1000 = 3;
const MIN_SPIKES = 3;
const MIN_ZERO_RUN = 3;

const number = (value: number): string => (Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value));
const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
const signedPercent = (fraction: number): string => `${fraction > 0 ? '+' : fraction < 0 ? '−' : ''}${Math.abs(fraction * 100).toFixed(1)}%`;

function verdict(state: VerdictState, en: string, zh: string, numbers: VerdictNumbers): Verdict {
  return { state, reason: { en, zh }, numbers };
}

function emptyNumbers(loss: SeriesData): VerdictNumbers {
  let nonFinite = 0;
  for (const value of loss.value) if (!Number.isFinite(value)) nonFinite++;
  const n = loss.step.length;
  return {
    points: n,
    firstStep: n > 0 ? (loss.step[0] ?? null) : null,
    lastStep: n > 0 ? (loss.step[n - 1] ?? null) : null,
    startLoss: null,
    endLoss: null,
    drop: null,
    tailChange: null,
    trendZ: null,
    spikes: 0,
    nonFinite,
    badStep: null,
    badLine: null,
  };
}

/** A multi-node run prints its loss on one node only: the log in hand may be another node's. */
const OTHER_NODE = {
  en: 'In a run across several nodes only one node prints the loss (the ModelArts guide says the last rank; Qwen-VL’s finetune.py logs on rank 0): this may be another node’s log.',
  zh: '多机训练时只有一个节点打印 loss（ModelArts 文档说是最后一个 Rank；Qwen-VL 的 finetune.py 在 rank 0 上打印）：这可能是另一个节点的日志。',
};

/** Why a log has no training loss, from what it does contain. */
function noLoss(log: ParsedLog, selection: RunSelection, numbers: VerdictNumbers): Verdict {
  const say = (en: string, zh: string): Verdict => verdict('no-loss', en, zh, numbers);
  if (log.bytes === 0) return say('No loss: the log is empty.', '没有 loss：日志是空的。');
  if (log.evidence.binary) return say('No loss: this file looks binary (a checkpoint or an event file?), not a text log.', '没有 loss：这个文件看起来是二进制文件（权重或事件文件？），不是文本日志。');
  const format = log.format;
  if (format === 'megatron') {
    const skipped = log.series.get('skipped_iterations');
    const allSkipped = skipped !== undefined && skipped.length === selection.count && skipped.value.every((value) => value > 0);
    if (allSkipped) return say(`No loss: all ${selection.count} iteration lines report skipped iterations (fp16 loss-scale overflow), which print no loss.`, `没有 loss：全部 ${selection.count} 行迭代日志都报告了跳过的迭代（fp16 loss scale 溢出），这些行不打印 loss。`);
    return say(`No loss: the ${selection.count} Megatron iteration lines carry no "lm loss". Only the last pipeline stage prints the loss — this is probably the log of another rank (e.g. rank 0 of a pipeline-parallel run); open the last rank's log.`, `没有 loss：这 ${selection.count} 行 Megatron 迭代日志里没有 "lm loss"。只有流水线的最后一个 stage 打印 loss——这很可能是其他 rank 的日志（例如流水线并行时 rank 0 的日志），请打开最后一个 rank 的日志。`);
  }
  if (format === 'deepspeed') return say(`No loss: only DeepSpeed's own step lines (${selection.count}) were found, and they carry no loss. The Trainer's loss lines are missing — was stdout captured?`, `没有 loss：只找到 DeepSpeed 自己的 step 日志（${selection.count} 行），其中没有 loss。Trainer 的 loss 行缺失——stdout 是否被重定向到日志？`);
  if (selection.count > 0 && hasEvalPoints(log, selection)) return say(`No training loss: the log has evaluation results only (${selection.count} records).`, `没有训练 loss：日志里只有评估结果（${selection.count} 条）。`);
  const failure = log.failures.find((found) => found.kind !== 'traceback') ?? log.failures[0];
  if (failure) return say(`No loss: training stopped before the first loss was logged — ${failure.kind} at line ${failure.line}: ${failure.text}`, `没有 loss：训练在打印第一个 loss 之前就停止了——第 ${failure.line} 行 ${failure.kind}：${failure.text}`);
  const overflow = log.overflow;
  if (overflow) return say(`No loss: the log has ${overflow.count} DeepSpeed fp16 overflow messages (lines ${overflow.firstLine}–${overflow.lastLine}, loss scale now ${overflow.lossScale ?? '?'}) but no loss lines.`, `没有 loss：日志里有 ${overflow.count} 条 DeepSpeed fp16 溢出信息（第 ${overflow.firstLine}–${overflow.lastLine} 行，当前 loss scale ${overflow.lossScale ?? '?'}），但没有 loss 行。`);
  if (log.evidence.tqdmBars) {
    return say(
      `No loss: the log only has tqdm progress bars. The Trainer prints its loss dicts to stdout and the bars to stderr: redirect both (\`> train.log 2>&1\`) and set PYTHONUNBUFFERED=1, or the dicts arrive only when the buffer fills. ${OTHER_NODE.en} If your script shows the loss inside the bar, set a Loss Tag such as \`loss: \`.`,
      `没有 loss：日志里只有 tqdm 进度条。Trainer 把 loss 字典打印到 stdout，进度条打印到 stderr：请同时重定向两者（\`> train.log 2>&1\`）并设置 PYTHONUNBUFFERED=1，否则字典要等缓冲区写满才会出现。${OTHER_NODE.zh}如果你的脚本把 loss 显示在进度条里，请设置 Loss Tag，例如 \`loss: \`。`,
    );
  }
  return say(
    `No loss: no training-log format was recognised. ${OTHER_NODE.en} If your script prints the loss its own way, set a Loss Tag (the text just before the number, e.g. \`loss: \`).`,
    `没有 loss：没有识别出训练日志格式。${OTHER_NODE.zh}如果你的脚本用自己的方式打印 loss，请设置 Loss Tag（数字前面的文字，例如 \`loss: \`）。`,
  );
}

function hasEvalPoints(log: ParsedLog, selection: RunSelection): boolean {
  const evalKind = POINT_KINDS.indexOf('eval');
  for (let i = 0; i < log.points.length; i++) if (selection.included[i] === 1 && log.points.kind[i] === evalKind) return true;
  return false;
}

/** The first run of at least MIN_ZERO_RUN exact-zero losses that marks a broken run, or null: with a
 * NaN/Inf grad_norm, or dropping straight to zero (from the start, or from a loss ≥ 0.05). A loss
 * that approaches zero gradually is a fitted run, not a broken one. `gradAt` holds grad_norm by
 * point index (NaN where none was logged is not "non-finite": it is `undefined` there). */
function brokenZeroRun(loss: SeriesData, gradAt: Map<number, number>): { start: number; length: number; nanGrad: boolean } | null {
  const values = loss.value;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0) continue;
    let end = i;
    let nanGrad = false;
    while (end < values.length && values[end] === 0) {
      const grad = gradAt.get(loss.point[end] ?? -1);
      if (grad !== undefined && !Number.isFinite(grad)) nanGrad = true;
      end++;
    }
    const before = i > 0 ? (values[i - 1] ?? 0) : Infinity;
    if (end - i >= MIN_ZERO_RUN && (nanGrad || !(before < 0.05))) return { start: i, length: end - i, nanGrad };
    i = end;
  }
  return null;
}

/** grad_norm at the points where the loss is exactly 0 (the only ones brokenZeroRun looks at). */
function gradOnZeroLoss(log: ParsedLog, loss: SeriesData): Map<number, number> {
  const wanted = new Set<number>();
  for (let i = 0; i < loss.value.length; i++) if (loss.value[i] === 0) wanted.add(loss.point[i] ?? -1);
  const grad = log.series.get('grad_norm');
  const found = new Map<number, number>();
  for (let i = 0; i < (grad?.length ?? 0) && grad; i++) {
    const point = pointOf(grad, i);
    if (wanted.has(point)) found.set(point, grad.value[i] ?? NaN);
  }
  return found;
}

function invalid(log: ParsedLog, loss: SeriesData, selection: RunSelection, numbers: VerdictNumbers): Verdict | null {
  const values = loss.value;
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    const step = loss.step[bad] ?? 0;
    const line = loss.line[bad] ?? 0;
    Object.assign(numbers, { badStep: step, badLine: line });
    const what = Number.isNaN(values[bad]) ? 'NaN' : 'Inf';
    return verdict('invalid', `Invalid: the loss is ${what} at step ${step} (line ${line}); ${numbers.nonFinite} of ${values.length} values are not finite. Training has broken down (fp16 overflow, bad data or too high a learning rate).`, `无效：loss 在第 ${step} 步（第 ${line} 行）变成了 ${what}；${values.length} 个值中有 ${numbers.nonFinite} 个不是有限数。训练已经崩溃（fp16 溢出、数据有问题或学习率过高）。`, numbers);
  }
  const zeros = values.includes(0) ? brokenZeroRun(loss, gradOnZeroLoss(log, loss)) : null;
  if (zeros) {
    const step = loss.step[zeros.start] ?? 0;
    const line = loss.line[zeros.start] ?? 0;
    Object.assign(numbers, { badStep: step, badLine: line });
    const withGrad = zeros.nanGrad ? ' with a NaN grad_norm' : '';
    const withGradZh = zeros.nanGrad ? '且 grad_norm 为 NaN' : '';
    return verdict('invalid', `Invalid: the loss is exactly 0.0${withGrad} for ${zeros.length} logged steps from step ${step} (line ${line}): it is no longer being computed. This is the classic fp16 overflow symptom (Qwen-VL on V100); train in bf16 where the hardware supports it.`, `无效：从第 ${step} 步（第 ${line} 行）起连续 ${zeros.length} 次记录的 loss 都恰好是 0.0${withGradZh}：loss 已经不再被正常计算。这是典型的 fp16 溢出症状（例如在 V100 上训练 Qwen-VL）；在硬件支持时请改用 bf16。`, numbers);
  }
  const nanIterations = seriesData(log, log.series.get('nan_iterations'), selection, true);
  const firstNan = nanIterations.value.findIndex((value) => value > 0);
  if (firstNan >= 0) {
    const total = nanIterations.value.reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
    const step = nanIterations.step[firstNan] ?? 0;
    const line = nanIterations.line[firstNan] ?? 0;
    Object.assign(numbers, { badStep: step, badLine: line });
    return verdict('invalid', `Invalid: Megatron counted ${total} NaN iterations, the first reported at step ${step} (line ${line}).`, `无效：Megatron 统计到 ${total} 次 NaN 迭代，第一次在第 ${step} 步（第 ${line} 行）报告。`, numbers);
  }
  const minimum = log.failures.find((failure) => failure.kind === 'loss-scale-minimum');
  if (minimum) {
    Object.assign(numbers, { badLine: minimum.line });
    return verdict('invalid', `Invalid: DeepSpeed's fp16 loss scale reached its minimum (line ${minimum.line}): every step overflows and the run stopped.`, `无效：DeepSpeed 的 fp16 loss scale 已降到最小值（第 ${minimum.line} 行）：每一步都溢出，训练已停止。`, numbers);
  }
  return null;
}

interface Spikes {
  count: number;
  firstStep: number | null;
  /** A jump near the end whose loss has not come back. */
  unrecoveredStep: number | null;
}

/** Upward outliers from the median of the preceding points (r > 6σ with σ = 1.4826·MAD of r, or
 * 10× that median); a spike is recovered when the loss is back within 3σ of the level before it
 * within 50 points. */
function findSpikes(steps: Float64Array, z: Float64Array, y: Float64Array, positive: boolean): Spikes {
  const level = trailingMedian(z, SPIKE_WINDOW, 5);
  const residual = z.map((value, i) => value - (level[i] ?? NaN));
  const sigma = 1.4826 * mad(residual.filter((value) => !Number.isNaN(value)));
  const isSpike = (i: number): boolean => {
    const r = residual[i] ?? NaN;
    if (Number.isNaN(r)) return false;
    return (sigma > 0 && r > SPIKE_SIGMAS * sigma) || (positive && (y[i] ?? 0) > 10 * Math.exp(level[i] ?? Infinity));
  };
  const spikes: Spikes = { count: 0, firstStep: null, unrecoveredStep: null };
  for (let i = 0; i < z.length; i++) {
    if (!isSpike(i)) continue;
    spikes.count++;
    spikes.firstStep ??= steps[i] ?? 0;
    const before = level[i] ?? 0;
    let end = i;
    while (end + 1 < z.length && isSpike(end + 1)) end++;
    let recovered = false;
    for (let j = i + 1; j < Math.min(z.length, i + 1 + RECOVERY_POINTS) && !recovered; j++) recovered = (z[j] ?? 0) - before < Math.max(3 * sigma, Number.EPSILON);
    if (!recovered && i + RECOVERY_POINTS >= z.length) spikes.unrecoveredStep = steps[i] ?? 0;
    i = end;
  }
  return spikes;
}

/** Judges the run's training loss (see training-logs.md §12 for the rules). */
export function judgeRun(log: ParsedLog): Verdict {
  const selection = selectRun(log);
  const loss = seriesData(log, log.series.get('loss'), selection, true);
  const numbers = emptyNumbers(loss);
  if (loss.step.length === 0) return noLoss(log, selection, numbers);
  const broken = invalid(log, loss, selection, numbers);
  if (broken) return broken;

  const n = loss.value.length;
  const y = loss.value;
  const gradNote = nonFiniteGradNote(log, selection);
  const steps = loss.step;
  const firstLoss = y[0] ?? 0;
  const lastLoss = y[n - 1] ?? 0;
  if (n < MIN_POINTS) {
    const values = n === 1 ? `1 loss value (${MIN_POINTS} needed): ${number(firstLoss)}` : `${n} loss values (${MIN_POINTS} needed); first ${number(firstLoss)}, last ${number(lastLoss)}`;
    const valuesZh = n === 1 ? `只有 1 个 loss 值（至少需要 ${MIN_POINTS} 个）：${number(firstLoss)}` : `只有 ${n} 个 loss 值（至少需要 ${MIN_POINTS} 个）；第一个 ${number(firstLoss)}，最后一个 ${number(lastLoss)}`;
    return verdict('too-few-points', `Too few points to judge: ${values}.${gradNote.en}`, `数据点太少，无法判断：${valuesZh}。${gradNote.zh}`, numbers);
  }

  const positive = y.every((value) => value > 0);
  const z = positive ? y.map(Math.log) : y;
  const tenth = Math.max(1, Math.floor(n / 10));
  const startLoss = median(y.subarray(0, tenth));
  const endLoss = median(y.subarray(n - tenth));
  const drop = startLoss !== 0 ? 1 - endLoss / startLoss : 0;
  const blocks = blockMedians(steps, z, Math.min(20, Math.floor(n / 5)));
  const trendZ = mannKendallZ(blocks.y);
  const falling = trendZ < -SIGNIFICANT && drop >= MIN_DROP;

  const tailStart = n - Math.max(5, Math.floor(n / 4));
  const tailSteps = steps.subarray(tailStart);
  const tailZ = z.subarray(tailStart);
  const tailBlocks = blockMedians(tailSteps, tailZ, Math.min(12, Math.floor(tailSteps.length / 5)));
  const slope = theilSenSlope(tailBlocks.x, tailBlocks.y);
  const span = (tailSteps[tailSteps.length - 1] ?? 0) - (tailSteps[0] ?? 0);
  const tailMedian = median(y.subarray(tailStart));
  const tailChange = positive ? Math.expm1(slope * span) : tailMedian !== 0 ? (slope * span) / Math.abs(tailMedian) : 0;
  const tailTrendZ = mannKendallZ(tailBlocks.y);

  const spikes = findSpikes(steps, z, y, positive);
  // The lowest level the run reached before its last tenth: the smallest median of 2 % of the run (a
  // rolling median over a few points would dip with the noise of a long run).
  const levels = blockMedians(steps.subarray(0, n - tenth), y.subarray(0, n - tenth), Math.min(50, Math.floor((n - tenth) / 5)));
  let lowest = 0;
  for (let b = 1; b < levels.y.length; b++) if ((levels.y[b] ?? 0) < (levels.y[lowest] ?? 0)) lowest = b;
  const lowestLoss = levels.y[lowest] ?? endLoss;
  const lowestStep = Math.round(levels.x[lowest] ?? 0);
  Object.assign(numbers, { startLoss, endLoss, drop, tailChange, trendZ, spikes: spikes.count });
  const fell = `${percent(drop)} (median ${number(startLoss)} → ${number(endLoss)})`;
  const fellZh = `${percent(drop)}（中位数 ${number(startLoss)} → ${number(endLoss)}）`;
  const overfitNote = overfitting(log, selection, falling);
  const overfit = { en: overfitNote.en + gradNote.en, zh: overfitNote.zh + gradNote.zh };

  if (spikes.unrecoveredStep !== null) {
    return verdict('diverging', `Diverging: the loss jumped at step ${spikes.unrecoveredStep} and has not come back (last ${number(lastLoss)}, lowest level before ${number(lowestLoss)}).${gradNote.en}`, `发散：loss 在第 ${spikes.unrecoveredStep} 步突然升高且没有回落（最后 ${number(lastLoss)}，此前最低水平 ${number(lowestLoss)}）。${gradNote.zh}`, numbers);
  }
  const rose = lowestLoss !== 0 ? endLoss / lowestLoss - 1 : 0;
  if ((tailTrendZ > SIGNIFICANT && tailChange >= FLAT_TAIL) || (lowestLoss > 0 && endLoss > 1.1 * lowestLoss)) {
    return verdict('diverging', `Diverging: the loss is rising again — the last tenth has a median of ${number(endLoss)}, ${percent(rose)} above its lowest level ${number(lowestLoss)} (around step ${lowestStep}).${gradNote.en}`, `发散：loss 又在上升——最后十分之一的中位数是 ${number(endLoss)}，比最低水平 ${number(lowestLoss)}（约第 ${lowestStep} 步）高 ${percent(rose)}。${gradNote.zh}`, numbers);
  }
  const perThousand = (spikes.count * 1000) / n;
  if (falling && spikes.count >= MIN_SPIKES && perThousand > MAX_SPIKES_PER_1000) {
    return verdict('spiky', `Spiky: the loss fell ${fell} but has ${spikes.count} spikes (${perThousand.toFixed(1)} per 1000 points, the first at step ${spikes.firstStep}). A lower learning rate or gradient clipping may help.${overfit.en}`, `波动大：loss 下降了 ${fellZh}，但有 ${spikes.count} 个尖峰（每 1000 个点 ${perThousand.toFixed(1)} 个，第一个在第 ${spikes.firstStep} 步）。降低学习率或做梯度裁剪可能有帮助。${overfit.zh}`, numbers);
  }
  if (!falling) {
    return verdict('not-decreasing', `Not decreasing: from the first to the last tenth of the run the loss changed ${signedPercent(-drop)} (median ${number(startLoss)} → ${number(endLoss)}), with no significant downward trend (Mann–Kendall z = ${trendZ.toFixed(2)}). Check the learning rate and the data.${gradNote.en}`, `没有下降：从训练的前十分之一到最后十分之一，loss 变化了 ${signedPercent(-drop)}（中位数 ${number(startLoss)} → ${number(endLoss)}），没有显著的下降趋势（Mann–Kendall z = ${trendZ.toFixed(2)}）。请检查学习率和数据。${gradNote.zh}`, numbers);
  }
  if (Math.abs(tailChange) >= FLAT_TAIL && slope < 0) {
    return verdict('still-decreasing', `Still decreasing: the loss fell ${fell} and was still falling over the last quarter (${signedPercent(tailChange)}); more training may help.${overfit.en}`, `仍在下降：loss 下降了 ${fellZh}，最后四分之一仍在下降（${signedPercent(tailChange)}），继续训练可能还有收益。${overfit.zh}`, numbers);
  }
  return verdict('converged', `Converged: the loss fell ${fell} and levelled off — the last quarter changed ${signedPercent(tailChange)}.${overfit.en}`, `已收敛：loss 下降了 ${fellZh}，并逐渐趋于平稳——最后四分之一只变化了 ${signedPercent(tailChange)}。${overfit.zh}`, numbers);
}

/** A warning when grad_norm has NaN/Inf values although the loss looks fine (a known symptom of
 * broken mixed precision on some Qwen2.5-VL / NPU setups). */
function nonFiniteGradNote(log: ParsedLog, selection: RunSelection): LocalizedText {
  const grad = seriesData(log, log.series.get('grad_norm'), selection, true).value;
  const bad = grad.filter((value) => !Number.isFinite(value)).length;
  if (bad === 0) return { en: '', zh: '' };
  return { en: ` Note: grad_norm is NaN/Inf in ${bad} of ${grad.length} logged steps.`, zh: ` 注意：${grad.length} 次记录中有 ${bad} 次 grad_norm 为 NaN/Inf。` };
}

/** Eval loss (≥ 3 points) ending > 5 % above its minimum while the training loss falls. */
function overfitting(log: ParsedLog, selection: RunSelection, trainFalling: boolean): LocalizedText {
  const evalLoss = seriesData(log, log.series.get('eval_loss'), selection, false).value.filter(Number.isFinite);
  if (!trainFalling || evalLoss.length < 3) return { en: '', zh: '' };
  const lowest = Math.min(...evalLoss);
  const last = evalLoss[evalLoss.length - 1] ?? lowest;
  if (!(lowest > 0 && last > 1.05 * lowest)) return { en: '', zh: '' };
  const above = percent(last / lowest - 1);
  return { en: ` The eval loss ends ${above} above its minimum (${number(lowest)} → ${number(last)}): possible overfitting.`, zh: ` 评估 loss 最后比最低值高 ${above}（${number(lowest)} → ${number(last)}）：可能过拟合。` };
}

