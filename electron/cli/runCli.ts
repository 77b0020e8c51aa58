import { datasetCommand } from './datasetCommand';
import { ExitCode } from './exitCodes';
import { logCommand } from './logCommand';
import { preflightCommand } from './preflightCommand';
import { uploadCommand } from './uploadCommand';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  version: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<ExitCode>;
}

/** Commands register here as their features land. */
const COMMANDS: readonly CliCommand[] = [preflightCommand, uploadCommand, logCommand, datasetCommand];

function usage(): string {
  const width = Math.max(8, ...COMMANDS.map((command) => command.name.length));
  const list = COMMANDS.length
    ? COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')
    : '  (none yet in this version)';
  return `Usage: qvl <command> [options]

Qwen-VL Studio on the command line: the same services as the app, without a window.

Commands:
${list}

Options:
  -h, --help     show this help (also: qvl <command> --help)
  -v, --version  print the version

Exit codes: 0 ok, 1 a check failed, 2 usage or connection error.
`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(usage());
    return first === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${io.version}\n`);
    return ExitCode.Ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) {
    io.stderr.write(`qvl: unknown command "${first}"\n\n${usage()}`);
    return ExitCode.Usage;
  }
  return command.run(rest, io);
}
