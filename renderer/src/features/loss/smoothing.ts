// TensorBoard's classic smoothing (training-logs.md §8), computed per index on the full-resolution
// series, so the curve matches what users see in TensorBoard for the same log.

export const DEFAULT_SMOOTHING = 0.6;
export const MAX_SMOOTHING = 0.999;

/** Clamps a slider value to [0, 1]; a non-finite weight means no smoothing. */
export function smoothingWeight(weight: number): number {
  return Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
}

/**
 * Debiased exponential moving average. Non-finite values are passed through and do not enter the
 * average, so one NaN step does not erase the rest of the curve; a constant series is returned
 * as is (tensorboard#786: debiasing would otherwise show rounding noise).
 */
export function smoothEma(values: ArrayLike<number>, weight: number): Float64Array {
  const w = smoothingWeight(weight);
  const out = values instanceof Float64Array ? new Float64Array(values) : Float64Array.from(values);
  if (isConstant(out)) return out;
  let last = 0;
  let n = 0;
  // Once wⁿ is this small, 1 − wⁿ is exactly 1 in doubles: later points skip the power (and the
  // division) yet get the very same numbers, which matters on a million-point series.
  let debiasing = w !== 1;
  for (let i = 0; i < out.length; i++) {
    const value = out[i] ?? NaN;
    if (!Number.isFinite(value)) continue;
    last = last * w + (1 - w) * value;
    n++;
    if (debiasing) {
      const power = w ** n;
      out[i] = last / (1 - power);
      debiasing = power >= 2 ** -60;
    } else out[i] = last;
  }
  return out;
}

function isConstant(values: Float64Array): boolean {
  const first = values[0];
  return values.every((value) => Object.is(value, first));
}

export const DEFAULT_MEAN_WINDOW = 20;
export const MAX_MEAN_WINDOW = 1000;

/** Running (trailing) mean of the last `window` finite values, as W&B's "running average" but
 * causal, so a live curve's end does not move when the next point comes. Non-finite values pass
 * through and stay out of the window, as in smoothEma. */
export function runningMean(values: ArrayLike<number>, window: number): Float64Array {
  const size = Math.max(1, Math.min(MAX_MEAN_WINDOW, Math.floor(Number.isFinite(window) ? window : 1)));
  const out = Float64Array.from(values);
  const ring = new Float64Array(size);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const value = out[i] ?? NaN;
    if (!Number.isFinite(value)) continue;
    const slot = count % size;
    if (count >= size) sum -= ring[slot] ?? 0;
    ring[slot] = value;
    sum += value;
    count++;
    // Re-summing once per window keeps rounding from adding up over a million points.
    if (count % size === 0) sum = ring.reduce((total, kept) => total + kept, 0);
    out[i] = sum / Math.min(count, size);
  }
  return out;
}

export type Smoothing = { kind: 'ema'; weight: number } | { kind: 'mean'; window: number };

export function smooth(values: ArrayLike<number>, smoothing: Smoothing): Float64Array {
  return smoothing.kind === 'ema' ? smoothEma(values, smoothing.weight) : runningMean(values, smoothing.window);
}
