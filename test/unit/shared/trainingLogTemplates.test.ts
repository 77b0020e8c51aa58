// Record templates (template.ts) and the values they freeze into their literals must read every line
// exactly as the general parser reads it alone — whatever changes from one line to the next.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrainingLogParser, parseLog, toPoints } from '../../../shared/trainingLog';
import { RecordTemplate } from '../../../shared/trainingLog/template';
import { bufferSearch, bytesOf, digest, lcg } from './trainingLogSupport';

afterEach(() => vi.restoreAllMocks());

/** Megatron iteration lines whose usually constant fields change now and then: the batch size once,
 * the loss scale when it halves, the learning rate by steps, a skipped iteration, a NaN loss, digits
 * gained by the counters, a field whose unit starts with `e`, and now and then an extra field. */
function megatronLines(count: number): string[] {
  const random = lcg(31);
  const lines: string[] = [];
  let lossScale = 65536;
  for (let n = 1; n <= count; n++) {
    if (n % 300 === 0) lossScale /= 2;
    const batch = n < 700 ? 64 : 128;
    const learningRate = (2.5e-5 * (1 - Math.floor(n / 150) / 20)).toExponential(3).toUpperCase();
    const loss = n % 997 === 0 ? 'NAN' : (1 + random()).toExponential(6).toUpperCase();
    const skipped = n % 451 === 0 ? 1 : 0;
    const extra = n % 613 === 0 ? ` tflops: ${(120 + random()).toFixed(1)}TFLOPS |` : '';
    lines.push(
      ` iteration ${n}/1300 | consumed samples: ${String(n * batch).padStart(8)} | learning rate: ${learningRate} | global batch size: ${String(batch).padStart(5)} | lm loss: ${loss} | loss scale: ${lossScale.toFixed(1)} | samples per sec: 48.0eps | grad norm: ${(random() * 9).toFixed(3)} |${extra} number of skipped iterations: ${String(skipped).padStart(3)} | number of nan iterations:   0 |`,
    );
  }
  return lines;
}

function metricsOf(bytes: Uint8Array): { step: number; metrics: Record<string, number> }[] {
  const log = parseLog(bytes, { search: bufferSearch });
  return toPoints(log.points, log.series).map(({ step, metrics }) => ({ step, metrics }));
}

describe('record templates', () => {
  it('read each iteration line as the general parser reads it alone, frozen values included', () => {
    const freeze = vi.spyOn(RecordTemplate.prototype, 'freeze');
    const lines = megatronLines(1300);
    const whole = metricsOf(bytesOf(lines.map((line) => `${line}\n`).join('')));
    // Values were frozen (from line 357 and 870) and then changed (the loss scale at 600 and 900).
    expect(freeze.mock.calls.length).toBeGreaterThanOrEqual(2);
    const alone = lines.map((line) => metricsOf(bytesOf(`${line}\n`))[0]);
    expect(whole).toEqual(alone);
    expect(whole[996]?.metrics.loss).toBeNaN();
    expect(whole[612]?.metrics).toHaveProperty('tflops');
  }, 60_000);

  it('give the same result in any chunking', () => {
    const bytes = bytesOf(megatronLines(1200).join('\r\n'));
    const expected = digest(parseLog(bytes));
    const random = lcg(8);
    for (let round = 0; round < 4; round++) {
      const parser = new TrainingLogParser({ search: bufferSearch });
      for (let k = 0; k < bytes.length; ) {
        const size = 1 + Math.floor(random() * 700);
        parser.push(bytes.subarray(k, k + size));
        k += size;
      }
      expect(digest(parser.end())).toEqual(expected);
    }
  }, 60_000);
});
