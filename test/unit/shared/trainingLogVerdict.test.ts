// The verdict on synthetic runs of known shape, read from the raw losses.

import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../shared/trainingLog';
import { judgeRun, parseLog } from '../../../shared/trainingLog';
import { bytesOf, lcg } from './trainingLogSupport';

/** An HF Trainer log with one dict per step; `extra` adds keys to a step's dict. */
function hfLog(losses: number[], extra: (step: number) => string = () => ''): string {
  return losses.map((loss, i) => `{'loss': ${Number.isFinite(loss) ? String(Math.round(loss * 1e4) / 1e4) : 'nan'}, 'learning_rate': 1e-05, 'epoch': ${((i + 1) / losses.length).toFixed(2)}${extra(i + 1)}}`).join('\n');
}

function judge(text: string): Verdict {
  return judgeRun(parseLog(bytesOf(text)));
}

const noise = lcg(11);
const jitter = (amplitude: number): number => (noise() - 0.5) * 2 * amplitude;
const curve = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('judgeRun', () => {
  it('converged: fell and levelled off', () => {
    const verdict = judge(hfLog(curve(400, (i) => 0.6 + 2 * Math.exp(-i / 40) + jitter(0.01))));
    expect(verdict.state).toBe('converged');
    // Median of the first tenth 0.6 + 2·e^(−19.5/40) ≈ 1.828, of the last ≈ 0.600: 1 − 0.600/1.828.
    expect(verdict.numbers.drop).toBeCloseTo(0.672, 2);
    expect(Math.abs(verdict.numbers.tailChange ?? 1)).toBeLessThan(0.02);
    expect(verdict.reason.en).toMatch(/^Converged: the loss fell \d+\.\d% \(median [\d.]+ → [\d.]+\)/);
    expect(verdict.reason.zh).toMatch(/^已收敛/);
  });

  it('still decreasing: fell and still falling at the end', () => {
    const verdict = judge(hfLog(curve(300, (i) => 3 - i * 0.008 + jitter(0.02))));
    expect(verdict.state).toBe('still-decreasing');
    expect(verdict.numbers.tailChange).toBeLessThan(-0.02);
    expect(verdict.reason.zh).toMatch(/^仍在下降/);
  });

  it('not decreasing: flat noise', () => {
    const verdict = judge(hfLog(curve(300, () => 2 + jitter(0.2))));
    expect(verdict.state).toBe('not-decreasing');
    expect(Math.abs(verdict.numbers.trendZ ?? 99)).toBeLessThan(1.96);
  });

  it('spiky: falling, with many short spikes', () => {
    const verdict = judge(hfLog(curve(600, (i) => (i % 25 === 10 ? 8 : 0.5 + 2 * Math.exp(-i / 80) + jitter(0.01)))));
    expect(verdict.state).toBe('spiky');
    expect(verdict.numbers.spikes).toBeGreaterThanOrEqual(20);
    expect(verdict.reason.en).toContain('spikes');
  });

  it('diverging: the loss rises again', () => {
    const verdict = judge(hfLog(curve(300, (i) => (i < 150 ? 3 - i * 0.015 : 0.75 + (i - 150) * 0.01) + jitter(0.01))));
    expect(verdict.state).toBe('diverging');
    expect(verdict.reason.en).toMatch(/above its lowest level/);
  });

  it('diverging: a jump at the end that does not come back', () => {
    const verdict = judge(hfLog(curve(300, (i) => (i < 290 ? 0.5 + 2 * Math.exp(-i / 30) + jitter(0.005) : 40))));
    expect(verdict.state).toBe('diverging');
    expect(verdict.reason.en).toContain('jumped at step 291');
  });

  it('invalid: a NaN loss, naming the step and line', () => {
    const verdict = judge(hfLog(curve(50, (i) => (i === 30 ? NaN : 2 - i / 50))));
    expect(verdict).toMatchObject({ state: 'invalid', numbers: { badStep: 31, badLine: 31, nonFinite: 1 } });
  });

  it('invalid: loss stuck at 0.0 with a NaN grad_norm, even among finite losses', () => {
    const losses = curve(60, (i) => (i >= 40 ? 0 : 2 - i / 40));
    const verdict = judge(hfLog(losses, (step) => `, 'grad_norm': ${step > 40 ? 'nan' : '1.0'}`));
    expect(verdict).toMatchObject({ state: 'invalid', numbers: { badStep: 41 } });
    expect(verdict.reason.en).toContain('NaN grad_norm for 20 logged steps');
  });

  it('a loss that approaches 0.0 gradually is a fitted run, not a broken one', () => {
    const losses = curve(200, (i) => Math.max(0, 0.5 * Math.exp(-i / 10)));
    expect(judge(hfLog(losses)).state).toBe('converged');
  });

  it('invalid: Megatron counted NaN iterations', () => {
    const lines = curve(30, (i) => ` iteration ${String(i + 1).padStart(8)}/     100 | lm loss: ${(3 - i / 20).toExponential(6).toUpperCase()} | number of skipped iterations:   0 | number of nan iterations: ${i === 20 ? '  2' : '  0'} |`);
    expect(judge(lines.join('\n'))).toMatchObject({ state: 'invalid', numbers: { badStep: 21, badLine: 21 } });
  });

  it("invalid: DeepSpeed's loss scale reached its minimum", () => {
    const text = `${hfLog(curve(25, (i) => 2 - i / 50))}\nException: Current loss scale already at minimum - cannot decrease scale anymore. Exiting run.\n`;
    const verdict = judge(text);
    expect(verdict.state).toBe('invalid');
    expect(verdict.reason.en).toContain('line 26');
  });

  it('too few points, with the numbers', () => {
    const verdict = judge(hfLog([2.5, 2.25, 2.0]));
    expect(verdict).toMatchObject({ state: 'too-few-points', numbers: { points: 3, firstStep: 1, lastStep: 3 } });
    expect(verdict.reason.en).toContain('first 2.5, last 2');
  });

  it('overfitting is mentioned when the eval loss rises while training falls', () => {
    const losses = curve(300, (i) => 0.6 + 2 * Math.exp(-i / 40) + jitter(0.005));
    const evalAt = new Map([[100, 1.0], [200, 0.9], [300, 1.1]]);
    const text = losses.map((loss, i) => `{'loss': ${loss.toFixed(4)}, 'epoch': 0.1}${evalAt.has(i + 1) ? `\n{'eval_loss': ${evalAt.get(i + 1)}, 'epoch': 0.1}` : ''}`).join('\n');
    const verdict = judge(text);
    expect(verdict.state).toBe('converged');
    expect(verdict.reason.en).toContain('possible overfitting');
    expect(verdict.reason.zh).toContain('过拟合');
  });

  it('every reason exists in English and Chinese', () => {
    for (const text of [hfLog(curve(300, () => 2 + jitter(0.2))), hfLog([1]), '', ' iteration 1/ 10 | loss scale: 1.0 |']) {
      const verdict = judge(text);
      expect(verdict.reason.en).toMatch(/^[A-Z]/);
      expect(verdict.reason.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
