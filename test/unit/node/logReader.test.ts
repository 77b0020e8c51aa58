// The file reader: a large log is parsed by two threads, and the result must be exactly what one
// thread gives — points, steps, lines, failures, evidence.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseLogFile } from '../../../electron/main/services/logs/readLogFile';
import { TrainingLogParser, summarizeLog } from '../../../shared/trainingLog';
import { digest, lcg } from '../shared/trainingLogSupport';

const MB = 1024 * 1024;
const folder = mkdtempSync(join(tmpdir(), 'qvl-log-reader-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A log of every kind of line the parser reads, `bytes` long (large enough to be split). */
function writeMixedLog(name: string, bytes: number): string {
  const random = lcg(2026);
  const frame = (n: number): string => `\r  3%|▎         | ${n}/100000 [01:02<3:04:05, 2.35s/it]`;
  const parts: string[] = [];
  let length = 0;
  for (let step = 1; length < bytes; step++) {
    let text = frame(step);
    const r = random();
    if (step % 5 === 0) text += `\r${' '.repeat(50)}\r{'loss': ${(2 - step / 1e6).toFixed(4)}, 'grad_norm': ${Math.fround(random() * 4)}, 'learning_rate': ${1e-5 * (1 - step / 1e6)}, 'epoch': ${(step / 1e5).toFixed(2)}}\n`;
    if (r < 0.02) text += `\n iteration ${String(step).padStart(8)}/  100000 | consumed samples: ${String(step * 64).padStart(12)} | lm loss: ${(1 + random()).toExponential(6).toUpperCase()} | loss scale: 1.0 | grad norm: ${(random() * 9).toFixed(3)} | number of skipped iterations:   0 | number of nan iterations:   0 |\n`;
    else if (r < 0.021) text += '\nRuntimeError: NPU out of memory. Tried to allocate 2.00 GiB\n';
    else if (r < 0.022) text += `\n[rank1]: {'eval_loss': ${random().toFixed(4)}, 'epoch': ${(step / 1e5).toFixed(2)}}\n`;
    parts.push(text);
    length += Buffer.byteLength(text);
  }
  const path = join(folder, name);
  writeFileSync(path, parts.join(''));
  return path;
}

describe('parseLogFile', () => {
  it('parses a large log in two threads to exactly what one thread reads', async () => {
    const path = writeMixedLog('mixed.log', 70 * MB);
    const absorb = vi.spyOn(TrainingLogParser.prototype, 'absorbSegment');
    const progress: number[] = [];
    const parallel = await parseLogFile(path, {}, (bytes) => progress.push(bytes));
    expect(absorb).toHaveReturnedWith(true);
    absorb.mockRestore();
    const sequential = await parseLogFile(path, { parallel: false });
    expect(parallel.points.length).toBeGreaterThan(100_000);
    expect(parallel.failures.length).toBeGreaterThan(0);
    expect(digest(parallel)).toEqual(digest(sequential));
    expect(progress.at(-1)).toBe(parallel.bytes);
    // A second file reuses the worker the first one left.
    expect(digest(await parseLogFile(path))).toEqual(digest(sequential));
  }, 120_000);

  it('reads a file with a loss tag, or a small one, in one thread', async () => {
    const absorb = vi.spyOn(TrainingLogParser.prototype, 'absorbSegment');
    const small = join(folder, 'small.log');
    writeFileSync(small, "{'loss': 2.5, 'epoch': 0.1}\n{'loss': 2.4, 'epoch': 0.2}\n");
    expect((await parseLogFile(small)).points.length).toBe(2);
    expect((await parseLogFile(small, { lossTag: "'loss':" })).format).toBe('custom-tag');
    expect(absorb).not.toHaveBeenCalled();
    absorb.mockRestore();
  });

  it('says what is wrong with an empty file, binary garbage or a log without a loss, large or not', async () => {
    const random = lcg(404);
    const garbage = join(folder, 'garbage.bin');
    writeFileSync(garbage, Uint8Array.from({ length: 66 * MB }, () => Math.floor(random() * 256)));
    const empty = join(folder, 'empty.log');
    writeFileSync(empty, '');
    const noLoss = join(folder, 'no-loss.log');
    writeFileSync(noLoss, 'Loading checkpoint shards: 100%|██████████| 10/10 [00:05<00:00,  1.9it/s]\n'.repeat(900_000));
    const reasons: string[] = [];
    for (const path of [garbage, empty, noLoss]) {
      const log = await parseLogFile(path);
      const { verdict } = summarizeLog(log);
      expect(verdict.state).toBe('no-loss');
      reasons.push(verdict.reason.en);
    }
    expect(reasons[0]).toContain('binary');
    expect(reasons[1]).toContain('empty');
    expect(reasons[2]).toContain('only has tqdm progress bars');
  }, 120_000);
});
