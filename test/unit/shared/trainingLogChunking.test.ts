// Chunk boundaries anywhere — mid-number, mid-UTF-8, mid-"\r\n", mid-anchor — must not change what is
// parsed: every fixture fed byte by byte and in random chunk sizes equals the one-shot parse.

import { describe, expect, it } from 'vitest';
import type { LogParserOptions } from '../../../shared/trainingLog';
import { TrainingLogParser, parseLog } from '../../../shared/trainingLog';
import { bufferSearch, bytesOf, digest, fixture, fixtureNames, lcg } from './trainingLogSupport';

function parseInChunks(bytes: Uint8Array, sizes: () => number, options: LogParserOptions = {}): ReturnType<TrainingLogParser['end']> {
  const parser = new TrainingLogParser(options);
  for (let k = 0; k < bytes.length; ) {
    const size = Math.max(1, sizes());
    parser.push(bytes.subarray(k, k + size));
    k += size;
  }
  return parser.end();
}

const TAGS: Record<string, string> = {
  'tqdm_description_loss_trace.log': 'Loss: ',
  'tqdm_postfix_loss_veomni.log': 'loss: ',
  'xtuner_mmengine_grad_norm_nan.log': 'loss: ',
};

describe('chunking never changes the result', () => {
  it.each(fixtureNames)('%s, byte by byte and in random chunks', (name) => {
    const bytes = fixture(name);
    const options = TAGS[name] ? { lossTag: TAGS[name] } : {};
    const expected = digest(parseLog(bytes, options));
    expect(digest(parseInChunks(bytes, () => 1, options))).toEqual(expected);
    const random = lcg(name.length * 7919);
    for (let round = 0; round < 5; round++) expect(digest(parseInChunks(bytes, () => Math.floor(random() * 97), options))).toEqual(expected);
  });

  it.each(fixtureNames)('%s, with the Buffer search Node passes in', (name) => {
    const bytes = fixture(name);
    expect(digest(parseLog(bytes, { search: bufferSearch }))).toEqual(digest(parseLog(bytes)));
  });

  it('all fixtures concatenated, in chunks around every size up to 64 KiB', () => {
    const parts = fixtureNames.map(fixture);
    const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 1, 0));
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      all[offset + part.length] = 0x0a;
      offset += part.length + 1;
    }
    const expected = digest(parseLog(all));
    const random = lcg(42);
    for (const limit of [3, 17, 256, 4099, 65536]) expect(digest(parseInChunks(all, () => Math.floor(random() * limit), { search: bufferSearch }))).toEqual(expected);
  });

  it('a raw tqdm stream with multi-byte bar characters, split inside them and inside "\\r\\n"', () => {
    const frames = Array.from({ length: 300 }, (_, i) => `\r ${String(Math.floor(i / 3)).padStart(2)}%|█▋        | ${i + 1}/900 [00:0${i % 10}<01:00,  6.66it/s]`);
    const text = frames
      .map((frame, i) => (i % 7 === 6 ? `${frame}\r${' '.repeat(45)}\r{'loss': ${(3 - i / 100).toFixed(4)}, 'grad_norm': nan, 'learning_rate': 1.2e-05, 'epoch': 0.0${i % 10}}\r\n` : frame))
      .join('');
    const bytes = bytesOf(text);
    const expected = digest(parseLog(bytes));
    expect((expected as { points: unknown[] }).points).toHaveLength(42);
    for (let size = 1; size <= 13; size++) expect(digest(parseInChunks(bytes, () => size))).toEqual(expected);
  });

  it('lines longer than 64 KiB without a `\\r` (not read as text, their records still are)', () => {
    const filler = (n: number): string => 'x'.repeat(n);
    const text = [
      `${filler(70_000)} torch.OutOfMemoryError: CUDA out of memory, hidden in junk ${filler(10)}{'loss': 1.5, 'epoch': 0.1}${filler(5000)}`,
      'RuntimeError: on a line of its own',
      `${filler(65_536 + 100)}\r{'loss': 1.25, 'epoch': 0.2}`,
      `${filler(65_000)} torch.OutOfMemoryError: CUDA out of memory, near the limit`,
    ].join('\n');
    const bytes = bytesOf(text);
    const log = parseLog(bytes);
    expect(log.failures.map((failure) => failure.line)).toEqual([2, 4]);
    expect(log.points.length).toBe(2);
    const expected = digest(log);
    const random = lcg(64);
    for (const limit of [1, 7, 1000, 70_000]) expect(digest(parseInChunks(bytes, () => 1 + Math.floor(random() * limit)))).toEqual(expected);
  });

  it('a chunk ending right after an exponent\'s `e` or inside `Infinity` waits for the rest of the value', () => {
    // A multi-line record (trainer_state.json's log_history) is read before its last line has arrived.
    const text = '{\n  "grad_norm": Infinity,\n  "learning_rate": 6e-05,\n  "loss": 1.5,\n  "step": 3\n}\n';
    const expected = digest(parseLog(bytesOf(text)));
    for (const cut of ["6e", "6e-", 'Infin', 'Infinit']) {
      const at = text.indexOf(cut) + cut.length;
      const parser = new TrainingLogParser();
      parser.push(bytesOf(text.slice(0, at)));
      parser.push(bytesOf(text.slice(at)));
      expect(digest(parser.end()), cut).toEqual(expected);
    }
  });

  it('a failure line after a `\r` that waits for the lines after it keeps its visible start', () => {
    // The pydantic error needs the next lines (for the field name); when they have not arrived the
    // parser resumes at the error later and must still read it from after the `\r`.
    const text = `{'loss': 1.5, 'epoch': 0.1}\r[rank2]: pydantic_core._pydantic_core.ValidationError: 1 validation error for DeepSpeedZeroConfig\n${'[INFO] starting\n'.repeat(40)}`;
    const bytes = bytesOf(text);
    const expected = digest(parseLog(bytes));
    expect((expected as { failures: unknown[] }).failures).toEqual([{ line: 1, kind: 'python-error', text: 'pydantic_core._pydantic_core.ValidationError: 1 validation error for DeepSpeedZeroConfig', rank: 2 }]);
    for (let size = 100; size < 260; size += 7) expect(digest(parseInChunks(bytes, () => size))).toEqual(expected);
  });

  it('reserve/commit (reading straight into the parser) equals push', () => {
    const bytes = fixture('hf_trainer_tqdm_interleaved_a100_with_summary.log');
    const parser = new TrainingLogParser();
    for (let k = 0; k < bytes.length; k += 100) {
      const piece = bytes.subarray(k, k + 100);
      parser.reserve(100).set(piece);
      parser.commit(piece.length);
    }
    expect(digest(parser.end())).toEqual(digest(parseLog(bytes)));
  });
});

describe('live tailing', () => {
  it('drainPoints hands out each point once, in order, as soon as its record is complete', () => {
    const bytes = fixture('modellink_ascend910b_qwen7b_iteration.log');
    const parser = new TrainingLogParser();
    const drained: number[] = [];
    for (let k = 0; k < bytes.length; k += 50) {
      parser.push(bytes.subarray(k, k + 50));
      drained.push(...parser.drainPoints().map((point) => point.step));
    }
    parser.end();
    drained.push(...parser.drainPoints().map((point) => point.step));
    expect(drained).toEqual([3, 4, 5, 6, 7, 998, 999, 1000]);
  });

  it('a complete dict line is available before the next chunk arrives', () => {
    const parser = new TrainingLogParser();
    parser.push(bytesOf("{'loss': 2.5, 'learning_rate': 1e-05, 'epoch': 0.01}\n{'loss': 2.4"));
    expect(parser.drainPoints().map((point) => point.metrics.loss)).toEqual([2.5]);
    expect(parser.snapshot().points.length).toBe(1);
    parser.push(bytesOf(", 'learning_rate': 1e-05, 'epoch': 0.02}\n"));
    expect(parser.drainPoints().map((point) => point.metrics.loss)).toEqual([2.4]);
    expect(parser.end().points.length).toBe(2);
  });

  it('push after end() is an error, end() twice returns the same result', () => {
    const parser = new TrainingLogParser();
    const first = parser.end();
    expect(parser.end()).toBe(first);
    expect(() => parser.push(bytesOf('x'))).toThrow(/end\(\)/);
  });
});
