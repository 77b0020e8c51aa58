import { stat } from 'node:fs/promises';
import type { DatasetProblem } from '../../shared/dataset/datasetProblems';
import type { DatasetFileReport } from '../main/services/dataset/validateDatasetFile';
import { validateDatasetFile } from '../main/services/dataset/validateDatasetFile';
import { parseCommandArgs, usageError } from './commandArgs';
import { datasetConvertCommand } from './datasetConvertCommand';
import { ExitCode } from './exitCodes';
import type { CliCommand, CliIo } from './runCli';

const VALIDATE_USAGE = `Usage: qvl dataset validate <file.json> [--root DIR] [--json]

Checks a Qwen-VL fine-tuning dataset (the guide's Step 5: a JSON list of { "id", "conversations" })
the way finetune.py will read it: JSON syntax, roles (user/assistant, alternating, user first),
tags, Picture numbering, boxes (integers in [0,1000), x1<x2, y1<y2), unique ids, image paths (at
most 256 UTF-8 bytes), every image present and intact, and the estimated length against
model_max_length 2048 (each image is 258 tokens; a truncation that cuts one crashes training).

Options:
  --root DIR   where relative image paths resolve (default: the file's folder; training
               resolves them against its working folder, the Qwen-VL repo root)
  --json       one object: { "samples", "errors", "warnings", "problems": [ { "severity",
               "sample", "id", "turn", "offset", "code", "message" } ] }; sample and turn are
               0-based, offset is the character in that turn's value (in the file when sample is
               null, for problems of the whole file)
  -h, --help   show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or unreadable file.
`;

/** Problems printed without --json; the JSON always has them all. */
const REPORT_LIMIT = 200;

function location(entry: DatasetProblem): string {
  if (entry.sample === null) return 'file';
  const parts = [`sample ${entry.sample}${entry.id !== null ? ` (${entry.id})` : ''}`];
  if (entry.turn !== null) parts.push(`turn ${entry.turn}`);
  if (entry.offset !== null && entry.turn !== null) parts.push(`char ${entry.offset}`);
  return parts.join(', ');
}

function writeReport(file: string, report: DatasetFileReport, io: CliIo): void {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  io.stdout.write(`${file}: ${plural(report.samples, 'sample')}, ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}\n`);
  for (const entry of report.problems.slice(0, REPORT_LIMIT)) {
    io.stdout.write(`  ${entry.severity.padEnd(7)} ${location(entry)}: [${entry.code}] ${entry.message}\n`);
  }
  if (report.problems.length > REPORT_LIMIT) io.stdout.write(`  … and ${report.problems.length - REPORT_LIMIT} more (--json lists them all)\n`);
  io.stdout.write(report.errors === 0 ? 'No errors: finetune.py can read this file.\n' : 'Fix the errors before training.\n');
}

function problemJson({ severity, sample, id, turn, offset, code, message }: DatasetProblem) {
  return { severity, sample, id, turn, offset, code, message };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a dataset file the way finetune.py will read it',
  async run(args, io) {
    const parsed = parseCommandArgs('dataset validate', VALIDATE_USAGE, io, args, { root: { type: 'string' }, json: { type: 'boolean', default: false } });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const [file, ...extra] = positionals;
    if (file === undefined) return usageError('dataset validate', VALIDATE_USAGE, io, 'name the dataset file');
    if (extra.length > 0) return usageError('dataset validate', VALIDATE_USAGE, io, 'name one dataset file');
    if (values.root !== undefined && !(await isFolder(values.root))) return usageError('dataset validate', VALIDATE_USAGE, io, `--root ${values.root} is not a folder`);
    let report: DatasetFileReport;
    try {
      report = await validateDatasetFile(file, values.root !== undefined ? { root: values.root } : {});
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (error as Error).message;
      io.stderr.write(`qvl dataset validate: cannot read ${file}: ${reason}\n`);
      return ExitCode.Usage;
    }
    if (values.json) {
      const { samples, errors, warnings, problems } = report;
      io.stdout.write(`${JSON.stringify({ samples, errors, warnings, problems: problems.map(problemJson) }, null, 2)}\n`);
    } else writeReport(file, report, io);
    return report.errors > 0 ? ExitCode.CheckFailed : ExitCode.Ok;
  },
};

/** `qvl dataset <subcommand>`: one entry per subcommand. */
const SUBCOMMANDS: readonly CliCommand[] = [validateCommand, datasetConvertCommand];

function usage(): string {
  const width = Math.max(...SUBCOMMANDS.map((command) => command.name.length));
  return `Usage: qvl dataset <subcommand> [options]

Qwen-VL fine-tuning datasets (the guide's Step 5).

Subcommands:
${SUBCOMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Run qvl dataset <subcommand> --help for its options.
`;
}

export const datasetCommand: CliCommand = {
  name: 'dataset',
  summary: `Qwen-VL dataset files: ${SUBCOMMANDS.map((command) => command.name).join(', ')} (qvl dataset --help)`,
  async run(args, io) {
    const [first, ...rest] = args;
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout.write(usage());
      return first === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    const command = SUBCOMMANDS.find((candidate) => candidate.name === first);
    if (!command) {
      io.stderr.write(`qvl dataset: unknown subcommand "${first}"\n\n${usage()}`);
      return ExitCode.Usage;
    }
    return command.run(rest, io);
  },
};
