// Training-log parsing speed against `grep -F -c` on the same file, in the same run.
// Generates (in the OS temp folder, deleted at the end) an HF Trainer log with tqdm `\r` frames
// between the dicts, as a `> train.log 2>&1` file holds them, and a dense Megatron/ModelLink
// iteration log; then times grep and the app's file reader (parseLogFile: two threads on a large
// file), runs alternating so that both see the same machine load, and for reference the parser
// alone on one thread. QVL_BENCH_SIZE_MB (default 1024) sets the size of each file;
// QVL_BENCH_LOGGING_STEPS (default 10) the HF Trainer's logging_steps, i.e. how many tqdm frames
// come between two dicts.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_BYTES } from '../electron/main/services/logs/logChunks';
import { parseLogFile } from '../electron/main/services/logs/readLogFile';
import type { ByteSearch, ParsedLog } from '../shared/trainingLog';
import { TrainingLogParser, summarizeLog } from '../shared/trainingLog';

const MB = 1024 * 1024;
const sizeMb = Number(process.env.QVL_BENCH_SIZE_MB ?? 1024);
const loggingSteps = Number(process.env.QVL_BENCH_LOGGING_STEPS ?? 10);
const RUNS = 3;

/** Node's memchr-based search, handed to the parser (shared/ itself cannot use Buffer). */
const bufferSearch: ByteSearch = (hay, needle, from) => Buffer.prototype.indexOf.call(hay, needle, from);

// --- generators --------------------------------------------------------------------------------

let seed = 12345;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
}

/** Python's repr() of a float: shortest round-trip digits, exponent below 1e-4, at least one decimal. */
function pyRepr(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0.0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 16) return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0'));
  return hms[0] === '00' ? `${hms[1]}:${hms[2]}` : `${Number(hms[0])}:${hms[1]}:${hms[2]}`;
}

const PARTIAL = ' ▏▎▍▌▋▊▉';

/** A tqdm frame as tqdm draws it into a file (no terminal: a 10-character bar). */
function frame(n: number, total: number, secondsPerStep: number): string {
  const fraction = n / total;
  const eighths = Math.floor(fraction * 80);
  const full = Math.floor(eighths / 8);
  const bar = ('█'.repeat(full) + (full < 10 ? (PARTIAL[eighths % 8] ?? ' ') : '')).padEnd(10, ' ');
  const rate = secondsPerStep >= 1 ? `${secondsPerStep.toFixed(2)}s/it` : `${(1 / secondsPerStep).toFixed(2)}it/s`;
  return `\r${String(Math.floor(fraction * 100)).padStart(3)}%|${bar}| ${n}/${total} [${clock(n * secondsPerStep)}<${clock((total - n) * secondsPerStep)}, ${rate}]`;
}

/** Writes text to a file in large blocks until it reaches `bytes`. */
function writeUntil(path: string, bytes: number, next: () => string, finish: () => string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let parts: string[] = [];
  let pending = 0;
  const flush = (): void => {
    const block = Buffer.from(parts.join(''), 'utf8');
    writeSync(fd, block);
    written += block.length;
    parts = [];
    pending = 0;
  };
  while (written + pending < bytes) {
    const text = next();
    parts.push(text);
    pending += text.length;
    if (pending > 4 * MB) flush();
  }
  parts.push(finish());
  flush();
  closeSync(fd);
  return written;
}

/** An HF Trainer (transformers ≥ 4.38) log: frames, the clear-line, a dict, the redraw (see the
 * synthetic-merged-unbuffered fixture), with an eval bar and eval dict every 1000 steps. */
function generateHfLog(path: string, bytes: number): number {
  const total = 10_000_000;
  let step = 0;
  let last = '';
  const secondsPerStep = 2.35;
  return writeUntil(
    path,
    bytes,
    () => {
      let text = '';
      for (let k = 0; k < loggingSteps; k++) {
        step++;
        last = frame(step, total, secondsPerStep + random() * 0.1);
        text += last;
      }
      const clear = `\r${' '.repeat(last.length - 1)}\r`;
      const loss = Math.round((0.4 + 2 * Math.exp(-step / 2e6) + 0.2 * random()) * 1e4) / 1e4;
      const gradNorm = Math.fround(0.5 + 4 * random());
      const learningRate = 1e-5 * (1 - step / total);
      text += `${clear}{'loss': ${pyRepr(loss)}, 'grad_norm': ${pyRepr(gradNorm)}, 'learning_rate': ${pyRepr(learningRate)}, 'epoch': ${pyRepr(Math.round((step / 1e6) * 100) / 100)}}\n${last}`;
      if (step % 1000 < loggingSteps) {
        for (let k = 1; k <= 20; k++) text += frame(k, 20, 0.3);
        text += `${clear}{'eval_loss': ${pyRepr(loss * 1.05)}, 'eval_runtime': 6.0012, 'eval_samples_per_second': 33.326, 'eval_steps_per_second': 3.333, 'epoch': ${pyRepr(Math.round((step / 1e6) * 100) / 100)}}\n${last}`;
      }
      return text;
    },
    () => `${`\r${' '.repeat(last.length - 1)}\r`}{'train_runtime': ${pyRepr(step * secondsPerStep)}, 'train_samples_per_second': 3.401, 'train_steps_per_second': 0.425, 'train_loss': 1.0951883426304967, 'epoch': 10.0}\n`,
  );
}

/** A ModelLink / MindSpeed-LLM pretraining log: one iteration line after another. */
function generateMegatronLog(path: string, bytes: number): number {
  let iteration = 0;
  const e = (value: number, digits: number): string => value.toExponential(digits).toUpperCase().replace(/E([+-])(\d)$/, 'E$10$2');
  return writeUntil(
    path,
    bytes,
    () => {
      iteration++;
      const loss = 1.2 * Math.exp(-iteration / 5e6) + 0.3 + 0.1 * random();
      return ` iteration ${String(iteration).padStart(8)}/${String(100_000_000).padStart(8)} | consumed samples: ${String(iteration * 64).padStart(12)} | elapsed time per iteration (ms): ${(33800 + 200 * random()).toFixed(1)} | learning rate: ${e(2.5e-5 * (1 - iteration / 1e8), 3)} | global batch size:    64 | lm loss: ${e(loss, 6)} | loss scale: 1.0 | grad norm: ${(0.3 + 9 * random()).toFixed(3)} | number of skipped iterations:   0 | number of nan iterations:   0 |\n`;
    },
    () => '[after training is done] datetime: 2024-04-09 19:15:44\n',
  );
}

// --- timing ------------------------------------------------------------------------------------

/** Times the tasks `runs` times each, taking turns, and keeps each one's best time and last result. */
async function alternating(runs: number, tasks: Record<string, () => unknown>): Promise<Record<string, { seconds: number; result: unknown }>> {
  const timings: Record<string, { seconds: number; result: unknown }> = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, task] of Object.entries(tasks)) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      const result = await task();
      const seconds = (performance.now() - start) / 1000;
      timings[name] = { seconds: Math.min(seconds, timings[name]?.seconds ?? Infinity), result };
    }
  }
  return timings;
}

function grepCount(needle: string, path: string): number {
  const run = spawnSync('grep', ['-F', '-c', needle, path], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`grep failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

function parseFile(path: string, search?: ByteSearch): ParsedLog {
  const parser = new TrainingLogParser(search ? { search, expectedBytes: statSync(path).size } : {});
  const fd = openSync(path, 'r');
  try {
    for (let position = 0; ; ) {
      const target = parser.reserve(CHUNK_BYTES);
      const read = readSync(fd, target, 0, CHUNK_BYTES, position);
      if (read <= 0) break;
      parser.commit(read);
      position += read;
    }
  } finally {
    closeSync(fd);
  }
  return parser.end();
}

/** Whether two parses hold the same points, values and findings, byte for byte. */
function sameParse(a: ParsedLog, b: ParsedLog): boolean {
  const bytes = (array: ArrayBufferView): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const columns = (log: ParsedLog): ArrayBufferView[] => {
    const { points } = log;
    const series = [...log.series.values()].flatMap((column) => [column.value, column.point]);
    return [points.step, points.stepSource, points.kind, points.format, points.line, points.rank, points.time, ...series];
  };
  const ca = columns(a);
  const cb = columns(b);
  const rest = (log: ParsedLog): string => JSON.stringify({ ...log, points: log.points.length, series: [...log.series.keys()] });
  return ca.length === cb.length && ca.every((column, i) => bytes(column).equals(bytes(cb[i] as ArrayBufferView))) && rest(a) === rest(b);
}

const mbPerSecond = (bytes: number, seconds: number): string => `${(bytes / MB / seconds).toFixed(0).padStart(5)} MB/s`;

async function compare(label: string, path: string, needle: string): Promise<void> {
  const bytes = statSync(path).size;
  const load = loadavg()[0]?.toFixed(2);
  const timed = await alternating(RUNS, { grep: () => grepCount(needle, path), reader: () => parseLogFile(path) });
  const grep = timed.grep as { seconds: number; result: number };
  const reader = timed.reader as { seconds: number; result: ParsedLog };
  const native = (await alternating(RUNS, { native: () => parseFile(path, bufferSearch) })).native as { seconds: number; result: ParsedLog };
  const portable = (await alternating(1, { portable: () => parseFile(path) })).portable as { seconds: number; result: ParsedLog };
  const summary = summarizeLog(reader.result);
  const loss = summary.series.loss;
  console.log(`\n${label}: ${(bytes / MB).toFixed(0)} MB, ${summary.points} points (grep counted ${grep.result} lines), format ${summary.format}, steps from ${summary.stepSource}`);
  console.log(`  loss: ${loss?.count ?? 0} values, first ${loss?.first} last ${loss?.last}; verdict ${summary.verdict.state}; load average ${load} before, ${loadavg()[0]?.toFixed(2)} after`);
  console.log(`  grep -F -c "${needle}"          ${mbPerSecond(bytes, grep.seconds)}  (${grep.seconds.toFixed(3)} s, best of ${RUNS})`);
  console.log(`  parseLogFile (file reader)      ${mbPerSecond(bytes, reader.seconds)}  (${reader.seconds.toFixed(3)} s, best of ${RUNS})  ratio ${(grep.seconds / reader.seconds).toFixed(2)}× grep`);
  console.log(`  parser, 1 thread, Buffer search ${mbPerSecond(bytes, native.seconds)}  (${native.seconds.toFixed(3)} s, best of ${RUNS})  ratio ${(grep.seconds / native.seconds).toFixed(2)}× grep`);
  console.log(`  parser, 1 thread, portable      ${mbPerSecond(bytes, portable.seconds)}  (${portable.seconds.toFixed(3)} s, one run)     ratio ${(grep.seconds / portable.seconds).toFixed(2)}× grep`);
  if (!sameParse(reader.result, native.result)) throw new Error('the file reader and the one-thread parser disagree');
  if (!sameParse(native.result, portable.result)) throw new Error('the two searches disagree');
}

const folder = mkdtempSync(join(tmpdir(), 'qvl-logparse-'));
try {
  const hfPath = join(folder, 'hf-trainer.log');
  const megatronPath = join(folder, 'megatron.log');
  console.log(`generating ${sizeMb} MB logs in ${folder} (HF logging_steps ${loggingSteps}) …`);
  generateHfLog(hfPath, sizeMb * MB);
  generateMegatronLog(megatronPath, sizeMb * MB);
  // Warm the page cache and the JIT (the reader's worker thread's too) on both formats before timing.
  grepCount("'loss':", hfPath);
  grepCount('lm loss', megatronPath);
  parseFile(hfPath, bufferSearch);
  parseFile(megatronPath, bufferSearch);
  await parseLogFile(hfPath);
  await parseLogFile(megatronPath);
  await compare('HF Trainer log with tqdm frames', hfPath, "'loss':");
  await compare('Megatron iteration log', megatronPath, 'lm loss');
  const usage = process.resourceUsage();
  console.log(`\npeak RSS ${(usage.maxRSS / 1024).toFixed(0)} MB (whole process: generation, both logs' points, ${2 * RUNS + 3} parses each)`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
