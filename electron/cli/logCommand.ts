import { summarizeLog, toPoints } from '../../shared/trainingLog';
import type { LogSummary, ParsedLog } from '../../shared/trainingLog';
import { parseLogFile } from '../main/services/logs/readLogFile';
import { parseCommandArgs, usageError } from './commandArgs';
import { ExitCode } from './exitCodes';
import type { CliCommand, CliIo } from './runCli';

const USAGE = `Usage: qvl log <file>... [--tag S] [--json | --csv]

Reads training logs (HF Trainer, DeepSpeed, Megatron/ModelLink/MindSpeed, LLaMA-Factory
trainer_log.jsonl) and says whether each run is healthy: loss and the other metrics, NaN/Inf
counts, failures (out of memory, HCCL timeouts, tracebacks) with their lines, and a verdict.

Options:
  --tag S     a literal that precedes the loss value, like TrainingLogParser's "Loss Tag" ('loss':)
  --json      one object: { "files": [ { "file", "format", "points", "stepSource", "series",
              "verdict": { "state", "reason" }, "failures": [ { "line", "kind", "text" } ] } ] }
  --csv       one row per step: step, epoch, loss, learning_rate, grad_norm
  -h, --help  show this help

Exit codes: 0 read, 1 a run is invalid (NaN/Inf, loss stuck at 0) or diverging, 2 usage or unreadable file.
`;

const CSV_COLUMNS = ['loss', 'learning_rate', 'grad_norm'] as const;

function csvNumber(value: number | undefined): string {
  if (value === undefined) return '';
  return Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
}

function writeCsv(file: string, parsed: ParsedLog, io: CliIo, withFileColumn: boolean): void {
  for (const point of toPoints(parsed.points, parsed.series)) {
    if (point.kind !== 'train') continue;
    const cells = [String(point.step), csvNumber(point.epoch), ...CSV_COLUMNS.map((name) => csvNumber(point.metrics[name]))];
    io.stdout.write(`${withFileColumn ? `${JSON.stringify(file)},` : ''}${cells.join(',')}\n`);
  }
}

function fmt(value: number | null): string {
  return value === null ? '—' : Number(value.toPrecision(5)).toString();
}

function writeReport(file: string, summary: LogSummary, io: CliIo): void {
  const loss = summary.series.loss;
  io.stdout.write(`${file}\n  format ${summary.format}, ${summary.points} points, steps from ${summary.stepSource ?? '—'}\n`);
  if (loss) io.stdout.write(`  loss ${fmt(loss.first)} → ${fmt(loss.last)} (min ${fmt(loss.min)}, max ${fmt(loss.max)}${loss.nan ? `, ${loss.nan} NaN/Inf` : ''})\n`);
  io.stdout.write(`  ${summary.verdict.state}: ${summary.verdict.reason.en}\n`);
  for (const failure of summary.failures.slice(0, 5)) io.stdout.write(`  line ${failure.line}: ${failure.kind}: ${failure.text.slice(0, 160)}\n`);
}

export const logCommand: CliCommand = {
  name: 'log',
  summary: 'read training logs: metrics, failures, and whether the run is healthy',
  async run(args, io) {
    const parsed = parseCommandArgs('log', USAGE, io, args, { tag: { type: 'string' }, json: { type: 'boolean', default: false }, csv: { type: 'boolean', default: false } });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals: files } = parsed;
    if (files.length === 0) return usageError('log', USAGE, io, 'name at least one log file');
    if (values.tag === '') return usageError('log', USAGE, io, '--tag must not be empty');
    if (values.json && values.csv) return usageError('log', USAGE, io, 'choose --json or --csv, not both');
    const options = values.tag ? { lossTag: values.tag } : {};
    const results: Array<{ file: string } & LogSummary> = [];
    if (values.csv) io.stdout.write(`${files.length > 1 ? 'file,' : ''}step,epoch,${CSV_COLUMNS.join(',')}\n`);
    for (const file of files) {
      let log: ParsedLog;
      try {
        log = await parseLogFile(file, options);
      } catch (error) {
        io.stderr.write(`qvl log: cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
        return ExitCode.Usage;
      }
      const summary = summarizeLog(log);
      results.push({ file, ...summary });
      if (values.csv) writeCsv(file, log, io, files.length > 1);
      else if (!values.json) writeReport(file, summary, io);
    }
    if (values.json) {
      const out = results.map(({ file, format, points, stepSource, series, verdict, failures }) => ({
        file,
        format,
        points,
        stepSource,
        series,
        verdict: { state: verdict.state, reason: verdict.reason.en },
        failures: failures.map(({ line, kind, text }) => ({ line, kind, text })),
      }));
      io.stdout.write(`${JSON.stringify({ files: out }, null, 2)}\n`);
    }
    return results.some((result) => result.verdict.state === 'invalid' || result.verdict.state === 'diverging') ? ExitCode.CheckFailed : ExitCode.Ok;
  },
};
