import { describe, expect, it } from 'vitest';
import { alignSeries, nonFiniteAt, plottable, sortedByX } from '../../../renderer/src/features/loss/chartData';
import { CSV_HEADER, runsToCsv } from '../../../renderer/src/features/loss/exportRuns';
import { smoothEma, smoothingWeight } from '../../../renderer/src/features/loss/smoothing';

const values = (array: Float64Array) => [...array];

describe('smoothEma (TensorBoard classic, debiased)', () => {
  it('matches the hand-computed debiased EMA', () => {
    // w = 0.5: s = 0.5, 1.25, 2.125; debiased by 1 − 0.5ⁿ = 0.5, 0.75, 0.875.
    const smoothed = smoothEma([1, 2, 3], 0.5);
    expect(smoothed[0]).toBeCloseTo(1, 12);
    expect(smoothed[1]).toBeCloseTo(5 / 3, 12);
    expect(smoothed[2]).toBeCloseTo(17 / 7, 12);
  });

  it('uses the default weight 0.6 like TensorBoard', () => {
    // s = 0.4·10 = 4 → 4/0.4 = 10; s = 0.6·4 + 0.4·20 = 10.4 → 10.4/0.64 = 16.25.
    expect(values(smoothEma([10, 20], 0.6))).toEqual([10, expect.closeTo(16.25, 12)]);
  });

  it('passes NaN and ±Inf through without letting them into the average', () => {
    const smoothed = smoothEma([1, NaN, 2, Infinity, -Infinity], 0.5);
    expect(smoothed[0]).toBe(1);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(5 / 3, 12);
    expect(smoothed[3]).toBe(Infinity);
    expect(smoothed[4]).toBe(-Infinity);
  });

  it('returns the raw values at weight 0 and for a constant series', () => {
    expect(values(smoothEma([3, 1, 2], 0))).toEqual([3, 1, 2]);
    expect(values(smoothEma([0.5, 0.5, 0.5], 0.9))).toEqual([0.5, 0.5, 0.5]);
    expect(values(smoothEma([], 0.6))).toEqual([]);
  });

  it('clamps the weight, and treats a non-finite one as no smoothing', () => {
    expect(smoothingWeight(-1)).toBe(0);
    expect(smoothingWeight(2)).toBe(1);
    expect(smoothingWeight(NaN)).toBe(0);
    expect(values(smoothEma([1, 2], NaN))).toEqual([1, 2]);
  });
});

describe('lining runs up for uPlot', () => {
  it('sorts by x, drops NaN x and keeps the later point of a repeated x', () => {
    expect(sortedByX({ x: [3, 1, NaN, 1], y: [30, 10, 99, 11] })).toEqual({ x: Float64Array.from([1, 3]), y: Float64Array.from([11, 30]) });
  });

  it('outer-joins runs on x, with null where a run has no point and NaN kept', () => {
    const aligned = alignSeries([
      { x: [1, 2, 3], y: [1, NaN, 3] },
      { x: [2, 4], y: [20, 40] },
    ]);
    expect([...aligned.x]).toEqual([1, 2, 3, 4]);
    expect(aligned.ys).toEqual([
      [1, NaN, 3, null],
      [null, 20, null, 40],
    ]);
    expect(plottable(aligned.ys[0] ?? [])).toEqual([1, null, 3, null]);
    expect(nonFiniteAt(aligned.x, aligned.ys[0] ?? [])).toEqual([2]);
  });

  it('exports CSV rows joined on step, empty for missing values and NaN for printed ones', () => {
    const column = (step: number[], value: number[], epoch: number[]) => ({ step: Float64Array.from(step), value: Float64Array.from(value), epoch: Float64Array.from(epoch) });
    const csv = runsToCsv([
      { name: 'a,"b".log', columns: { loss: column([1, 2], [2.5, NaN], [0.1, 0.2]), grad_norm: column([2], [Infinity], [0.2]) } },
    ]);
    expect(csv).toBe(`${CSV_HEADER}\n"a,""b"".log",1,0.1,2.5,,\n"a,""b"".log",2,0.2,NaN,,Infinity\n`);
  });
});
