import { describe, expect, it } from 'vitest';
import { alignSeries, nonFiniteAt, plottable, sortedByX } from '../../../renderer/src/features/loss/chartData';
import { growableFloat64 } from '../../../renderer/src/features/loss/growable';
import { recentFor, withRecent } from '../../../renderer/src/features/loss/recentLogs';
import { runningMean, smooth, smoothEma } from '../../../renderer/src/features/loss/smoothing';
import { streamBadge, streamProblem } from '../../../renderer/src/features/loss/streamText';
import type { LogStreamInfo } from '../../../shared/logs/logStreamApi';
import { RECENT_LOGS_MAX } from '../../../shared/settings/settings';

/** TensorBoard's smoothing as its source writes it (vz_line_chart2), for an exact comparison. */
function tensorBoardEma(values: number[], weight: number): number[] {
  let last = 0;
  let numAccum = 0;
  const first = values[0];
  if (values.every((value) => Object.is(value, first))) return values;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    numAccum++;
    const debiasWeight = weight === 1 ? 1 : 1 - Math.pow(weight, numAccum);
    return last / debiasWeight;
  });
}

let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

describe('smoothing', () => {
  it('is bit for bit TensorBoard’s debiased EMA, for every weight of the slider', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i % 997 === 0 ? NaN : i % 1999 === 0 ? Infinity : 2 / Math.sqrt(1 + i) + random()));
    for (const weight of [0, 0.3, 0.6, 0.9, 0.99, 0.999]) expect([...smoothEma(values, weight)]).toEqual(tensorBoardEma(values, weight));
  });

  it('running mean: the mean of the last `window` finite values; NaN/Inf pass through', () => {
    expect([...runningMean([1, 2, 3, 4, 5], 2)]).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect([...runningMean([1, NaN, 3, Infinity, 5], 2)]).toEqual([1, NaN, 2, Infinity, 4]);
    expect([...runningMean([4, 2], 1)]).toEqual([4, 2]);
    // A long series stays exact despite rounding (the window is re-summed as it goes).
    const long = Array.from({ length: 100_000 }, () => random() * 1e6);
    const smoothed = runningMean(long, 100);
    const last = long.slice(-100).reduce((sum, value) => sum + value, 0) / 100;
    expect(smoothed[long.length - 1]).toBeCloseTo(last, 6);
    expect([...smooth([1, 2, 3], { kind: 'mean', window: 3 })]).toEqual([1, 1.5, 2]);
  });
});

describe('lining runs up for uPlot', () => {
  it('hands a run whose x ascends over as it is, without copying', () => {
    const x = Float64Array.from([1, 2, 5]);
    const y = Float64Array.from([3, NaN, 1]);
    const sorted = sortedByX({ x, y });
    expect(sorted.x).toBe(x);
    expect(sorted.y).toBe(y);
    const aligned = alignSeries([{ x, y }]);
    expect(aligned.x).toBe(x);
    expect(aligned.ys[0]).toBe(y);
  });

  it('keeps every point that shares an x when asked to spread them (epochs with two decimals)', () => {
    const spread = sortedByX({ x: [0.01, 0.01, 0.01, 0.02], y: [1, 2, 3, 4] }, 'spread');
    expect([...spread.y]).toEqual([1, 2, 3, 4]);
    expect(spread.x[0]).toBe(0.01);
    expect(spread.x[1]).toBeGreaterThan(0.01);
    expect(spread.x[2]).toBeGreaterThan(spread.x[1] ?? Infinity);
    expect(spread.x[2]).toBeLessThan(0.0100001);
    expect(spread.x[3]).toBe(0.02);
    // Out of order and NaN: sorted, NaN x dropped, the later of equal steps kept.
    expect(sortedByX({ x: [3, 1, NaN, 1], y: [30, 10, 99, 11] })).toEqual({ x: Float64Array.from([1, 3]), y: Float64Array.from([11, 30]) });
  });

  it('joins runs on x, sharing x when the runs logged the same steps', () => {
    const x = Float64Array.from([1, 2, 3]);
    const same = alignSeries([
      { x, y: Float64Array.from([1, 2, 3]) },
      { x: Float64Array.from([1, 2, 3]), y: Float64Array.from([4, 5, 6]) },
    ]);
    expect(same.x).toBe(x);
    expect(same.ys.map((values) => [...values])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const joined = alignSeries([
      { x: Float64Array.from([1, 3]), y: Float64Array.from([1, 3]) },
      { x: Float64Array.from([2, 3, 4]), y: Float64Array.from([20, NaN, 40]) },
    ]);
    expect([...joined.x]).toEqual([1, 2, 3, 4]);
    expect(joined.ys).toEqual([
      [1, null, 3, null],
      [null, 20, NaN, 40],
    ]);
    expect(nonFiniteAt(joined.x, joined.ys[1] ?? [])).toEqual([3]);
  });

  it('gives uPlot numbers only: NaN/Inf bridged on the line between their neighbours, by x', () => {
    const finite = Float64Array.from([1, 2]);
    expect(plottable(finite)).toBe(finite);
    const x = Float64Array.from([0, 1, 3, 4, 10]);
    const values = Float64Array.from([NaN, 2, Infinity, 8, -Infinity]);
    expect([...(plottable(values, x) as Float64Array)]).toEqual([2, 2, 6, 8, 8]);
    // The readout and the markers still see the originals.
    expect(Number.isNaN(values[0])).toBe(true);
    expect(nonFiniteAt(x, values)).toEqual([0, 3, 10]);
    expect(plottable(Float64Array.from([NaN, NaN]))).toEqual([null, null]);
    expect(plottable([1, NaN, null])).toEqual([1, null, null]);
  });
});

describe('small parts', () => {
  it('grows by doubling and truncates', () => {
    const column = growableFloat64();
    for (let i = 0; i < 1000; i++) column.push(i);
    expect(column.length).toBe(1000);
    expect(column.at(-1)).toBe(999);
    column.truncate(10);
    expect([...column.view()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('remembers recent logs newest first, once each, at most RECENT_LOGS_MAX', () => {
    const local = (name: string) => ({ kind: 'local' as const, name });
    let list = withRecent([], [local('a.log'), local('b.log')]);
    expect(list).toEqual([local('a.log'), local('b.log')]);
    list = withRecent(list, [recentFor('host-0001', '/w/train.log', true)]);
    list = withRecent(list, [local('b.log')]);
    expect(list).toEqual([local('b.log'), recentFor('host-0001', '/w/train.log', true), local('a.log')]);
    // The same remote path opened once instead of followed replaces the entry.
    expect(withRecent(list, [recentFor('host-0001', '/w/train.log', false)])[0]).toEqual(recentFor('host-0001', '/w/train.log', false));
    const many = withRecent([], Array.from({ length: 30 }, (_, i) => local(`${i}.log`)));
    expect(many).toHaveLength(RECENT_LOGS_MAX);
    expect(many[0]).toEqual(local('0.log'));
  });

  it('words a remote run’s state', () => {
    const info = (patch: Partial<LogStreamInfo>): LogStreamInfo => ({ id: 'log-1', hostId: 'host-0001', path: '/x', mode: 'follow', state: 'following', problem: null, bytesRead: 0, bytesTotal: 0, points: 0, summary: null, ...patch });
    expect(streamBadge(info({}))).toBe('following');
    expect(streamBadge(info({ mode: 'review' }))).toBe('reading');
    expect(streamBadge(info({ mode: 'review', state: 'ended' }))).toBe('read');
    expect(streamProblem(info({}))).toBeNull();
    expect(streamProblem(info({ problem: { code: 'missing', detail: null } }))).toEqual({ text: 'missing', detail: '' });
    expect(streamProblem(info({ mode: 'review', problem: { code: 'missing', detail: 'x' } }))).toEqual({ text: 'missingOnce', detail: 'x' });
  });
});
