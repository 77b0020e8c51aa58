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
  const out = Float64Array.from(values);
  if (isConstant(out)) return out;
  let last = 0;
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const value = out[i] ?? NaN;
    if (!Number.isFinite(value)) continue;
    last = last * w + (1 - w) * value;
    n++;
    const debias = w === 1 ? 1 : 1 - w ** n;
    out[i] = last / debias;
  }
  return out;
}

function isConstant(values: Float64Array): boolean {
  const first = values[0];
  return values.every((value) => Object.is(value, first));
}
