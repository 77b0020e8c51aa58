// Parsing in segments (the parallel file reader): the part before a line break parsed by one parser,
// the rest by a segment parser, joined with absorbSegment — must give exactly what one parser reading
// everything gives, wherever the boundary falls, or refuse (then the rest is read on sequentially).

import { describe, expect, it } from 'vitest';
import type { ParsedLog } from '../../../shared/trainingLog';
import { SEGMENT_PRELUDE, TrainingLogParser, parseLog, toPoints } from '../../../shared/trainingLog';
import { bufferSearch, bytesOf, digest, fixture, fixtureNames, lcg } from './trainingLogSupport';

/** Plain text with no record or failure signature: a head long enough that the parser before the
 * boundary has probed the start of the stream, as it has in a file large enough to split. */
const HEAD = bytesOf('loading checkpoint shards, please wait\n'.repeat(1800));

function withHead(body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(HEAD.length + body.length);
  bytes.set(HEAD);
  bytes.set(body, HEAD.length);
  return bytes;
}

/** Parses `bytes` split at `boundary` (right after a line break), each side fed in `chunk`-byte
 * pieces; returns the joined result and whether the segment was absorbed. */
function parseSplit(bytes: Uint8Array, boundary: number, chunk: number): { log: ParsedLog; absorbed: boolean } {
  const lead = new TrainingLogParser({ search: bufferSearch, expectedBytes: bytes.length });
  for (let k = 0; k < boundary; k += chunk) lead.push(bytes.subarray(k, Math.min(boundary, k + chunk)));
  // As the file reader does (here on every other split): it only makes room, the result must not change.
  if (chunk % 2 === 1) lead.prepareToAbsorb(bytes.length - boundary);
  const prelude = Math.min(SEGMENT_PRELUDE, boundary);
  const segmentParser = TrainingLogParser.forSegment({ search: bufferSearch }, prelude);
  for (let k = boundary - prelude; k < bytes.length; k += chunk) segmentParser.push(bytes.subarray(k, Math.min(bytes.length, k + chunk)));
  // As it crosses from the worker thread.
  const segment = structuredClone(segmentParser.segmentResult());
  if (lead.absorbSegment(segment)) return { log: lead.end(), absorbed: true };
  lead.push(bytes.subarray(boundary));
  return { log: lead.end(), absorbed: false };
}

/** Every line start after the head (at most `limit` of them, evenly spread). */
function boundaries(bytes: Uint8Array, limit: number): number[] {
  const starts: number[] = [];
  for (let k = HEAD.length - 1; k < bytes.length - 1; k++) if (bytes[k] === 0x0a) starts.push(k + 1);
  const step = Math.max(1, Math.ceil(starts.length / limit));
  return starts.filter((_, i) => i % step === 0);
}

/** Splits at every boundary; returns how many splits were absorbed rather than read on. */
function expectSplitsToAgree(bytes: Uint8Array, limit = 400): { splits: number; absorbed: number } {
  const expected = digest(parseLog(bytes, { search: bufferSearch }));
  let absorbed = 0;
  const cuts = boundaries(bytes, limit);
  cuts.forEach((boundary, i) => {
    const result = parseSplit(bytes, boundary, 1 + ((i * 7919) % 5000));
    expect(digest(result.log), `split at byte ${boundary}`).toEqual(expected);
    if (result.absorbed) absorbed++;
  });
  return { splits: cuts.length, absorbed };
}

const frame = (n: number, total: number): string => `\r ${String(Math.floor((100 * n) / total)).padStart(2)}%|█▋        | ${n}/${total} [00:0${n % 10}<01:00,  6.66it/s]`;
const clear = `\r${' '.repeat(50)}\r`;

describe('a log parsed in two segments equals the log parsed in one pass', () => {
  it.each(fixtureNames)('%s, split at every line', (name) => {
    const { splits, absorbed } = expectSplitsToAgree(withHead(fixture(name)));
    expect(splits).toBeGreaterThan(0);
    // Splits are joined, not read again — but inside trainer_state.json's one multi-line object.
    if (name !== 'hf_trainer_state_nan_tokens.json') expect(absorbed).toBeGreaterThan(0);
  });

  it('all fixtures one after another', () => {
    const parts = fixtureNames.map(fixture);
    const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 1, HEAD.length));
    all.set(HEAD);
    let offset = HEAD.length;
    for (const part of parts) {
      all.set(part, offset);
      all[offset + part.length] = 0x0a;
      offset += part.length + 1;
    }
    const { absorbed, splits } = expectSplitsToAgree(all, 1500);
    expect(absorbed / splits).toBeGreaterThan(0.85);
  }, 60_000);

  it('a raw tqdm stream: the step comes from the frame before each dict, across the boundary', () => {
    let text = '';
    for (let step = 1; step <= 400; step++) {
      text += frame(step, 400);
      if (step % 4 === 0) text += `${clear}{'loss': ${(3 - step / 200).toFixed(4)}, 'grad_norm': ${(1 + step / 1000).toFixed(3)}, 'learning_rate': 1e-05, 'epoch': ${(step / 400).toFixed(2)}}\n`;
      if (step % 100 === 0) text += `${frame(20, 20)}${clear}{'eval_loss': ${(3 - step / 150).toFixed(4)}, 'eval_runtime': 6.0012, 'epoch': ${(step / 400).toFixed(2)}}\n`;
    }
    const { absorbed, splits } = expectSplitsToAgree(withHead(bytesOf(text)));
    expect(absorbed).toBe(splits);
  });

  it('dicts without frames between them (buffered stdout): steps counted on from the part before', () => {
    // The frames come first, then all dicts: the first dict after the boundary must not take the
    // counter of a frame that lies before the previous dict.
    const frames = Array.from({ length: 50 }, (_, i) => frame(i + 1, 50)).join('');
    const dicts = Array.from({ length: 120 }, (_, i) => `{'loss': ${(2 - i / 100).toFixed(4)}, 'learning_rate': 1e-05, 'epoch': ${(i / 120).toFixed(2)}}\n`).join('');
    const bytes = withHead(bytesOf(`${frames}${clear}${dicts}`));
    const { absorbed, splits } = expectSplitsToAgree(bytes);
    expect(absorbed).toBe(splits);
    const steps = toPoints(parseLog(bytes).points, parseLog(bytes).series).map((point) => point.step);
    expect(steps.slice(0, 3)).toEqual([50, 51, 52]);
  });

  it('a frame right before the boundary and the dict right after it', () => {
    const text = `${frame(7, 10)}${clear}{'loss': 1.5, 'epoch': 0.1}\n${frame(8, 10)}\n{'loss': 1.4, 'epoch': 0.2}\n{'loss': 1.3, 'epoch': 0.3}\n`;
    const { absorbed, splits } = expectSplitsToAgree(withHead(bytesOf(text)));
    expect(absorbed).toBe(splits);
  });

  it('Megatron iterations, ranks, resumes, DeepSpeed lines, failures and overflows on both sides', () => {
    const random = lcg(31);
    const lines: string[] = [];
    let iteration = 0;
    for (let i = 0; i < 600; i++) {
      const r = random();
      iteration = i === 300 ? 150 : iteration + 1; // a resumed run goes back
      if (r < 0.55) lines.push(` iteration ${String(iteration).padStart(8)}/    1000 | consumed samples: ${String(iteration * 64).padStart(12)} | lm loss: ${(2 - i / 400).toExponential(6).toUpperCase()} | loss scale: 1.0 | grad norm: ${(random() * 9).toFixed(3)} | number of skipped iterations:   0 | number of nan iterations:   0 |`);
      else if (r < 0.65) lines.push(`[rank${i % 2}]: {'loss': ${(random() * 3).toFixed(4)}, 'epoch': ${(i / 600).toFixed(2)}}`);
      else if (r < 0.72) lines.push(`[2023-04-28 06:51:30,648] [INFO] [logging.py:96:log_dist] [Rank 0] step=${iteration}, skipped=0, lr=[1e-05], mom=[[0.9, 0.95]]`);
      else if (r < 0.8) lines.push('[2023-04-28 06:51:30,648] [INFO] [loss_scaler.py:181:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768');
      else if (r < 0.9) lines.push(['RuntimeError: NPU out of memory. Tried to allocate 2.00 GiB', 'Traceback (most recent call last):', 'Killed', 'EI0002: The wait execution of the Notify register times out.'][i % 4] as string);
      else lines.push(`\u001b[32m 3: {'eval_loss': ${(random() * 3).toFixed(4)}, 'epoch': ${(i / 600).toFixed(2)}}\u001b[0m`);
    }
    const bytes = withHead(bytesOf(`${lines.join('\n')}\n`));
    const log = parseLog(bytes);
    // More than FAILURES_PER_KIND of a kind, so the kept ones and the counts merge too.
    expect(Math.max(...Object.values(log.failureCounts))).toBeGreaterThan(20);
    expect(log.resumes.length).toBeGreaterThan(0);
    const { absorbed, splits } = expectSplitsToAgree(bytes, 300);
    expect(absorbed).toBe(splits);
  }, 60_000);

  it('a record or failure line running across the boundary is read on, not absorbed', () => {
    const json = bytesOf('{\n  "loss": 1.5,\n  "epoch": 0.5\n}\n');
    const bytes = withHead(json);
    const inside = HEAD.length + json.indexOf(0x0a) + 1;
    const split = parseSplit(bytes, inside, 7);
    expect(split.absorbed).toBe(false);
    expect(digest(split.log)).toEqual(digest(parseLog(bytes)));
    // A pydantic error whose field name is on the next lines, with the boundary right after it.
    const pydantic = bytesOf('pydantic_core._pydantic_core.ValidationError: 1 validation error for DeepSpeedZeroConfig\nstage3_prefetch_bucket_size\n  Input should be a valid integer\n');
    const second = withHead(pydantic);
    const afterFirstLine = HEAD.length + pydantic.indexOf(0x0a) + 1;
    const result = parseSplit(second, afterFirstLine, 64);
    expect(result.absorbed).toBe(false);
    expect(result.log.failures.map((failure) => failure.kind)).toEqual(['deepspeed-prefetch-bucket-size']);
  });

  it('a line that reads differently once DeepSpeed picked the NPU is not absorbed', () => {
    const text = 'Setting ds_accelerator to npu (auto detect)\nplain progress\nTorchBackend in DeepSpeed with backend nccl\n';
    const bytes = withHead(bytesOf(text));
    const boundary = HEAD.length + text.indexOf('TorchBackend');
    const result = parseSplit(bytes, boundary, 100);
    expect(result.absorbed).toBe(false);
    expect(result.log.failures.map((failure) => failure.kind)).toEqual(['nccl-on-npu']);
  });

  it('random mixtures of every format, split at every line', () => {
    const random = lcg(77);
    const pieces = [
      () => frame(1 + Math.floor(random() * 99), 100),
      () => `${clear}{'loss': ${(random() * 3).toFixed(4)}, 'grad_norm': ${random() < 0.1 ? 'nan' : random().toFixed(17)}, 'learning_rate': ${random().toExponential(15)}, 'epoch': ${random().toFixed(2)}}\n`,
      () => `{'loss': ${random().toFixed(4)}, 'epoch': 0.5}${['\n', '\r\n', '\r', ''][Math.floor(random() * 4)]}`,
      () => ` iteration ${String(Math.floor(random() * 1000)).padStart(8)}/    1000 | lm loss: ${random().toExponential(6).toUpperCase()} | grad norm: ${random().toFixed(3)} |\n`,
      () => ['Killed\n', 'RuntimeError: CUDA out of memory.\n', '\n', '   \r\n', '[rank1]: Traceback (most recent call last):\n'][Math.floor(random() * 5)] as string,
    ];
    for (let round = 0; round < 12; round++) {
      let text = '';
      for (let k = 0; k < 150; k++) text += (pieces[Math.floor(random() * pieces.length)] as () => string)();
      expectSplitsToAgree(withHead(bytesOf(text)), 120);
    }
  }, 60_000);
});

describe('segment parsers', () => {
  it('refuse a loss tag, and absorbSegment refuses a second absorb or a segment parser', () => {
    expect(() => TrainingLogParser.forSegment({ lossTag: 'loss: ' } as never, 0)).toThrow(/loss tag/);
    const bytes = withHead(bytesOf("{'loss': 1.5, 'epoch': 0.1}\n{'loss': 1.4, 'epoch': 0.2}\n"));
    const boundary = bytes.length - 28;
    const segmentParser = TrainingLogParser.forSegment({}, SEGMENT_PRELUDE);
    segmentParser.push(bytes.subarray(boundary - SEGMENT_PRELUDE));
    const segment = segmentParser.segmentResult();
    expect(() => new TrainingLogParser().segmentResult()).toThrow(/segment/);
    const lead = new TrainingLogParser();
    lead.push(bytes.subarray(0, boundary));
    expect(segmentParser.absorbSegment(segment)).toBe(false);
    expect(lead.absorbSegment(segment)).toBe(true);
    expect(lead.absorbSegment(segment)).toBe(false);
    expect(toPoints(lead.end().points, lead.end().series).map((point) => [point.line, point.step, point.metrics.loss])).toEqual([
      [1801, 1, 1.5],
      [1802, 2, 1.4],
    ]);
  });
});
