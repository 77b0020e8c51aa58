// Input nobody should feed a log parser — and someone will: it must give a clear result, not throw.

import { describe, expect, it } from 'vitest';
import { TrainingLogParser, parseLog, summarizeLog, toPoints } from '../../../shared/trainingLog';
import { bufferSearch, bytesOf, lcg } from './trainingLogSupport';

const MB = 1024 * 1024;

function feed(bytes: Uint8Array, chunk: number): ReturnType<TrainingLogParser['end']> {
  const parser = new TrainingLogParser({ search: bufferSearch });
  for (let k = 0; k < bytes.length; k += chunk) parser.push(bytes.subarray(k, k + chunk));
  return parser.end();
}

describe('hostile input', () => {
  it('an empty file', () => {
    const log = parseLog(new Uint8Array(0));
    expect(log).toMatchObject({ format: 'unknown', stepSource: null, bytes: 0, lines: 0, failures: [] });
    const summary = summarizeLog(log);
    expect(summary).toMatchObject({ points: 0, series: {}, verdict: { state: 'no-loss' } });
    expect(summary.verdict.reason.en).toContain('empty');
  });

  it('binary garbage is called binary', () => {
    const random = lcg(7);
    const bytes = Uint8Array.from({ length: MB }, () => Math.floor(random() * 256));
    const log = parseLog(bytes);
    expect(log.evidence.binary).toBe(true);
    const summary = summarizeLog(log);
    expect(summary.verdict.state).toBe('no-loss');
    expect(summary.verdict.reason.en).toContain('binary');
    expect(summary.verdict.reason.zh).toContain('二进制');
  });

  it('NUL bytes and malformed UTF-8 around records change nothing else', () => {
    const text = "\u0000\u0000{'loss': 1.5, 'epoch': 0.1}\n\u00ff\u00fe garbage \u0000\n{'loss': 1.4, 'epoch': 0.2}\n";
    const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));
    const log = parseLog(bytes);
    expect(toPoints(log.points, log.series).map((point) => [point.line, point.metrics.loss])).toEqual([
      [1, 1.5],
      [3, 1.4],
    ]);
    expect(log.evidence.binary).toBe(true);
  });

  it('a failure line with malformed UTF-8 is decoded with replacement characters', () => {
    const bytes = Uint8Array.from([...bytesOf('RuntimeError: bad byte '), 0xc3, 0x28, 0xe2, 0x82, ...bytesOf(' here\n')]);
    const failure = parseLog(bytes).failures[0];
    expect(failure?.kind).toBe('python-error');
    expect(failure?.text).toBe('RuntimeError: bad byte \ufffd(\ufffd here');
  });

  it('truncated records are counted, not turned into points', () => {
    const log = parseLog(bytesOf("{'loss': 2.1, 'epoch': 0.1}\n{'loss': 2.0, 'learning_rate': 1.23"));
    expect(log.points.length).toBe(1);
    expect(log.evidence.truncatedRecords).toBe(1);
    const megatron = parseLog(bytesOf(' iteration        1/     100 | lm loss: 2.000000E+00 | grad norm: 1.5'));
    expect(toPoints(megatron.points, megatron.series)[0]?.metrics).toEqual({ loss: 2 });
  });

  it('a 20 MB line without a line break', () => {
    const bytes = new Uint8Array(20 * MB).fill(0x61);
    const log = feed(bytes, MB);
    expect(log).toMatchObject({ bytes: 20 * MB, lines: 1, format: 'unknown' });
    expect(log.points.length).toBe(0);
  });

  it('a 20 MB line of tqdm frames (a log that only has bars), then one dict at its end', () => {
    const frame = '\r 50%|█████     | 5/10 [00:05<00:05,  1.00it/s]';
    const frames = frame.repeat(Math.ceil((20 * MB) / frame.length));
    const log = feed(bytesOf(frames), 3 * MB + 7);
    expect(log.points.length).toBe(0);
    expect(log.evidence.tqdmBars).toBe(true);
    expect(summarizeLog(log).verdict.reason.en).toContain('only has tqdm progress bars');
    const withDict = feed(bytesOf(`${frames}\r${' '.repeat(40)}\r{'loss': 0.5, 'epoch': 1.0}`), MB);
    expect(toPoints(withDict.points, withDict.series)).toEqual([{ step: 5, stepSource: 'tqdm', kind: 'train', format: 'hf-trainer', line: 1, epoch: 1, metrics: { loss: 0.5, epoch: 1 } }]);
  });

  it('things that look like records but are not', () => {
    const text = [
      "{'loss': {'nested': 1}, 'epoch': 1.0}",
      "{'loss': tensor(1.2345, device='cuda:0'), 'epoch': 0.1}",
      "{'model_name_or_path': 'Qwen/Qwen-VL-Chat', 'learning_rate': 1e-05}",
      "{'from': 'user', 'value': 'Picture 1: <img>a.jpg</img>'}",
      'print the iteration count | 3 |',
      'step=abc, skipped=0, lr=[x]',
      '{"a": [1, 2]}',
      '{',
    ].join('\n');
    const log = parseLog(bytesOf(text));
    expect(log.points.length).toBe(0);
    expect(log.failures).toEqual([]);
  });

  it('very long numbers, signs and odd tokens inside a dict', () => {
    const log = parseLog(bytesOf("{'loss': -0.0, 'grad_norm': -inf, 'learning_rate': 1.0000000000000000000000001e-05, 'epoch': +2, 'x': Infinity, 'y': NAN}\n"));
    const [point] = toPoints(log.points, log.series);
    expect(Object.is(point?.metrics.loss, -0)).toBe(true);
    expect(point?.metrics.grad_norm).toBe(-Infinity);
    expect(point?.metrics.learning_rate).toBe(1e-5);
    expect(point?.metrics.epoch).toBe(2);
    expect(point?.metrics.x).toBe(Infinity);
    expect(Number.isNaN(point?.metrics.y)).toBe(true);
  });

  it('ANSI colour codes around records and failures', () => {
    const text = "\u001b[32m{'loss': 1.25, 'epoch': 0.5}\u001b[0m\n\u001b[31mRuntimeError: CUDA out of memory.\u001b[0m\n\u001b[36m iteration        7/     100 |\u001b[0m lm loss: 3.000000E+00 | grad norm: \u001b[1m2.5\u001b[0m |\n";
    const log = parseLog(bytesOf(text));
    const points = toPoints(log.points, log.series);
    expect(points.map((point) => point.metrics.loss)).toEqual([1.25, 3]);
    expect(log.failures).toEqual([{ line: 2, kind: 'cuda-oom', text: 'RuntimeError: CUDA out of memory.' }]);
  });
});
